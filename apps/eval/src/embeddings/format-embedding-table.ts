import type { EmbeddingVariantResult } from './run-embedding-eval';

const cell = (x: number | null) => (x === null ? '—' : x.toFixed(3));

/** One row per embedder variant: Module 1's consistency and per-scale retrieval numbers. */
export function formatEmbeddingTable(dataset: string, results: ReadonlyArray<readonly [string, EmbeddingVariantResult]>): string {
  const header = ['embedder', 'consistency@1', 'turn R@10', 'token MaxSim R@10', 'session R@10', 'sessions→turns R@10', 'turns/s'];
  const rows = results.map(([name, r]) => [
    name,
    cell(r.consistencyAt1),
    cell(r.turnRecallAt10),
    cell(r.tokenRecallAt10),
    cell(r.sessionRecallAt10),
    cell(r.sessionsThenTurnsRecallAt10),
    String(r.turnsPerSecond),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const first = results[0]?.[1];
  return [
    `${dataset}: ${first?.questions ?? 0} questions (categories 1-4), ${first?.turns ?? 0} turns`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    'consistency@1: a turn used as a query finds its own session first. sessions→turns: top-3 sessions, then their turns.',
  ].join('\n');
}
