import { createErrorFactory, parseTime, validateId, validateScope, validateText, type Embedder, type MemoryRecord, type MemoryStore, type NewMemory, type Scope } from '@neuromem/core';
import { factOf } from '@neuromem/agents';
import { annotateMemory } from '@neuromem/retrieval';
import { keepsTokens, storedTokens } from './stored-tokens';

const fail = createErrorFactory('neuromem');

/** One memory as a JSON line: readable, diffable, and enough to rebuild it elsewhere. */
export interface PortableMemory {
  id: string;
  text: string;
  kind: MemoryRecord['kind'];
  userId?: string;
  agentId?: string;
  runId?: string;
  role: string | null;
  eventTime: string;
  createdAt: string;
  importance: number;
  metadata: MemoryRecord['metadata'];
}

export function toPortable(record: MemoryRecord): PortableMemory {
  return {
    id: record.id,
    text: record.text,
    kind: record.kind,
    ...(record.scope.userId !== undefined ? { userId: record.scope.userId } : {}),
    ...(record.scope.agentId !== undefined ? { agentId: record.scope.agentId } : {}),
    ...(record.scope.sessionId !== undefined ? { runId: record.scope.sessionId } : {}),
    role: record.role,
    eventTime: new Date(record.eventTime).toISOString(),
    createdAt: new Date(record.createdAt).toISOString(),
    importance: record.importance,
    metadata: record.metadata,
  };
}

/**
 * Every current memory of the scope (all of them when the scope is empty) in the order they were
 * stored, page by page after a cursor: each page costs its own rows, whatever the memory's size.
 */
export async function* exportMemories(store: MemoryStore, scope: Scope = {}): AsyncGenerator<PortableMemory> {
  const page = 1000;
  for (let after: string | undefined; ; ) {
    const records = await store.list({ scope, order: 'written-asc', limit: page, ...(after !== undefined ? { after } : {}) });
    // Consolidated facts are derived: a sleep on the imported memories makes them again.
    for (const record of records) if (factOf(record) === undefined) yield toPortable(record);
    if (records.length < page) return;
    after = records[records.length - 1]!.id;
  }
}

/**
 * Parses JSON Lines into memories, checking every line before anything is written, so a bad line
 * reports its number and the store stays unchanged.
 */
export function parsePortableLines(content: string): NewMemory[] {
  const items: NewMemory[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const at = `line ${i + 1}`;
    let value: Partial<PortableMemory> & { memory?: string };
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      throw fail('INVALID_INPUT', `${at} is not valid JSON.`, { details: { line: i + 1 } });
    }
    if (typeof value !== 'object' || value === null) throw fail('INVALID_INPUT', `${at} must be a JSON object.`, { details: { line: i + 1 } });
    const text = validateText(value.text ?? value.memory, { field: `${at}: text`, module: 'neuromem' });
    const scope = validateScope({ userId: value.userId, agentId: value.agentId, sessionId: value.runId }, { required: true, module: 'neuromem' });
    items.push({
      ...(value.id !== undefined ? { id: validateId(value.id, 'neuromem', `${at}: id`) } : {}),
      text,
      scope,
      ...(value.kind !== undefined ? { kind: value.kind } : {}),
      ...(value.role !== undefined ? { role: value.role } : {}),
      ...(value.eventTime !== undefined ? { eventTime: parseTime(value.eventTime, { field: `${at}: eventTime`, module: 'neuromem' }) } : {}),
      ...(value.importance !== undefined ? { importance: value.importance } : {}),
      ...(value.metadata !== undefined ? { metadata: value.metadata } : {}),
      source: { type: 'import' },
    });
  });
  return items;
}

export interface ImportProgress {
  done: number;
  total: number;
}

/**
 * Embeds and writes memories in batches, with the entities and causal cues an add would give them.
 * Ids already present are skipped, so re-running an interrupted import finishes it without
 * duplicates. `onStored` hears the texts of every batch written (the word statistics count them).
 */
export async function importMemories(
  store: MemoryStore,
  embedder: Embedder,
  items: readonly NewMemory[],
  options: { batchSize?: number; now: () => number; onProgress?: (progress: ImportProgress) => void; onStored?: (texts: string[]) => void },
): Promise<{ imported: number; skipped: number }> {
  const batchSize = options.batchSize ?? 256;
  let imported = 0;
  let skipped = 0;
  for (let start = 0; start < items.length; start += batchSize) {
    const batch = items.slice(start, start + batchSize);
    const existing = new Set((await store.getMany(batch.flatMap((item) => (item.id ? [item.id] : [])))).map((record) => record.id));
    const fresh = batch.filter((item) => !(item.id && existing.has(item.id)));
    skipped += batch.length - fresh.length;
    if (fresh.length > 0) {
      // Each imported memory is embedded on its own: an export is a set of memories, not a transcript.
      const embedded = await Promise.all(fresh.map((item) => embedder.embedSession([item.text], { tokens: keepsTokens(embedder, store) })));
      const now = options.now();
      await store.put(
        fresh.map((item, i) => ({
          ...item,
          ...annotateMemory(item.text, { eventTime: item.eventTime ?? now }),
          vectors: embedded[i]!.turns[0]!.vectors,
          ...storedTokens(embedder, store, embedded[i]!.turns[0]!.tokens),
        })),
      );
      options.onStored?.(fresh.map((item) => item.text));
      imported += fresh.length;
    }
    options.onProgress?.({ done: Math.min(start + batch.length, items.length), total: items.length });
  }
  return { imported, skipped };
}
