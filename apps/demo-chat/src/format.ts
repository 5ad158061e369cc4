import type { HistoryItem, MemoryItem } from 'neuromem';

/** Ids are time-ordered UUIDv7s: memories stored in the same minute share their start, so the 8 random characters at the end name one. */
export const shortId = (id: string) => id.slice(-8);

/** "2026-11-24 10:02", in UTC like everything NeuroMem stores. */
export const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function clip(text: string, max = 100): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

export function formatMemoryLine(item: MemoryItem): string {
  return `${shortId(item.id)}  ${when(item.eventTime)}  ${item.role ?? '-'}: ${clip(item.memory)}`;
}

export function formatHistoryLine(row: HistoryItem): string {
  const at = when(row.created_at);
  if (row.action === 'ADD') return `${at}  ADD     "${clip(row.new_value ?? '')}"`;
  if (row.action === 'UPDATE') return `${at}  UPDATE  "${clip(row.previous_value ?? '', 60)}" → "${clip(row.new_value ?? '', 60)}"`;
  return `${at}  ${row.action.padEnd(6)}  "${clip(row.previous_value ?? '')}"`;
}

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
