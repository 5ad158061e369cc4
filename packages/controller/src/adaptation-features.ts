import { contentWords, cosineSimilarity, ENGLISH_STOP_WORDS, stemWord } from '@neuromem/core';
import { countsById, independentShare, timeAffinities, wordAffinityOf } from './personal-affinities';
import { ADAPTATION_LIMITS, entryOf, type UserAdaptation } from './user-adaptation';

/** One ranked memory as the per-user model reads it. */
export interface AdaptationCandidate {
  /** The memory's id (a memory's own past usefulness is not evidence about others like it). */
  id?: string;
  text: string;
  eventTime: number;
  /** The ranker's factors for this query. */
  factors: Readonly<Record<string, number>>;
  /** The memory's vector at the search scale, when known (for the profile). */
  vector?: Float32Array | undefined;
}

/** A vocabulary entry counts once it was seen this often, and holds for at least this share of the askings. */
const MEANING_MIN_COUNT = 2;
const MEANING_MIN_SHARE = 0.5;
/** Words a query grows by at most, so a learned vocabulary cannot drown what was asked. */
const MAX_EXPANSION = 8;

const WORD = /[\p{L}\p{N}]+/gu;
/** A cosine this close to 1 is the same memory (vectors are stored at reduced precision). */
const SAME_MEMORY = 0.99;

/** The memory words a query word means for this user: learned often enough, and most of the times it was asked. */
export function meaningsOf(state: UserAdaptation, stem: string): Array<{ stem: string; word: string; strength: number }> {
  const entry = entryOf(state.vocabulary, stem);
  if (!entry) return [];
  return Object.entries(entry.means)
    .filter(([, m]) => m.count >= MEANING_MIN_COUNT && m.count / entry.asked >= MEANING_MIN_SHARE)
    .map(([meaning, m]) => ({ stem: meaning, word: m.word, strength: m.count / (entry.asked + 1) }))
    .sort((a, b) => b.strength - a.strength);
}

/**
 * The query with what its words mean for this user appended ("the pup" -> "... beagle"), so
 * candidates that hold the user's meaning are found at all; unchanged without learned meanings.
 * - One meaning per word: the memory word said in most of the memories it was asked about, and
 *   among equals the one the memories ranked for the user's judged queries say least (the most specific). Two more
 *   meanings each diluted the query: simulated vocabulary users' recall@5 after 100 interactions
 *   0.150 / 0.070 / 0.085 with three, 0.210 / 0.205 / 0.135 with this one (seeds 1-3, with the
 *   replacement below).
 * - A word of the user's own that none of the memories ranked for them says ("where does snorf
 *   nap") is replaced by its meaning: it can match nothing, and to the encoders it is noise (a
 *   made-up word pulled the frozen model's recall@5 on the same users from 0.29 to 0.15).
 */
export function expandQuery(state: UserAdaptation, query: string): string {
  const asked = contentWords(query);
  const present = new Set(asked.map((w) => w.stem));
  const added: string[] = [];
  const replaced = new Set<string>();
  for (const { stem } of asked) {
    const meaning = strongestMeaning(state, stem);
    if (!meaning) continue;
    const inQuery = present.has(meaning.stem);
    // No room for its meaning: the word stays as asked.
    if (!inQuery && added.length >= MAX_EXPANSION) continue;
    if (!saidInMemories(state, stem)) replaced.add(stem);
    if (inQuery) continue;
    present.add(meaning.stem);
    added.push(meaning.word);
  }
  if (added.length === 0 && replaced.size === 0) return query;
  return [withoutWords(query, replaced), ...added].filter((part) => part.length > 0).join(' ');
}

/** The meaning a query word is expanded with: the strongest, then the least said in the memories ranked. */
function strongestMeaning(state: UserAdaptation, stem: string): { stem: string; word: string } | undefined {
  const shown = (meaning: string) => entryOf(state.seenWords.words, meaning) ?? 0;
  return meaningsOf(state, stem).sort((a, b) => b.strength - a.strength || shown(a.stem) - shown(b.stem))[0];
}

/** Whether a word was in any memory ranked for the user's judged queries (their useful ones included). */
const saidInMemories = (state: UserAdaptation, stem: string) => entryOf(state.seenWords.words, stem) !== undefined || entryOf(state.interests.words, stem) !== undefined;

/** The text without the words of these stems (spaces tidied). */
function withoutWords(text: string, stems: ReadonlySet<string>): string {
  if (stems.size === 0) return text;
  return text
    .normalize('NFKC')
    .replace(WORD, (raw) => {
      const lower = raw.toLowerCase();
      return raw.length >= 2 && !ENGLISH_STOP_WORDS.has(lower) && stems.has(stemWord(lower)) ? '' : raw;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** What the per-user model reads of each candidate: the ranker's factors and the personal features. */
export function personalFeatures(state: UserAdaptation, query: string, candidates: readonly AdaptationCandidate[]): Array<Record<string, number>> {
  const asked = contentWords(query);
  const askedStems = new Set(asked.map((w) => w.stem));
  const meanings = asked.map(({ stem }) => meaningsOf(state, stem));
  const learned = meanings.filter((m) => m.length > 0).length;
  const profile = state.profile?.vectors.map((v) => Float32Array.from(v)) ?? [];
  const times = candidates.map((c) => c.eventTime);
  const oldest = Math.min(...times);
  const span = Math.max(...times) - oldest;
  const affinity = timeAffinities(state.usefulTimes, state.seenTimes, candidates);
  const usefulCounts = countsById(state.usefulTimes);
  const seenCounts = countsById(state.seenTimes);
  const independent = independentShare(usefulCounts, state.usefulTimes.length);
  const rows = candidates.map((candidate, index) => {
    const features: Record<string, number> = { ...candidate.factors };
    const vector = candidate.vector;
    // A memory's own vector in the profile does not count: re-finding it is what `access` weighs;
    // this feature is about other memories like those the user found useful.
    features.profile = vector
      ? Math.max(
          0,
          ...profile
            .filter((p) => p.length === vector.length)
            .map((p) => cosineSimilarity(vector, p))
            .filter((c) => c < SAME_MEMORY),
        )
      : 0;
    // The memory's words, read once for both the vocabulary and the interests.
    const held = new Set(contentWords(candidate.text).map((w) => w.stem));
    if (learned > 0) {
      features.vocabulary = meanings.reduce((sum, m) => sum + Math.max(0, ...m.filter((meaning) => held.has(meaning.stem)).map((meaning) => meaning.strength)), 0) / meanings.length;
    } else features.vocabulary = 0;
    features.newer = span > 0 ? (candidate.eventTime - oldest) / span : 0.5;
    features.interest = interestOf(state.interests, held, askedStems);
    features.timeAffinity = affinity[index]!;
    const own = candidate.id === undefined ? { useful: 0, seen: 0 } : { useful: usefulCounts.get(candidate.id) ?? 0, seen: seenCounts.get(candidate.id) ?? 0 };
    features.wordAffinity = wordAffinityOf(state, held, askedStems, own, independent);
    return features;
  });
  // Like the ranker's relative factors: what counts is how a memory compares with this query's other
  // candidates, on a 0..1 scale whatever the spread of raw cosines and shares.
  for (const name of ['profile', 'interest']) {
    const values = rows.map((row) => row[name]!);
    const low = Math.min(...values);
    const range = Math.max(...values) - low;
    for (const row of rows) row[name] = range > 0 ? (row[name]! - low) / range : 0;
  }
  return rows;
}

/**
 * Logits a memory gains per unit of `vocabulary` on top of any learned weight. A word the user has
 * used again and again for what a memory says is evidence by itself; the query expansion alone leaves
 * it to the global ranker, which may weigh one added word little beside the meaning of the rest.
 * Chosen on the simulated users of `neuromem-eval adapt` (0, 1, 2: vocabulary gain at 100
 * interactions +0.115, +0.140, +0.145; the other patterns unchanged).
 */
export const VOCABULARY_PRIOR = 1;

/**
 * Logits a memory gains per unit of `wordAffinity` on top of any learned weight. A subject the user
 * keeps finding useful is evidence by itself; learned from feedback alone its weight stayed near 1,
 * while re-ranking the simulated users' frozen candidates by logit + w · affinity was best at w = 2-3
 * (session 48). Safe only because the affinity is read at its lower confidence bound: users with no
 * habit then gain none. Chosen on `neuromem-eval adapt` (LoCoMo dev, seeds 1-3): topic users
 * +0.133 / +0.069 / +0.254 -> +0.223 / +0.183 / +0.277 at 100 interactions, users without a
 * pattern +0.010 / −0.005 / −0.005 -> +0.015 / +0.000 / +0.000 (session 49).
 */
export const SUBJECT_PRIOR = 1.5;

/** The residual logit of one feature row before centring: Σ weight · value, with the vocabulary and subject priors. */
function rawAdjustmentOf(state: UserAdaptation, features: Readonly<Record<string, number>>): number {
  let sum = VOCABULARY_PRIOR * (features.vocabulary ?? 0) + SUBJECT_PRIOR * (features.wordAffinity ?? 0);
  for (const [name, weight] of Object.entries(state.weights)) {
    const value = features[name];
    if (value !== undefined && Number.isFinite(value)) sum += weight * value;
  }
  return sum;
}

/**
 * What the adaptation adds to each of one query's candidates (their feature rows, in order): the
 * residual logit minus the median of the candidates' residuals, capped. Only differences between
 * candidates change a ranking. A part every candidate shares (weights on importance and length,
 * when all the candidates are long and important) would otherwise use up the cap and leave most
 * candidates at the bound, the differences between them gone (session 47: simulated users' searches
 * had most of their first results at +3). It would also shift the logits the relevance model reads.
 */
export function adjustmentsOf(state: UserAdaptation, rows: ReadonlyArray<Readonly<Record<string, number>>>): number[] {
  const raw = rows.map((features) => rawAdjustmentOf(state, features));
  const sorted = [...raw].sort((a, b) => a - b);
  const middle = sorted.length === 0 ? 0 : (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
  const cap = ADAPTATION_LIMITS.maxAdjustment;
  return raw.map((value) => Math.max(-cap, Math.min(cap, value - middle)));
}

/** What the user's adaptation adds to each candidate's logit, in order (all 0 for an empty adaptation). */
export function personalAdjustments(state: UserAdaptation, query: string, candidates: readonly AdaptationCandidate[]): number[] {
  // Nothing learned yet: no weight, no meaning, no useful memory (the priors read those last two).
  if (Object.keys(state.weights).length === 0 && Object.keys(state.vocabulary).length === 0 && state.interests.memories === 0) return candidates.map(() => 0);
  return adjustmentsOf(state, personalFeatures(state, query, candidates));
}

/** Mean share of useful memories that held each of the memory's words (stems); the query's own words do not count (every candidate holds them). */
function interestOf(interests: UserAdaptation['interests'], held: ReadonlySet<string>, asked: ReadonlySet<string>): number {
  if (interests.memories === 0) return 0;
  const words = [...held].filter((stem) => !asked.has(stem));
  if (words.length === 0) return 0;
  return words.reduce((sum, stem) => sum + (entryOf(interests.words, stem) ?? 0), 0) / (words.length * interests.memories);
}
