import { explainScore } from '@neuromem/retrieval';
import type { MemoryItem } from './types';

/** Human-readable lines for the CLI; `--json` bypasses all of this. */
export function formatItem(item: MemoryItem, rank?: number): string {
  const date = item.eventTime.slice(0, 16).replace('T', ' ');
  const speaker = item.role ? `${item.role}: ` : '';
  const head = rank === undefined ? '' : `${String(rank).padStart(2)}. ${item.score?.toFixed(3) ?? ''}  `;
  const lines = [`${head}[${date}] ${speaker}${item.memory}`];
  if (item.scoreBreakdown) {
    lines.push(`      ${explainScore(item.scoreBreakdown)}   id ${item.id}`);
  } else {
    lines.push(`      id ${item.id}${item.userId ? `  user ${item.userId}` : ''}${item.runId ? `  run ${item.runId}` : ''}`);
  }
  return lines.join('\n');
}

export function formatTable(rows: ReadonlyArray<readonly [string, string | number]>): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}
