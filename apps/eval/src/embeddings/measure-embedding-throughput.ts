import type { Embedder, SessionState } from '@neuromem/core';
import { createMemory, type MemoryOptions } from 'neuromem';

export interface ThroughputRow {
  embedder: string;
  /** Whether token vectors were made with each turn (the memory makes them on demand, at search). */
  tokens: boolean;
  /** Turns per second of each timed pass, and their median. */
  passes: number[];
  median: number;
}

/**
 * Embedding throughput on one core, as the memory embeds: turns go through `continueSession` in
 * batches with the session state carried along. The embedders are the ones `createMemory()` builds
 * (the default hybrid, and words only with `semantic: false`), so the figure is what a user's adds
 * cost in embedding. Each configuration gets one untimed warm-up pass (the JIT), then `passes` timed
 * ones, each on an embedder of its own: an embedder keeps the encodings of the last 20,000 texts,
 * and a memory's adds are texts it has not seen (timed on the warm-up's embedder, every pass was
 * answered from that cache and measured everything but the encoders).
 */
export async function measureEmbeddingThroughput(texts: readonly string[], options: { batch?: number; passes?: number } = {}): Promise<ThroughputRow[]> {
  const batch = options.batch ?? 20;
  const passes = options.passes ?? 3;
  const rows: ThroughputRow[] = [];
  for (const [name, memoryOptions] of [
    ['default (lexical + semantic)', {}],
    ['lexical only (semantic: false)', { semantic: false }],
  ] as const) {
    for (const tokens of [false, true]) {
      await withEmbedder(memoryOptions, (embedder) => embedAll(embedder, texts, batch, tokens));
      const timed: number[] = [];
      for (let pass = 0; pass < passes; pass++) {
        await withEmbedder(memoryOptions, async (embedder) => {
          const started = performance.now();
          await embedAll(embedder, texts, batch, tokens);
          timed.push(texts.length / ((performance.now() - started) / 1000));
        });
      }
      const sorted = [...timed].sort((a, b) => a - b);
      rows.push({ embedder: name, tokens, passes: timed, median: sorted[Math.floor(sorted.length / 2)]! });
    }
  }
  return rows;
}

/** Runs `use` with the embedder of a new in-memory `createMemory(options)`, closed afterwards. */
async function withEmbedder(options: MemoryOptions, use: (embedder: Embedder) => Promise<void>): Promise<void> {
  const memory = await createMemory(options);
  try {
    await use(memory.embedder);
  } finally {
    await memory.close();
  }
}

async function embedAll(embedder: Embedder, texts: readonly string[], batch: number, tokens: boolean): Promise<void> {
  let state: SessionState | undefined;
  for (let i = 0; i < texts.length; i += batch) state = (await embedder.continueSession!(texts.slice(i, i + batch), state, { tokens })).state;
}

export function formatThroughputTable(rows: readonly ThroughputRow[], turns: number, batch: number): string {
  return [
    `${turns} turns through continueSession in batches of ${batch}, one core (median of the timed passes)`,
    '',
    '| embedder | token vectors | turns/s | passes |',
    '|---|---|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.embedder} | ${r.tokens ? 'made with each turn' : 'on demand (as the memory writes)'} | ${Math.round(r.median).toLocaleString('en-US')} | ${r.passes.map((p) => Math.round(p)).join(', ')} |`,
    ),
  ].join('\n');
}
