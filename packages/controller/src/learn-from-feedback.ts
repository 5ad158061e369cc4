import { contentWords } from '@neuromem/core';
import { adjustmentsOf, personalFeatures, type AdaptationCandidate } from './adaptation-features';
import { judgeAdaptation, recordJudgement } from './track-record';
import { ADAPTATION_LIMITS, ADAPTED_FEATURES, entryOf, type Moment, type UserAdaptation, type WordCounts } from './user-adaptation';

/** One judgement of a user about one memory returned for one query. */
export interface FeedbackEvent {
  query: string;
  /** The memory judged, as ranked for the query; `logit` is the global ranker's. */
  target: AdaptationCandidate & { logit: number };
  useful: boolean;
  /** The other memories ranked for the query (the first few results), with their global logits. */
  others: ReadonlyArray<AdaptationCandidate & { logit: number }>;
  /**
   * The query's other candidates. A search measures the personal features (time, profile,
   * interest) among all of a query's candidates; learning measures them among the same set, so a
   * weight means at search what it meant when it was learned. Without them, among the judged few.
   */
  rest?: ReadonlyArray<AdaptationCandidate & { logit?: number }>;
}

export interface LearningOptions {
  /** Step size of each update (default 0.05). */
  learningRate?: number;
  /** Pull of every weight back to 0, the global model, per update (default 0.02). */
  decay?: number;
  /**
   * How much a "not useful" judgement teaches beside a useful one (default 0.25). A useful memory
   * names what the user meant; one not useful says only that this memory was wrong, and pushing it
   * below everything shown with it also pushes down what it shares with the memory they did mean
   * (for a user who wants recent memories, its being recent). Chosen on the simulated users of
   * `neuromem-eval adapt` (1, 0.5, 0.25: recent +0.092, +0.097, +0.107; topic +0.001, +0.016, +0.015;
   * no pattern +0.010, +0.010, +0.000; old +0.087 in each).
   */
  negativeWeight?: number;
}

/**
 * One online step of the per-user model (returns a new adaptation; the given one is not changed):
 * - **weights**: a pairwise logistic (RankNet) step on the residual, so a useful memory moves above
 *   the results shown with it and one marked not useful moves below them. Each step also decays the
 *   weights toward 0 (the global model is the prior) and caps them.
 * - **profile**: a useful memory's vector joins the last few the user found useful.
 * - **interests**: the useful memory's words count toward the subjects the user asks about.
 * - **times**: when the useful memory happened joins the last few such times, and when every memory
 *   shown with it happened joins the times searches bring.
 * - **vocabulary**: query words the useful memory does not hold count toward meaning the words it
 *   holds instead; only pairings that recur become meanings (`meaningsOf`).
 * - **track record**: before any of that, a useful memory's rank by the adaptation so far is
 *   compared with its rank by the global model (`judgeAdaptation`), so the user's searches use the
 *   adaptation only once it does better than the global model for them (`adaptationEarned`).
 */
export function learnFromFeedback(state: UserAdaptation, event: FeedbackEvent, options: LearningOptions = {}): UserAdaptation {
  const learningRate = options.learningRate ?? 0.05;
  const decay = options.decay ?? 0.02;
  const judgementWeight = event.useful ? 1 : (options.negativeWeight ?? 0.25);
  const next: UserAdaptation = {
    ...state,
    interactions: state.interactions + 1,
    weights: { ...state.weights },
    vocabulary: { ...state.vocabulary },
  };
  const listed = [event.target, ...event.others];
  const ranked = [...listed, ...(event.rest ?? [])];
  // Measured and centred among all the query's candidates, as a search measures them.
  const allRows = personalFeatures(state, event.query, ranked);
  const adjustments = adjustmentsOf(state, allRows);
  const rows = allRows.slice(0, listed.length);
  if (event.useful) {
    // Among every candidate when the rest came with their logits, else among the judged few.
    const judged = ranked.every((candidate) => 'logit' in candidate && Number.isFinite(candidate.logit)) ? ranked.length : listed.length;
    const logits = ranked.slice(0, judged).map((candidate) => (candidate as { logit: number }).logit);
    next.trackRecord = recordJudgement(state.trackRecord, judgeAdaptation(logits, adjustments.slice(0, judged)), decay);
  } else next.trackRecord = recordJudgement(state.trackRecord, 'same', decay);
  const scores = listed.map((candidate, i) => candidate.logit + adjustments[i]!);

  const gradient: Record<string, number> = {};
  for (let i = 1; i < listed.length; i++) {
    // The better of the pair by the user's judgement first.
    const [better, worse] = event.useful ? [0, i] : [i, 0];
    const margin = scores[better]! - scores[worse]!;
    const push = judgementWeight / (1 + Math.exp(margin));
    for (const name of ADAPTED_FEATURES) {
      const delta = (rows[better]![name] ?? 0) - (rows[worse]![name] ?? 0);
      if (Number.isFinite(delta) && delta !== 0) gradient[name] = (gradient[name] ?? 0) + push * delta;
    }
  }
  const cap = ADAPTATION_LIMITS.maxWeight;
  for (const name of ADAPTED_FEATURES) {
    const weight = (next.weights[name] ?? 0) * (1 - decay) + learningRate * (gradient[name] ?? 0);
    const capped = Math.max(-cap, Math.min(cap, weight));
    if (Math.abs(capped) < 1e-4) delete next.weights[name];
    else next.weights[name] = Math.round(capped * 1e5) / 1e5;
  }

  const shown = listed.filter((candidate) => candidate.id !== undefined).map(moment);
  // Every candidate of the judged query, not only the few shown: the shown ones are what the user's
  // questions aim at, so a subject they keep asking about is common among them too and its
  // affinity washed out (session 48: topic users +0.122 / +0.020 / +0.133 -> +0.133 / +0.069 / +0.254).
  next.seenWords = countWords(
    state.seenWords,
    ranked.map((candidate) => candidate.text),
    ADAPTATION_LIMITS.seenWords,
  );
  if (shown.length > 0) next.seenTimes = [...state.seenTimes, ...shown].slice(-ADAPTATION_LIMITS.seenTimes);
  if (event.useful) {
    if (event.target.vector) next.profile = updatedProfile(state.profile, event.target.vector);
    learnVocabulary(next, event.query, event.target.text);
    next.interests = countWords(state.interests, [event.target.text], ADAPTATION_LIMITS.interestWords);
    if (event.target.id !== undefined) next.usefulTimes = [...state.usefulTimes, moment(event.target)].slice(-ADAPTATION_LIMITS.usefulTimes);
  }
  return next;
}

function updatedProfile(profile: UserAdaptation['profile'], vector: Float32Array): UserAdaptation['profile'] {
  const added = Array.from(vector, round);
  // A new embedder (another vector size) starts a new profile; the same memory again moves to the end.
  const kept = (profile?.vectors ?? []).filter((v) => v.length === added.length && !v.every((x, i) => x === added[i]));
  return { vectors: [...kept, added].slice(-ADAPTATION_LIMITS.profileSize) };
}

function learnVocabulary(state: UserAdaptation, query: string, text: string): void {
  const held = contentWords(text);
  const heldStems = new Set(held.map((w) => w.stem));
  const asked = contentWords(query);
  const askedStems = new Set(asked.map((w) => w.stem));
  const instead = held.filter((w) => !askedStems.has(w.stem));
  for (const { stem } of asked) {
    if (heldStems.has(stem)) continue;
    const entry = entryOf(state.vocabulary, stem) ?? { asked: 0, means: {} };
    const means = { ...entry.means };
    for (const { word, stem: meaning } of instead) means[meaning] = { word, count: (entryOf(means, meaning)?.count ?? 0) + 1 };
    const times = entry.asked + 1;
    // A pairing that fell far behind how often the word was asked was a coincidence of one memory.
    for (const [meaning, { count }] of Object.entries(means)) if (times >= 4 && count < times / 4) delete means[meaning];
    state.vocabulary[stem] = { asked: times, means: keepLargest(means, ADAPTATION_LIMITS.meaningsPerWord, (m) => m.count) };
  }
  state.vocabulary = keepLargest(state.vocabulary, ADAPTATION_LIMITS.vocabularyWords, (entry) => entry.asked);
}

/** The counts with the texts' words added: the useful memories' (`interests`) and the ranked ones' (`seenWords`); the `limit` most held words stay. */
function countWords(counts: WordCounts, texts: readonly string[], limit: number): WordCounts {
  const words = { ...counts.words };
  for (const text of texts) for (const { stem } of contentWords(text)) words[stem] = (entryOf(words, stem) ?? 0) + 1;
  return { memories: counts.memories + texts.length, words: keepLargest(words, limit, (n) => n) };
}

/**
 * The `limit` entries with the largest `size`. Ties keep the later entry: an old pairing seen once
 * never recurred, a new one may yet.
 */
function keepLargest<T>(record: Record<string, T>, limit: number, size: (value: T) => number): Record<string, T> {
  const entries = Object.entries(record);
  if (entries.length <= limit) return record;
  const kept = entries.map((entry, at) => ({ entry, at })).sort((a, b) => size(b.entry[1]) - size(a.entry[1]) || b.at - a.at);
  return Object.fromEntries(kept.slice(0, limit).map(({ entry }) => entry));
}

const moment = (candidate: AdaptationCandidate): Moment => ({ memoryId: candidate.id!, eventTime: candidate.eventTime });

const round = (x: number) => Math.round(x * 1e5) / 1e5;
