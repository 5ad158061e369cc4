import type { JsonValue, MemoryRecord, Metadata } from '@neuromem/core';
import { EXPIRES_AT, expiryOf } from './expiry';

/** `writtenBy` of a fact whose text is its versions' own words. */
export const EXTRACTIVE = 'extractive';

/** The metadata key a consolidated fact keeps its timeline and provenance under. */
export const FACT_METADATA = 'consolidation';

/** One statement of a fact and when it held: from when it was said until the next one was. */
export interface FactVersion {
  memoryId: string;
  /** The statement's event time (epoch ms). */
  validFrom: number;
  /** The next statement's event time, or null for the current one. */
  validTo: number | null;
}

/**
 * What a consolidated (semantic) memory says about itself: the statement that opened its chain
 * (`root`, its identity across sleeps), the current one, and every version oldest first.
 */
export interface ConsolidatedFact {
  root: string;
  current: string;
  timeline: FactVersion[];
  /** Who wrote the text: `extractive` (the versions' own words) or the id of the chat model that summarized them. */
  writtenBy: string;
}

/** The fact a memory's metadata describes, when it is a consolidated memory. */
export function factOf(record: Pick<MemoryRecord, 'kind' | 'metadata'>): ConsolidatedFact | undefined {
  return record.kind === 'semantic' ? factInMetadata(record.metadata) : undefined;
}

/** The fact a consolidated memory's metadata holds (as `search()` results show it), if any. */
export function factInMetadata(metadata: Metadata): ConsolidatedFact | undefined {
  const value = metadata[FACT_METADATA] as { root?: unknown; current?: unknown; timeline?: unknown } | undefined;
  if (!value || typeof value.root !== 'string' || typeof value.current !== 'string' || !Array.isArray(value.timeline)) return undefined;
  const timeline = (value.timeline as Array<Record<string, unknown>>).filter(
    (entry): entry is Record<string, unknown> & FactVersion => typeof entry?.memoryId === 'string' && typeof entry.validFrom === 'number',
  );
  return {
    root: value.root,
    current: value.current,
    timeline: timeline.map((entry) => ({ memoryId: entry.memoryId, validFrom: entry.validFrom, validTo: entry.validTo ?? null })),
    writtenBy: typeof (value as { writtenBy?: unknown }).writtenBy === 'string' ? (value as { writtenBy: string }).writtenBy : EXTRACTIVE,
  };
}

/**
 * A fact's statements: `root`, the oldest, is its identity across sleeps; `versions`, oldest first,
 * are the newest few it keeps (older ones stay reachable through the links).
 */
export interface FactChain {
  root: string;
  versions: MemoryRecord[];
}

/**
 * The facts a user's statements form. Each statement follows its strongest `supersedes` link to the
 * older statement it updates; following those links from any statement ends at the oldest one, the
 * chain's root. Statements with the same root are one fact (at least two). One link per statement
 * keeps chains apart where several weaker links would join different facts into one.
 *
 * `older(id)` is a statement's strongest link, when it has one; `memories` are the user's live
 * statements (a link to a statement not among them is ignored).
 */
export function factChains(memories: readonly MemoryRecord[], older: (id: string) => string | undefined, maxVersions: number): FactChain[] {
  const byId = new Map(memories.map((record) => [record.id, record]));
  const rootOf = new Map<string, string>();
  const findRoot = (id: string): string => {
    const seen: string[] = [];
    let at = id;
    for (;;) {
      const known = rootOf.get(at);
      if (known !== undefined) {
        at = known;
        break;
      }
      seen.push(at);
      const next = older(at);
      // Links point back in time, so a cycle cannot happen; a corrupt one ends the walk anyway.
      if (next === undefined || !byId.has(next) || seen.includes(next) || byId.get(next)!.eventTime > byId.get(at)!.eventTime) break;
      at = next;
    }
    for (const id of seen) rootOf.set(id, at);
    return at;
  };
  const chains = new Map<string, MemoryRecord[]>();
  for (const record of memories) {
    const root = findRoot(record.id);
    chains.set(root, [...(chains.get(root) ?? []), record]);
  }
  return [...chains.values()]
    .filter((chain) => chain.length >= 2)
    .map((chain) => chain.sort((a, b) => a.eventTime - b.eventTime || a.createdAt - b.createdAt))
    .map((chain) => ({ root: chain[0]!.id, versions: chain.slice(-maxVersions) }));
}

/** The timeline of a chain (oldest first): each version holds until the next was said. */
export function timelineOf(chain: readonly MemoryRecord[]): FactVersion[] {
  return chain.map((record, i) => ({ memoryId: record.id, validFrom: record.eventTime, validTo: chain[i + 1]?.eventTime ?? null }));
}

/** Words kept of each earlier version in a fact's text: enough to recognise it, the whole is a pointer away. */
const EARLIER_WORDS = 24;

/**
 * A fact's text, extractive: the current statement whole, then each earlier one (newest first) cut
 * to its first words, with the day it stopped being current. Every word is the user's own.
 */
export function factText(chain: readonly MemoryRecord[]): string {
  const current = chain.at(-1)!;
  const earlier = chain
    .slice(0, -1)
    .reverse()
    .map((record, i, list) => `(earlier, until ${day((list[i - 1] ?? current).eventTime)}: ${firstWords(record.text, EARLIER_WORDS)})`);
  return [current.text, ...earlier].join(' ');
}

/**
 * The metadata of a chain's fact. It expires with the first of its versions to expire: a fact never
 * shows what its owner let go.
 */
export function factMetadata(chain: FactChain, writtenBy = EXTRACTIVE): Metadata {
  const fact: ConsolidatedFact = { root: chain.root, current: chain.versions.at(-1)!.id, timeline: timelineOf(chain.versions), writtenBy };
  const expiries = chain.versions.map((record) => expiryOf(record.metadata)).filter((at): at is number => at !== undefined);
  return { [FACT_METADATA]: fact as unknown as JsonValue, ...(expiries.length > 0 ? { [EXPIRES_AT]: Math.min(...expiries) } : {}) };
}

/**
 * Whether a fact already says what the chain says: the same versions, times and expiry, and (for
 * an extractive one) the same words. A summary is not asked for again while its versions stand.
 */
export function factIsUpToDate(existing: Pick<MemoryRecord, 'text' | 'kind' | 'metadata'>, chain: FactChain): boolean {
  const fact = factOf(existing);
  if (!fact || JSON.stringify(existing.metadata) !== JSON.stringify(factMetadata(chain, fact.writtenBy))) return false;
  return fact.writtenBy !== EXTRACTIVE || existing.text === factText(chain.versions);
}

/** The chat messages asking for a fact's text in a model's own words, from its versions (oldest first). */
export function summaryPrompt(chain: readonly MemoryRecord[]): Array<{ role: 'system' | 'user'; content: string }> {
  return [
    {
      role: 'system',
      content:
        'The statements below were said by one person over time about one thing, oldest first, each with its date. ' +
        'Write one or two sentences that say what is true now and what was true before, with the dates. ' +
        'Use only what the statements say; keep every name, number and date. Output only the sentences.',
    },
    { role: 'user', content: chain.map((record) => `${day(record.eventTime)}${record.role ? ` ${record.role}` : ''}: ${record.text}`).join('\n') },
  ];
}

function firstWords(text: string, count: number): string {
  const words = text.trim().split(/\s+/);
  return words.length <= count ? words.join(' ') : `${words.slice(0, count).join(' ')} …`;
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);
