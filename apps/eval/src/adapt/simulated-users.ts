import { contentWords } from '@neuromem/controller';
import { createRandom } from '@neuromem/core/testing';

/**
 * How a simulated user's questions differ from what the global model expects:
 * - `none`: any memory, asked in its own words (the control: adaptation must not hurt it);
 * - `recent` / `old`: only memories from the newest / oldest third of the conversation;
 * - `topic`: only memories about two favourite subjects (the turns that say one of the distinctive
 *   words of either of two seed turns: a subject is what a few words said in few turns name);
 * - `vocabulary`: any memory, but the user has their own word (a nickname no model knows) for each
 *   of the conversation's most frequent content words, and uses it instead.
 */
export const PATTERNS = ['none', 'recent', 'old', 'topic', 'vocabulary'] as const;
export type Pattern = (typeof PATTERNS)[number];

export interface SimulatedTurn {
  /** The memory id of the stored turn. */
  id: string;
  text: string;
  eventTime: number;
}

export interface Interaction {
  query: string;
  /** The memory the user is after. */
  target: string;
}

export interface SimulatedUser {
  pattern: Pattern;
  /** The interactions they learn from, in order. */
  training: Interaction[];
  /** Questions of the same kind about other memories, asked at every checkpoint. */
  test: Interaction[];
  /** The user's own words (vocabulary pattern): memory word -> their word. */
  aliases: Record<string, string>;
}

/** Words a query is made of (a known-item question: a few of the memory's own words). */
const QUERY_WORDS = 1;
/** A query's words come from the target's this many most widely shared words. */
const AMBIGUOUS_WORDS = 4;
/** Memories too short to be asked about this way. */
const MIN_CONTENT_WORDS = 6;
const ALIASED_WORDS = 40;
const TOPIC_SIZE = 40;
/** Distinctive words that name a seed's subject, and the fewest turns such a word is said in. */
const TOPIC_WORDS = 5;
const MIN_TOPIC_TURNS = 3;

/**
 * A simulated user of one stored conversation: `training` interactions and `test` questions drawn
 * from the pattern's memories (test targets never trained on), reproducible from `seed`. A query is
 * a few of the target's content words, preferring words other turns share (so the question is
 * ambiguous the way real ones are, and which memory the user means is what can be learned).
 */
export function simulateUser(turns: readonly SimulatedTurn[], pattern: Pattern, options: { seed: number; training: number; test: number }): SimulatedUser {
  const random = createRandom(options.seed);
  const words = new Map(turns.map((turn) => [turn.id, contentWords(turn.text).filter((w) => w.word.length >= 3 && !/^\d+$/.test(w.word))]));
  const df = new Map<string, number>();
  for (const list of words.values()) for (const { stem } of list) df.set(stem, (df.get(stem) ?? 0) + 1);
  const askable = turns.filter((turn) => words.get(turn.id)!.length >= MIN_CONTENT_WORDS);
  const aliases = pattern === 'vocabulary' ? makeAliases(askable, words, df, random) : {};
  const pool = targetsOf(pattern, askable, words, df, random, aliases);
  const shuffled = shuffle(pool, random);
  const testTargets = shuffled.slice(0, Math.min(options.test, Math.floor(shuffled.length / 3)));
  const trainingTargets = shuffled.slice(testTargets.length);
  const ceiling = Math.max(4, Math.floor(turns.length * 0.05));
  // How often a word is said in the memories the user does not ask about: a question made of such
  // words could mean those too, and that the user means theirs is what adaptation can learn. (For a
  // user who asks about anything, every other turn counts.)
  const inPool = new Set(pool.map((turn) => turn.id));
  const outside = new Map<string, number>();
  for (const turn of askable) if (!inPool.has(turn.id) || inPool.size === askable.length) for (const { stem } of words.get(turn.id)!) outside.set(stem, (outside.get(stem) ?? 0) + 1);
  const ask = (turn: SimulatedTurn): Interaction => ({ query: queryFor(words.get(turn.id)!, df, outside, random, aliases, ceiling), target: turn.id });
  return {
    pattern,
    training: Array.from({ length: options.training }, () => ask(trainingTargets[Math.floor(random() * trainingTargets.length)]!)),
    test: testTargets.map(ask),
    aliases,
  };
}

function targetsOf(
  pattern: Pattern,
  turns: readonly SimulatedTurn[],
  words: ReadonlyMap<string, Array<{ word: string; stem: string }>>,
  df: ReadonlyMap<string, number>,
  random: () => number,
  aliases: Record<string, string>,
): SimulatedTurn[] {
  const byTime = [...turns].sort((a, b) => a.eventTime - b.eventTime);
  const third = Math.ceil(byTime.length / 3);
  switch (pattern) {
    case 'recent':
      return byTime.slice(-third);
    case 'old':
      return byTime.slice(0, third);
    case 'topic': {
      // A subject is named by a few distinctive words: said in a few turns, not in most (the same band
      // as the words a question is made of, so a question can be about the subject without naming it).
      const ceiling = Math.max(4, Math.floor(turns.length * 0.05));
      const distinctive = (turn: SimulatedTurn) =>
        words
          .get(turn.id)!
          .filter((w) => (df.get(w.stem) ?? 0) >= MIN_TOPIC_TURNS && (df.get(w.stem) ?? 0) <= ceiling)
          .sort((a, b) => (df.get(a.stem) ?? 0) - (df.get(b.stem) ?? 0))
          .slice(0, TOPIC_WORDS)
          .map((w) => w.stem);
      const chosen: SimulatedTurn[] = [];
      const topics: string[][] = [];
      for (const seed of shuffle(turns, random)) {
        const named = distinctive(seed).filter((stem) => !topics.flat().includes(stem));
        if (named.length === 0) continue;
        topics.push(named);
        const holding = (turn: SimulatedTurn) => words.get(turn.id)!.filter((w) => named.includes(w.stem)).length;
        const about = turns
          .filter((turn) => holding(turn) > 0)
          .map((turn) => ({ turn, held: holding(turn), tie: random() }))
          .sort((a, b) => b.held - a.held || a.tie - b.tie)
          .slice(0, TOPIC_SIZE)
          .map(({ turn }) => turn);
        chosen.push(seed, ...about);
        if (topics.length === 2) break;
      }
      return [...new Set(chosen)];
    }
    case 'vocabulary':
      return turns.filter((turn) => words.get(turn.id)!.some((w) => aliases[w.stem] !== undefined));
    default:
      return [...turns];
  }
}

function queryFor(
  words: ReadonlyArray<{ word: string; stem: string }>,
  df: ReadonlyMap<string, number>,
  outside: ReadonlyMap<string, number>,
  random: () => number,
  aliases: Record<string, string>,
  ceiling: number,
): string {
  // The target's words said most often in the memories the user does not mean (short of the
  // ubiquitous): the question is ambiguous the way real ones are.
  const shared = words
    .filter((w) => (df.get(w.stem) ?? 0) >= 2 && (df.get(w.stem) ?? 0) <= ceiling && (outside.get(w.stem) ?? 0) >= 1)
    .sort((a, b) => (outside.get(b.stem) ?? 0) - (outside.get(a.stem) ?? 0))
    .slice(0, AMBIGUOUS_WORDS);
  const rest = words.filter((w) => !shared.includes(w));
  const aliased = words.filter((w) => aliases[w.stem] !== undefined);
  const chosen = [...new Set([...shuffle(aliased, random).slice(0, 1), ...shuffle(shared, random), ...shuffle(rest, random)])].slice(0, QUERY_WORDS);
  return chosen.map((w) => aliases[w.stem] ?? w.word).join(' ');
}

/**
 * A made-up word (no lexicon or model knows it) for each of the conversation's most frequent
 * subjects: content words said in several turns but not in most (those are "really", "great").
 */
function makeAliases(
  turns: readonly SimulatedTurn[],
  words: ReadonlyMap<string, Array<{ word: string; stem: string }>>,
  df: ReadonlyMap<string, number>,
  random: () => number,
): Record<string, string> {
  const ceiling = Math.max(4, Math.floor(turns.length * 0.05));
  const frequent = [...new Set(turns.flatMap((turn) => words.get(turn.id)!.map((w) => w.stem)))]
    .filter((stem) => (df.get(stem) ?? 0) >= 3 && (df.get(stem) ?? 0) <= ceiling)
    .sort((a, b) => (df.get(b) ?? 0) - (df.get(a) ?? 0) || (a < b ? -1 : 1))
    .slice(0, ALIASED_WORDS);
  const syllables = ['ka', 'zo', 'vri', 'mu', 'tel', 'shan', 'po', 'grim', 'ux', 'fen', 'dra', 'qui', 'lop', 'nesh', 'bor', 'yat'];
  const used = new Set<string>();
  const aliases: Record<string, string> = {};
  for (const stem of frequent) {
    let alias: string;
    do alias = Array.from({ length: 3 }, () => syllables[Math.floor(random() * syllables.length)]).join('');
    while (used.has(alias));
    used.add(alias);
    aliases[stem] = alias;
  }
  return aliases;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
