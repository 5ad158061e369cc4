import { createErrorFactory, dot, type MemoryRecord } from '@neuromem/core';

const fail = createErrorFactory('retrieval');

/**
 * What a query wants of a fact that changed over time: its `latest` statement (the default, and
 * "now / currently / still") or the `previous` value ("used to / before / previously").
 */
export type FactStance = 'latest' | 'previous';

/** A statement as the judge of "same fact" sees it. */
export interface FactStatement {
  record: MemoryRecord;
  /** Its vector at the searched scale, when it has one. */
  vector?: Float32Array | undefined;
  /** The ranker's logit for the query: how well it answers (needed by `within`). */
  logit?: number;
}

/**
 * The probability that two statements of one owner are about the same fact (the same attribute of
 * the same entity: where someone lives, their job), whether they give the same value or a new one.
 * `older` was said before `newer`. Fitted by `neuromem-eval fit-fact-pairs`; see `@neuromem/controller`.
 */
export type SameFactJudge = (older: FactStatement, newer: FactStatement) => number;

/** Two statements this similar (cosine) give the same value: a restatement, not a change. */
export const RESTATEMENT_SIMILARITY = 0.85;

/**
 * The judge retrieval uses when none is given: only restatements (same speaker, cosine at least
 * `RESTATEMENT_SIMILARITY`) are the same fact.
 */
export const restatementJudge: SameFactJudge = (older, newer) =>
  older.record.role === newer.record.role && older.vector !== undefined && newer.vector !== undefined && cosine(older.vector, newer.vector) >= RESTATEMENT_SIMILARITY ? 1 : 0;

export interface FactUpdateOptions {
  stance: FactStance;
  judge: SameFactJudge;
  /** Pairs already known to be the same fact (`supersedes` links a sleep made), as `newer>older` ids. */
  linked?: ReadonlySet<string>;
  /**
   * Only statements whose logit is at most this much below the head's best may trade places: both
   * versions must answer the question nearly as well as the best does. Default: the whole head.
   */
  within?: number;
  /**
   * With `within`: the probability that the newer of two same-fact statements gives a new value (a
   * change, not the value said again). A pair judged a change (at least `CHANGED_AT`) may lie further
   * below the best: `within` plus the judge's log-odds of "same fact", so the surer the judge, the
   * further a newer value is brought up. A restatement keeps `within`: it answers as well as the
   * statement it repeats.
   */
  changed?: SameFactJudge;
}

/**
 * The change probability from which a same-fact pair counts as a change. Chosen on the development
 * halves only (update set 01-05 and LoCoMo dev): 0.5 and 0.7 gave the same current-value hit@1 on
 * 01-05 (0.516), 0.7 kept its unchanged-fact control (0.400, 0.350 at 0.5) and LoCoMo recall@1 within
 * 0.005 (0.448 -> 0.445; 0.441 at 0.5). See apps/eval/RESULTS.md, session 58.
 */
export const CHANGED_AT = 0.7;

/** A head entry after ordering: `restates` names the older statement of the same fact it moved above. */
export interface OrderedEntry<T> {
  entry: T;
  restates?: string;
}

/**
 * Knowledge updates in the head of a ranking: statements judged to be about the same fact form a
 * group, and the group's members trade places so that the one the stance asks for comes first — the
 * newest for `latest`, the oldest for `previous`. Members keep the group's positions, so
 * nothing enters or leaves the head; other entries do not move. Older statements stay visible (and
 * in history): an update is a preference, never a deletion.
 */
export function orderFactUpdates<T extends FactStatement>(head: readonly T[], options: FactUpdateOptions): Array<OrderedEntry<T>> {
  const { within } = options;
  if (within !== undefined && !(typeof within === 'number' && Number.isFinite(within) && within >= 0)) {
    throw fail('INVALID_INPUT', `within must be a finite number of logits >= 0; got ${String(within)}.`, { details: { field: 'within' } });
  }
  const n = head.length;
  const best = Math.max(...head.map((entry) => entry.logit ?? Number.NEGATIVE_INFINITY));
  const eligible = head.map((entry) => within === undefined || (entry.logit !== undefined && entry.logit >= best - within));
  const group = Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : (group[i] = root(group[i]!)));
  const same = (i: number, j: number) => {
    const [older, newer] = head[i]!.record.eventTime <= head[j]!.record.eventTime ? [head[i]!, head[j]!] : [head[j]!, head[i]!];
    // A sleep's link is known, not guessed: it holds whatever the versions score.
    if (options.linked?.has(`${newer.record.id}>${older.record.id}`)) return true;
    const near = eligible[i]! && eligible[j]!;
    if (!near && options.changed === undefined) return false;
    const p = options.judge(older, newer);
    if (!(p >= 0.5)) return false;
    if (near) return true;
    // Below `within`: only a changed value, as far below the best as the judge is sure of the fact.
    if (!(options.changed!(older, newer) >= CHANGED_AT)) return false;
    const reach = best - within! - logOdds(p);
    return head[i]!.logit! >= reach && head[j]!.logit! >= reach;
  };
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (root(i) !== root(j) && same(i, j)) group[root(j)] = root(i);

  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) members.set(root(i), [...(members.get(root(i)) ?? []), i]);
  const result: Array<OrderedEntry<T>> = head.map((entry) => ({ entry }));
  for (const positions of members.values()) {
    if (positions.length < 2) continue;
    const ordered = preferred(
      positions.map((i) => head[i]!),
      options.stance,
    );
    positions.forEach((position, k) => {
      const entry = ordered[k]!;
      // Moved into an older statement's place: say which one it now outranks.
      const before = head[position]!;
      result[position] = { entry, ...(before !== entry && before.record.eventTime < entry.record.eventTime ? { restates: before.record.id } : {}) };
    });
  }
  return result;
}

/**
 * A group's statements in the order the stance prefers: newest first for `latest`; oldest first for
 * `previous`. With two versions the oldest is the one before the current; with more, the judge's
 * groups are not sure enough to tell the previous value from the first (a value said again in other
 * words looks like a new one), and oldest first measured better held out than "newest that is not
 * the current value" (see the package README).
 */
function preferred<T extends FactStatement>(statements: readonly T[], stance: FactStance): T[] {
  const sign = stance === 'latest' ? -1 : 1;
  return [...statements].sort((a, b) => sign * (a.record.eventTime - b.record.eventTime));
}

/** ln(p / (1 - p)), kept finite for a judge that answers 1. */
function logOdds(p: number): number {
  const q = Math.min(p, 0.999);
  return Math.log(q / (1 - q));
}

function cosine(a: Float32Array, b: Float32Array): number {
  const norms = Math.sqrt(dot(a, a) * dot(b, b));
  return norms > 0 ? dot(a, b) / norms : 0;
}
