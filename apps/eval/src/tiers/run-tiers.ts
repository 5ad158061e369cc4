import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { requireCapability } from '@neuromem/core';
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
 * - `learned`: the lowest learned importance first (Module 3's P(needed later), set at add).
 */
export const TIER_POLICIES = ['random', 'recency', 'length', 'learned'] as const;
export type TierPolicy = (typeof TIER_POLICIES)[number];

export interface TiersOptions extends FoldModelOptions {
  conversations: readonly LocomoConversation[];
  /** Shares of memories that keep their vectors (default 0.75, 0.5, 0.25, 0; 1 = keep-all is always measured). */
  warmShares?: readonly number[];
  policies?: readonly TierPolicy[];
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
  points: TierPoint[];
}

/**
 * The storage-recall trade of storage tiers: each conversation is stored once (every memory warm),
 * then, per policy and share, a copy has the policy's choice of memories turned cold
 * (`setVectors(id, null)`), is compacted, and answers the conversation's questions.
 */
export async function runTiers(options: TiersOptions): Promise<TiersReport> {
  const shares = [...new Set(options.warmShares ?? [0.75, 0.5, 0.25, 0])].sort((a, b) => b - a);
  const policies = options.policies ?? TIER_POLICIES;
  const sums = new Map<string, { recalled: number; bytes: number; vectorBytes: number }>();
  let memories = 0;
  let questions = 0;
  for (const [c, conversation] of options.conversations.entries()) {
    const settings = await foldSettings(conversation, options);
    const root = mkdtempSync(join(tmpdir(), 'neuromem-tiers-'));
    try {
      const template = join(root, 'template');
      const turns = await storeConversation(template, conversation, settings);
      const asked = conversation.questions.filter((q) => q.category !== 5 && q.evidence.some((e) => turns.some((t) => t.diaId === e)));
      memories += turns.length;
      questions += asked.length;
      const importance = await importanceOf(template, settings, turns);
      const runs: Array<{ policy: TierPolicy | 'keep-all'; share: number }> = [{ policy: 'keep-all', share: 1 }, ...policies.flatMap((policy) => shares.map((share) => ({ policy, share })))];
      for (const { policy, share } of runs) {
        const path = join(root, `${policy}-${share}`);
        cpSync(template, path, { recursive: true });
        const cold = policy === 'keep-all' ? [] : coldFirst(policy, turns, importance, (options.seed ?? 1) * 100 + c).slice(0, Math.round(turns.length * (1 - share)));
        const measured = await measure(path, settings, conversation, turns, asked, cold);
        const key = `${policy}:${share}`;
        const sum = sums.get(key) ?? { recalled: 0, bytes: 0, vectorBytes: 0 };
        sums.set(key, { recalled: sum.recalled + measured.recalled, bytes: sum.bytes + measured.bytes, vectorBytes: sum.vectorBytes + measured.vectorBytes });
        rmSync(path, { recursive: true, force: true });
      }
      options.onProgress?.(`${conversation.sampleId}: ${turns.length} memories, ${asked.length} questions, ${runs.length} runs`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  const points = [...sums].map(([key, sum]) => {
    const [policy, share] = key.split(':') as [TierPoint['policy'], string];
    return { policy, warmShare: Number(share), recall10: questions > 0 ? sum.recalled / questions : 0, bytes: sum.bytes, vectorBytes: sum.vectorBytes };
  });
  return { memories, questions, points };
}

/** The memories in the order the policy turns them cold. */
function coldFirst(policy: TierPolicy, turns: readonly StoredTurn[], importance: ReadonlyMap<string, number>, seed: number): string[] {
  const order = [...turns];
  if (policy === 'random') {
    const random = createRandom(seed);
    const keys = new Map(order.map((turn) => [turn.id, random()]));
    order.sort((a, b) => keys.get(a.id)! - keys.get(b.id)!);
  } else if (policy === 'recency') order.sort((a, b) => a.eventTime - b.eventTime);
  else if (policy === 'length') order.sort((a, b) => a.text.length - b.text.length);
  else order.sort((a, b) => importance.get(a.id)! - importance.get(b.id)!);
  return order.map((turn) => turn.id);
}

async function importanceOf(path: string, settings: MemoryOptions, turns: readonly StoredTurn[]): Promise<Map<string, number>> {
  const memory = await createMemory({ path, ...settings });
  try {
    const records = await memory.store.getMany(turns.map((turn) => turn.id));
    return new Map(records.map((record) => [record.id, record.importance]));
  } finally {
    await memory.close();
  }
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
  return [`${report.memories} memories, ${report.questions} questions (categories 1-4); bytes after compaction`, line(header), ...rows.map(line)].join('\n');
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
