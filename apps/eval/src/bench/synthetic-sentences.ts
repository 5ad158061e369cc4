import { createRandom } from '@neuromem/core/testing';

// A small vocabulary in a few sentence shapes: enough lexical overlap that searches find partial
// matches (as in real chat memory), enough variety that not every sentence looks alike.
const PEOPLE = ['Alice', 'Bob', 'Carmen', 'Deepak', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Luca', 'Mina', 'Noah', 'Olga', 'Priya'];
const PLACES = ['Lisbon', 'the bakery', 'the office', 'Kyoto', 'the gym', 'the library', 'Nairobi', 'the lake house', 'Berlin', 'the farmers market', 'the clinic', 'Toronto'];
const THINGS = [
  'a red bicycle',
  'the quarterly report',
  'a sourdough starter',
  'concert tickets',
  'a used camera',
  'the new laptop',
  'a birthday cake',
  'hiking boots',
  'a guitar',
  'the garden shed',
  'a chess set',
  'running shoes',
  'a novel about whales',
  'the tax forms',
];
const VERBS = ['bought', 'sold', 'lost', 'found', 'fixed', 'borrowed', 'painted', 'returned', 'ordered', 'forgot'];
const FEELINGS = ['loves', 'hates', 'is curious about', 'is tired of', 'wants to learn', 'keeps talking about', 'is nervous about'];
const TOPICS = [
  'jazz',
  'pottery',
  'marathon training',
  'vegan cooking',
  'astronomy',
  'learning Portuguese',
  'board games',
  'rock climbing',
  'photography',
  'gardening',
  'chess openings',
  'bird watching',
];
const TIMES = ['yesterday', 'last Tuesday', 'this morning', 'two weeks ago', 'over the weekend', 'in March', 'after work', 'last summer'];
const REASONS = ['because it was on sale', 'since the old one broke', 'for a friend', 'to prepare for the trip', 'after a long debate', 'on a whim'];

type Pick = <T>(items: readonly T[]) => T;

const SHAPES: Array<(pick: Pick) => string> = [
  (pick) => `${pick(PEOPLE)} ${pick(VERBS)} ${pick(THINGS)} at ${pick(PLACES)} ${pick(TIMES)}.`,
  (pick) => `${pick(PEOPLE)} ${pick(FEELINGS)} ${pick(TOPICS)}.`,
  (pick) => `${capitalize(pick(TIMES))}, ${pick(PEOPLE)} met ${pick(PEOPLE)} at ${pick(PLACES)} to talk about ${pick(TOPICS)}.`,
  (pick) => `${pick(PEOPLE)} ${pick(VERBS)} ${pick(THINGS)} ${pick(REASONS)}.`,
  (pick) => `${pick(PEOPLE)} said that ${pick(PEOPLE)} ${pick(FEELINGS)} ${pick(TOPICS)} and moved to ${pick(PLACES)} ${pick(TIMES)}.`,
];

const QUESTIONS: Array<(pick: Pick) => string> = [
  (pick) => `What did ${pick(PEOPLE)} buy at ${pick(PLACES)}?`,
  (pick) => `Who ${pick(FEELINGS)} ${pick(TOPICS)}?`,
  (pick) => `When did ${pick(PEOPLE)} go to ${pick(PLACES)}?`,
  (pick) => `Why did ${pick(PEOPLE)} get ${pick(THINGS)}?`,
];

/** `count` English-like memory sentences, reproducible from `seed`. */
export function syntheticSentences(count: number, seed: number): string[] {
  const pick = picker(createRandom(seed));
  return Array.from({ length: count }, () => pick(SHAPES)(pick));
}

/** `count` questions over the same vocabulary, reproducible from `seed`. */
export function syntheticQuestions(count: number, seed: number): string[] {
  const pick = picker(createRandom(seed));
  return Array.from({ length: count }, () => pick(QUESTIONS)(pick));
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function picker(random: () => number): Pick {
  return (items) => items[Math.floor(random() * items.length)]!;
}
