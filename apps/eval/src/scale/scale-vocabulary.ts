// Word lists for the scale workload. Several hundred content words in a few dozen turn shapes: each
// query shares some words (and so some vector directions) with many turns and all of them with few,
// which is what makes lexical and vector search do real work instead of matching everything or nothing.

export type Pick = <T>(items: readonly T[]) => T;

export interface Vocabulary {
  pick: Pick;
  /** An integer in [min, max]. */
  number: (min: number, max: number) => number;
}

export const PEOPLE = [
  'Alice',
  'Bob',
  'Carmen',
  'Deepak',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Luca',
  'Mina',
  'Noah',
  'Olga',
  'Priya',
  'Quentin',
  'Rosa',
  'Sami',
  'Tomas',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zara',
  'Aisha',
  'Bruno',
  'Chloe',
  'Dmitri',
  'Esther',
  'Felix',
  'Gita',
  'Hannah',
  'Ivan',
  'Jun',
  'Keiko',
  'Leila',
  'Marco',
  'Nadia',
];

export const RELATIONS = ['sister', 'brother', 'cousin', 'neighbour', 'coworker', 'roommate', 'aunt', 'uncle', 'best friend', 'manager', 'landlord', 'dentist'];

export const PLACES = [
  'Lisbon',
  'Kyoto',
  'Nairobi',
  'Berlin',
  'Toronto',
  'Oaxaca',
  'Reykjavik',
  'Marrakesh',
  'Hanoi',
  'Valparaiso',
  'Tbilisi',
  'Krakow',
  'the bakery',
  'the office',
  'the gym',
  'the library',
  'the lake house',
  'the farmers market',
  'the clinic',
  'the climbing hall',
  'the train station',
  'the community garden',
  'the record shop',
  'the night market',
  'the hardware store',
  'the old harbour',
  'the pottery studio',
  'the school gate',
  'the swimming pool',
  'the cinema',
  'the ramen place',
  'the botanical garden',
];

export const OBJECTS = [
  'a red bicycle',
  'the quarterly report',
  'a sourdough starter',
  'concert tickets',
  'a used camera',
  'the new laptop',
  'a birthday cake',
  'hiking boots',
  'a second-hand guitar',
  'the garden shed key',
  'a chess set',
  'running shoes',
  'a novel about whales',
  'the tax forms',
  'a cast iron pan',
  'a vintage record player',
  'noise cancelling headphones',
  'a tent for four people',
  'the spare car keys',
  'a box of watercolours',
  'a ceramic teapot',
  'a wool scarf',
  'a standing desk',
  'the passport renewal form',
  'a bag of coffee beans',
  'a telescope',
  'a sewing machine',
  'a kayak paddle',
  'the wedding invitations',
  'a blue raincoat',
  'a packet of tomato seeds',
  'a board game about trains',
  'a phone charger',
  'the library card',
  'a pair of skis',
  'a drone',
  'an electric kettle',
  'a yoga mat',
  'the project proposal',
  'a winter jacket',
];

export const VERBS = ['bought', 'sold', 'lost', 'found', 'fixed', 'borrowed', 'painted', 'returned', 'ordered', 'forgot', 'wrapped', 'repaired', 'packed', 'lent out', 'picked up', 'dropped off'];

export const ACTIVITIES = [
  'jazz piano',
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
  'salsa dancing',
  'woodworking',
  'sailing',
  'knitting',
  'trail running',
  'calligraphy',
  'baking bread',
  'open water swimming',
  'stand-up comedy',
  'beekeeping',
  'learning Japanese',
  'cycling tours',
];

export const FEELINGS = ['loves', 'hates', 'is curious about', 'is tired of', 'wants to learn', 'keeps talking about', 'is nervous about', 'got really into', 'gave up on', 'is saving money for'];

export const TIMES = [
  'yesterday',
  'last Tuesday',
  'this morning',
  'two weeks ago',
  'over the weekend',
  'in March',
  'after work',
  'last summer',
  'on Friday night',
  'before the holidays',
  'during lunch',
  'three days ago',
  'last month',
  'on her birthday',
  'early on Sunday',
  'in the autumn',
];

export const FUTURE_TIMES = ['next week', 'in June', 'after the exams', 'this weekend', 'next spring', 'on Thursday', 'before the wedding', 'in two months'];

export const REASONS = [
  'because it was on sale',
  'since the old one broke',
  'as a surprise for a friend',
  'to prepare for the trip',
  'after a long debate',
  'on a whim',
  'because the deadline moved',
  'to save some money',
  'after reading the reviews',
  'because the doctor suggested it',
];

export const MOODS = ['honestly', 'to be fair', 'funny enough', 'sadly', 'luckily', 'as usual', 'believe it or not', 'if I remember right'];

export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Clauses of 6-17 words; a turn joins two or three of them. */
export const CLAUSES: Array<(v: Vocabulary) => string> = [
  ({ pick }) => `${capitalize(pick(TIMES))} ${pick(PEOPLE)} and I ${pick(VERBS)} ${pick(OBJECTS)} at ${pick(PLACES)}.`,
  ({ pick }) => `My ${pick(RELATIONS)} ${pick(PEOPLE)} ${pick(FEELINGS)} ${pick(ACTIVITIES)} and talks about it constantly.`,
  ({ pick, number }) => `We spent ${number(2, 9)} hours doing ${pick(ACTIVITIES)} near ${pick(PLACES)} ${pick(TIMES)}.`,
  ({ pick, number }) => `${pick(PEOPLE)} ${pick(VERBS)} ${pick(OBJECTS)} for ${number(5, 480)} dollars ${pick(REASONS)}.`,
  ({ pick, number }) => `${pick(PEOPLE)} is planning to visit ${pick(PLACES)} ${pick(FUTURE_TIMES)} with ${number(2, 6)} friends.`,
  ({ pick }) => `${capitalize(pick(MOODS))}, I ${pick(VERBS)} ${pick(OBJECTS)} ${pick(REASONS)}.`,
  ({ pick, number }) => `The ${pick(ACTIVITIES)} class at ${pick(PLACES)} starts at ${number(6, 11)} pm and costs ${number(10, 90)} dollars.`,
  ({ pick }) => `I told ${pick(PEOPLE)} that ${pick(PEOPLE)} ${pick(FEELINGS)} ${pick(ACTIVITIES)} now.`,
  ({ pick }) => `Remind me to ask ${pick(PEOPLE)} about ${pick(OBJECTS)} ${pick(FUTURE_TIMES)}.`,
  ({ pick, number }) => `${pick(PEOPLE)} ran ${number(3, 42)} kilometres from ${pick(PLACES)} to ${pick(PLACES)} ${pick(TIMES)}.`,
  ({ pick }) => `${pick(PEOPLE)} moved to ${pick(PLACES)} ${pick(TIMES)} and ${pick(FEELINGS)} ${pick(ACTIVITIES)}.`,
  ({ pick, number }) => `We booked a table for ${number(2, 12)} at ${pick(PLACES)} ${pick(FUTURE_TIMES)}.`,
];

export const QUESTIONS: Array<(v: Vocabulary) => string> = [
  ({ pick }) => `What did ${pick(PEOPLE)} buy at ${pick(PLACES)}?`,
  ({ pick }) => `Who ${pick(FEELINGS)} ${pick(ACTIVITIES)}?`,
  ({ pick }) => `When did I go to ${pick(PLACES)} with ${pick(PEOPLE)}?`,
  ({ pick }) => `How much did ${pick(OBJECTS)} cost?`,
  ({ pick }) => `Where is ${pick(PEOPLE)} planning to travel ${pick(FUTURE_TIMES)}?`,
  ({ pick }) => `What does my ${pick(RELATIONS)} think about ${pick(ACTIVITIES)}?`,
  ({ pick }) => `Why did ${pick(PEOPLE)} get ${pick(OBJECTS)}?`,
  ({ pick }) => `Which class at ${pick(PLACES)} was about ${pick(ACTIVITIES)}?`,
];
