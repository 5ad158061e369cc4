import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createManualClock, requireCapability } from '@neuromem/core';
import { fitUtility, utilityOf, type LogisticModel, type UtilityFeature, type UtilityInput } from '@neuromem/controller';
import { createRandom } from '@neuromem/core/testing';
import { createMemory, type MemoryOptions } from 'neuromem';
import type { SqliteMemoryStore } from '@neuromem/store';
import type { LocomoConversation } from '../locomo/load-locomo';
import { foldSettings, storeConversation, type FoldModelOptions, type StoredTurn } from '../locomo/store-conversation';
import { questionTime } from '../locomo/turn-message';

/**
 * Which memories lose their vectors first (become cold: text, words and links only) when only a
 * share of them may keep vectors:
 * - `random`: any (seeded);
 * - `recency`: the oldest first (forgetting by age);
 * - `length`: the shortest first (a heuristic importance: short turns say little);
 * - `learned`: the lowest learned importance first (Module 3's P(needed later), set at add);
 * - `utility`: the lowest predicted utility first, from age, accesses and importance (only with a
 *   replay, which makes the accesses; fitted on the other conversations).
 */
export const TIER_POLICIES = ['random', 'recency', 'length', 'learned', 'utility'] as const;
export type TierPolicy = (typeof TIER_POLICIES)[number];

export interface TiersOptions extends FoldModelOptions {
  conversations: readonly LocomoConversation[];
  /** Shares of memories that keep their vectors (default 0.75, 0.5, 0.25, 0; 1 = keep-all is always measured). */
  warmShares?: readonly number[];
  policies?: readonly TierPolicy[];
  /** Ask the first half of each conversation's questions before measuring the second half (default false). */
  replay?: boolean;
  seed?: number;
  onProgress?: (message: string) => void;
}

export interface TierPoint {
  policy: TierPolicy | 'keep-all';
  /** Share of memories with vectors. */
  warmShare: number;
  /** Evidence recall@10 over the questions (categories 1-4). */
  recall10: number;
  /** Bytes on disk after compaction (SQLite pages and vector index files), summed over conversations. */
  bytes: number;
  /** Of which vectors and vector indexes. */
  vectorBytes: number;
}

export interface TiersReport {
  memories: number;
  questions: number;
  /** Whether the first half of the questions was asked first (and only the second measured). */
  replay: boolean;
  /** With the utility policy: the utility model fitted on every conversation (the table used fold models). */
  utility?: LogisticModel<UtilityFeature>;
  points: TierPoint[];
}

/** One conversation, stored once: what every policy's copy starts from. */
interface Prepared {
  conversation: LocomoConversation;
  settings: MemoryOptions;
  template: string;
  turns: StoredTurn[];
  /** The questions measured (with a replay, the later half). */
  asked: LocomoConversation['questions'];
  /** Each memory as it stands when the measured questions come: importance, time, accesses. */
  records: Map<string, UtilityInput>;
  /** Memories that measured questions cite. */
  needed: Set<string>;
}

/**
 * The storage-recall trade of storage tiers: each conversation is stored once (every memory warm),
 * then, per policy and share, a copy has the policy's choice of memories turned cold
 * (`setVectors(id, null)`), is compacted, and answers the conversation's questions. With `replay`,
 * the first half of the questions is asked first (their results count as accesses) and the second
 * half is measured; the `utility` policy (age, access and importance, fitted on the other
 * conversations' replays) then joins the others.
 */
export async function runTiers(options: TiersOptions): Promise<TiersReport> {
  const shares = [...new Set(options.warmShares ?? [0.75, 0.5, 0.25, 0])].sort((a, b) => b - a);
  const policies = (options.policies ?? TIER_POLICIES).filter((policy) => policy !== 'utility' || options.replay);
  const sums = new Map<string, { recalled: number; bytes: number; vectorBytes: number }>();
  const root = mkdtempSync(join(tmpdir(), 'neuromem-tiers-'));
  try {
    const prepared: Prepared[] = [];
    for (const [c, conversation] of options.conversations.entries()) prepared.push(await prepare(conversation, join(root, `template-${c}`), options));
    for (const [c, one] of prepared.entries()) {
      // Fitted on the other conversations only: the conversation measured was never seen.
      const utility = policies.includes('utility') ? fitUtility(prepared.filter((other) => other !== one).flatMap(utilityExamples)) : undefined;
      const predicted = (id: string): number => (utility ? utilityOf(utility, one.records.get(id)!, questionTime(one.conversation)) : 0);
      const runs: Array<{ policy: TierPolicy | 'keep-all'; share: number }> = [{ policy: 'keep-all', share: 1 }, ...policies.flatMap((policy) => shares.map((share) => ({ policy, share })))];
      for (const { policy, share } of runs) {
        const path = join(root, `${policy}-${share}`);
        cpSync(one.template, path, { recursive: true });
        const cold = policy === 'keep-all' ? [] : coldFirst(policy, one, predicted, (options.seed ?? 1) * 100 + c).slice(0, Math.round(one.turns.length * (1 - share)));
        const measured = await measure(path, one.settings, one.conversation, one.turns, one.asked, cold);
        const key = `${policy}:${share}`;
        const sum = sums.get(key) ?? { recalled: 0, bytes: 0, vectorBytes: 0 };
        sums.set(key, { recalled: sum.recalled + measured.recalled, bytes: sum.bytes + measured.bytes, vectorBytes: sum.vectorBytes + measured.vectorBytes });
        rmSync(path, { recursive: true, force: true });
      }
      options.onProgress?.(`${one.conversation.sampleId}: ${one.turns.length} memories, ${one.asked.length} questions, ${runs.length} runs`);
    }
    const questions = prepared.reduce((n, one) => n + one.asked.length, 0);
    const points = [...sums].map(([key, sum]) => {
      const [policy, share] = key.split(':') as [TierPoint['policy'], string];
      return { policy, warmShare: Number(share), recall10: questions > 0 ? sum.recalled / questions : 0, bytes: sum.bytes, vectorBytes: sum.vectorBytes };
    });
    // Fitted on every conversation: what a shipped utility model would be (the table used fold models).
    const utility = policies.includes('utility') ? fitUtility(prepared.flatMap(utilityExamples)) : undefined;
    return { memories: prepared.reduce((n, one) => n + one.turns.length, 0), questions, replay: options.replay === true, points, ...(utility ? { utility } : {}) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A prepared conversation's memories as utility examples: needed when a measured question cites them. */
const utilityExamples = (one: Prepared) => [...one.records].map(([id, memory]) => ({ memory, now: questionTime(one.conversation), needed: one.needed.has(id) }));

async function prepare(conversation: LocomoConversation, template: string, options: TiersOptions): Promise<Prepared> {
  const settings = await foldSettings(conversation, options);
  const turns = await storeConversation(template, conversation, settings);
  const answerable = conversation.questions.filter((q) => q.category !== 5 && q.evidence.some((e) => turns.some((t) => t.diaId === e)));
  const history = options.replay ? answerable.slice(0, Math.floor(answerable.length / 2)) : [];
  const asked = answerable.slice(history.length);
  const now = questionTime(conversation);
  const memory = await createMemory({ path: template, ...settings, clock: createManualClock(now) });
  try {
    for (const question of history) await memory.search(question.question, { userId: conversation.sampleId, topK: 10, referenceDate: now });
    const records = new Map(
      (await memory.store.getMany(turns.map((turn) => turn.id))).map((r) => [r.id, { importance: r.importance, eventTime: r.eventTime, accessCount: r.accessCount, lastAccessedAt: r.lastAccessedAt }]),
    );
    const idOf = new Map(turns.map((turn) => [turn.diaId, turn.id]));
    const needed = new Set(asked.flatMap((question) => question.evidence.map((e) => idOf.get(e)).filter((id): id is string => id !== undefined)));
    return { conversation, settings, template, turns, asked, records, needed };
  } finally {
    await memory.close();
  }
}

/** The memories in the order the policy turns them cold. */
function coldFirst(policy: TierPolicy, one: Prepared, utility: (id: string) => number, seed: number): string[] {
  const order = [...one.turns];
  if (policy === 'random') {
    const random = createRandom(seed);
    const keys = new Map(order.map((turn) => [turn.id, random()]));
    order.sort((a, b) => keys.get(a.id)! - keys.get(b.id)!);
  } else if (policy === 'recency') order.sort((a, b) => a.eventTime - b.eventTime);
  else if (policy === 'length') order.sort((a, b) => a.text.length - b.text.length);
  else if (policy === 'learned') order.sort((a, b) => one.records.get(a.id)!.importance - one.records.get(b.id)!.importance);
  else order.sort((a, b) => utility(a.id) - utility(b.id));
  return order.map((turn) => turn.id);
}

async function measure(
  path: string,
  settings: MemoryOptions,
  conversation: LocomoConversation,
  turns: readonly StoredTurn[],
  asked: LocomoConversation['questions'],
  cold: readonly string[],
): Promise<{ recalled: number; bytes: number; vectorBytes: number }> {
  const demoting = await createMemory({ path, ...settings });
  const store = requireCapability(demoting.store, 'vectorTiers', 'eval');
  for (const id of cold) await store.setVectors(id, null);
  await demoting.close();
  // What the bytes would be once compacted (the sleep agents' job): freed pages returned.
  const db = new Database(join(path, 'memory.db'));
  db.exec('VACUUM');
  db.close();
  const memory = await createMemory({ path, ...settings, trackAccess: false });
  try {
    const idOf = new Map(turns.map((turn) => [turn.diaId, turn.id]));
    let recalled = 0;
    for (const question of asked) {
      const { results } = await memory.search(question.question, { userId: conversation.sampleId, topK: 10, referenceDate: questionTime(conversation) });
      const found = new Set(results.map((r) => r.id));
      const evidence = question.evidence.map((e) => idOf.get(e)).filter((id): id is string => id !== undefined);
      recalled += evidence.filter((id) => found.has(id)).length / evidence.length;
    }
    const breakdown = await (memory.store as SqliteMemoryStore).storageBreakdown();
    const bytes = Object.values(breakdown).reduce((sum, n) => sum + n, 0);
    return { recalled, bytes, vectorBytes: breakdown.vectors + breakdown['vector indexes'] };
  } finally {
    await memory.close();
  }
}

/** One row per policy and share: recall@10, its change from keep-all, and the bytes per memory. */
export function formatTiersTable(report: TiersReport): string {
  const keepAll = report.points.find((p) => p.policy === 'keep-all')!;
  const header = ['policy', 'warm share', 'R@10', 'Δ R@10', 'bytes / memory', 'of which vectors', 'bytes vs keep-all'];
  const rows = report.points.map((p) => [
    p.policy,
    p.warmShare.toFixed(2),
    p.recall10.toFixed(3),
    p === keepAll ? '' : signed(p.recall10 - keepAll.recall10),
    String(Math.round(p.bytes / report.memories)),
    String(Math.round(p.vectorBytes / report.memories)),
    `${((100 * p.bytes) / keepAll.bytes).toFixed(1)} %`,
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  const replay = report.replay ? ", measured after the first half of each conversation's questions was asked" : '';
  return [`${report.memories} memories, ${report.questions} questions (categories 1-4)${replay}; bytes after compaction`, line(header), ...rows.map(line)].join('\n');
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
