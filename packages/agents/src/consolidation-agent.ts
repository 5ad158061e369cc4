import { dot, requireCapability, type AgentAction, type JsonValue, type MemoryAgent, type MemoryRecord } from '@neuromem/core';
import { restatementJudge, type SameFactJudge } from '@neuromem/retrieval';
import { ownerMemories } from './owner-memories';

/** The user-state key under which the agent remembers how far it has read each user's memories. */
export const CONSOLIDATION_STATE = 'neuromem.sleep.consolidation';

/** Links a new memory gets at most, to the likeliest older statements of its fact. */
export const DEFAULT_LINKS_PER_MEMORY = 2;

/** Memories read per page, and links written per journaled step. */
const PAGE = 1_000;
const STEP = 200;
/** Longest stretch of comparisons between two turns of the event loop. */
const YIELD_AFTER_MS = 2;

export interface ConsolidationOptions {
  /**
   * P(two statements are about the same fact); default: only near-identical restatements. `neuromem`
   * passes the controller's fitted fact-pair model.
   */
  judge?: SameFactJudge;
  /** Older memories judged per new one: its nearest by vector (default 8). */
  nearest?: number;
  /** Links written per new memory: to the likeliest older statements of its fact (default `DEFAULT_LINKS_PER_MEMORY`). */
  linksPerMemory?: number;
}

/**
 * Consolidation: each memory stored since the last sleep is compared with the owner's older ones
 * (its nearest by vector), and where the judge says two statements are about the same fact (where
 * someone lives, their job), the newer gets a `supersedes` link to the older. Retrieval then orders
 * the versions of a fact as a query asks (the current one first; the one before for "used to") and
 * brings a newer version into the results when only an older one was found. Originals are never
 * deleted or rewritten; undoing a sleep removes the links.
 *
 * Reward: knowledge-update questions answered by their current (or previous) statement at rank 1,
 * measured by `neuromem-eval updates` before and after a sleep.
 */
export function createConsolidationAgent(options: ConsolidationOptions = {}): MemoryAgent {
  const judge = options.judge ?? restatementJudge;
  const nearest = options.nearest ?? 8;
  const linksPerMemory = options.linksPerMemory ?? DEFAULT_LINKS_PER_MEMORY;
  return {
    specVersion: 'neuromem.agent/v1',
    name: 'consolidation',
    async run({ store, clock, userId, scale, journal, exclusive, deadline, signal }) {
      const started = clock.now();
      const state = requireCapability(store, 'userState');
      const scope = { userId };
      const saved = (await state.readUserState(userId, CONSOLIDATION_STATE)) as Progress | null;
      const memories = await ownerMemories(store, scope, 'episodic');
      const fresh = unread(memories, saved);
      const vectors = new Map<string, Float32Array>();
      for (let i = 0; i < memories.length; i += PAGE) {
        for (const [id, vector] of await store.vectors(
          memories.slice(i, i + PAGE).map((record) => record.id),
          scale,
          { scope },
        ))
          vectors.set(id, vector);
      }
      const norms = new Map([...vectors].map(([id, vector]) => [id, Math.sqrt(dot(vector, vector)) || 1]));

      let compared = 0;
      let linked = 0;
      let done = true;
      let pending: Array<{ from: string; to: string; weight: number }> = [];
      let through: Progress | undefined;
      let progress: Progress | null = saved;
      const flush = async () => {
        const links = pending;
        pending = [];
        await exclusive(async () => {
          // A user's delete during the sleep wins: links to memories gone are dropped, not forced.
          const alive = new Set((await store.getMany([...new Set(links.flatMap((link) => [link.from, link.to]))], { scope })).map((record) => record.id));
          // A link that already exists is another run's (undoing this one must not take it away).
          const existing = await supersedesFrom(store, [...new Set(links.map((link) => link.from))]);
          const kept = links.filter((link) => alive.has(link.from) && alive.has(link.to) && !existing.has(`${link.from}>${link.to}`));
          const actions: AgentAction[] = kept.map((link) => ({ type: 'link', from: link.from, to: link.to, edgeType: 'supersedes' }));
          if (through !== undefined) actions.push({ type: 'state', userId, key: CONSOLIDATION_STATE, before: progress as JsonValue | null });
          await journal.record(actions);
          if (kept.length > 0) await store.link(kept.map((link) => ({ ...link, type: 'supersedes' as const, label: 'consolidation' })));
          linked += kept.length;
          if (through !== undefined) {
            await state.writeUserState(userId, CONSOLIDATION_STATE, through as unknown as JsonValue);
            progress = through;
          }
        });
      };

      let slice = performance.now();
      for (const newer of fresh) {
        if (signal?.aborted || clock.now() >= deadline) {
          done = false;
          break;
        }
        // A background sleep shares the thread with searches: give way every couple of milliseconds.
        if (performance.now() - slice > YIELD_AFTER_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
        const vector = vectors.get(newer.id);
        if (vector) {
          const norm = norms.get(newer.id)!;
          const older = memories
            .filter((other) => other.eventTime < newer.eventTime && vectors.has(other.id))
            .map((other) => ({ other, cosine: dot(vector, vectors.get(other.id)!) / (norm * norms.get(other.id)!) }))
            .sort((a, b) => b.cosine - a.cosine)
            .slice(0, nearest);
          compared += older.length;
          const same = older
            .map(({ other }) => ({ other, p: judge({ record: other, vector: vectors.get(other.id) }, { record: newer, vector }) }))
            .filter(({ p }) => p >= 0.5)
            .sort((a, b) => b.p - a.p)
            .slice(0, linksPerMemory);
          for (const { other, p } of same) pending.push({ from: newer.id, to: other.id, weight: Math.min(1, Math.max(0, p)) });
        }
        through = { after: newer.id, createdAt: newer.createdAt };
        if (pending.length >= STEP) await flush();
      }
      if (pending.length > 0 || through !== undefined) await flush();
      return { agent: 'consolidation', actions: { read: fresh.length, compared, linked }, durationMs: clock.now() - started, done };
    },
  };
}

/** How far the agent has read a user's memories: the last one, and when it was stored. */
interface Progress {
  after: string;
  createdAt: number;
}

/**
 * The memories after the last one read. When that one is gone (deleted, expired, purged), those
 * stored after its time: reading everything again would re-make, and then own, other runs' links.
 */
function unread(memories: readonly MemoryRecord[], saved: Progress | null): MemoryRecord[] {
  if (!saved || typeof saved.after !== 'string') return [...memories];
  const at = memories.findIndex((record) => record.id === saved.after);
  if (at >= 0) return memories.slice(at + 1);
  return typeof saved.createdAt === 'number' ? memories.filter((record) => record.createdAt >= saved.createdAt) : [...memories];
}

/** The `supersedes` links going out of the ids, as `from>to`. */
async function supersedesFrom(store: Parameters<MemoryAgent['run']>[0]['store'], ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const id of ids) for (const edge of await store.edges(id)) if (edge.type === 'supersedes' && edge.from === id) found.add(`${edge.from}>${edge.to}`);
  return found;
}
