import {
  createConsolidationAgent,
  createFactAgent,
  createForgettingAgent,
  createOptimizationAgent,
  createPreloadingAgent,
  createSleepJournal,
  recoverSleep,
  runSleep,
  undoSleep,
  type PreloadingAgentOptions,
  type SleepReport,
  type SleepRunEntry,
} from '@neuromem/agents';
import { createErrorFactory, supports, validatePositiveInt, validateUnitInterval, type ChatModel, type Clock, type Embedder, type Foreground, type MemoryStore, type Scale } from '@neuromem/core';
import type { SameFactJudge } from '@neuromem/retrieval';
import { memoryUtility } from './storage-tiers';
import type { BackgroundOptions, SleepCallOptions } from './types';

const fail = createErrorFactory('neuromem');

/** A sleep's budget when the call names none. */
export const DEFAULT_SLEEP_BUDGET_MS = 30_000;

export interface MemorySleepContext {
  store: MemoryStore;
  embedder: Embedder;
  scale: Scale;
  clock: Clock;
  sameFact: SameFactJudge;
  /** Runs a write while the memory's own writes wait. */
  exclusive: <T>(write: () => Promise<T>) => Promise<T>;
  /** The memory opened the embedded store itself, which no other process can open meanwhile. */
  soleWriter: boolean;
  /** The memory's searches, which the pre-loading agent learns from and rehearses. */
  foreground: Foreground;
  /** The pre-loading agent's settings, or false for a sleep without it. */
  preloading: false | PreloadingAgentOptions | undefined;
  /** Writes consolidated facts in its own words (see `MemoryOptions.chatModel`). */
  chatModel: ChatModel | undefined;
  /** The forgetting agent's storage budget (`MemoryOptions.tiers.warmShare`), or none. */
  warmShare: number | undefined;
}

/**
 * Module 5 in the facade: `sleep()` runs the consolidation and forgetting agents per user, then the
 * optimization and pre-loading agents once, `undoSleep()` reverses a run, and with `background` an idle scheduler sleeps once the memory is quiet (no write or search).
 */
export function createMemorySleep(context: MemorySleepContext, background: BackgroundOptions | undefined) {
  const { store, embedder, scale, clock } = context;
  const agentsFor = (warmShare: number | undefined) => [
    createConsolidationAgent({ judge: context.sameFact }),
    // Right after the links it reads: a fact per chain of versions.
    createFactAgent(context.chatModel ? { chatModel: context.chatModel } : {}),
    createForgettingAgent(warmShare === undefined ? {} : { tiers: { warmShare, utility: memoryUtility } }),
    createOptimizationAgent(),
    // Last: compaction rewrites pages, which would cool what pre-loading warmed.
    ...(context.preloading === false ? [] : [createPreloadingAgent(context.preloading)]),
  ];
  let running: Promise<SleepReport> | undefined;
  let controller: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const requireJournal = () => {
    if (!supports(store, 'userState'))
      throw fail('UNSUPPORTED', 'sleep needs a store that keeps user state (capability userState) for its journal; the default SQLite store and @neuromem/store-postgres do.');
  };

  async function sleep(options: SleepCallOptions = {}): Promise<SleepReport> {
    if (typeof options !== 'object' || options === null) throw fail('INVALID_INPUT', 'sleep() takes { budgetMs, userId, warmShare } (all optional).', { details: { field: 'options' } });
    requireJournal();
    const warmShare = options.warmShare === undefined ? context.warmShare : validateUnitInterval(options.warmShare, 'warmShare', 'neuromem');
    if (options.warmShare !== undefined && !supports(store, 'vectorTiers')) {
      throw fail('UNSUPPORTED', 'a warmShare needs a store that can keep memories without vectors (capability vectorTiers); use the default SQLite store or @neuromem/store-postgres.');
    }
    if (running) throw fail('LOCKED', 'a sleep is already running on this memory; wait for it to finish.');
    controller = new AbortController();
    running = runSleep({
      store,
      embedder,
      scale,
      clock,
      agents: agentsFor(warmShare),
      budgetMs: options.budgetMs ?? DEFAULT_SLEEP_BUDGET_MS,
      exclusive: context.exclusive,
      soleWriter: context.soleWriter,
      foreground: context.foreground,
      signal: controller.signal,
      ...(options.userId !== undefined ? { userId: options.userId } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    try {
      return await running;
    } finally {
      running = undefined;
      controller = undefined;
    }
  }

  const idleMs = background ? validatePositiveInt(background.idleMs ?? 30_000, 'background.idleMs', 86_400_000, 'neuromem') : 0;
  const budgetMs = background ? validatePositiveInt(background.budgetMs ?? 5_000, 'background.budgetMs', 86_400_000, 'neuromem') : 0;

  return {
    sleep,
    async undoSleep(runId: string) {
      requireJournal();
      if (running) throw fail('LOCKED', 'a sleep is running on this memory; undo once it has finished.');
      return context.exclusive(() => undoSleep(store, runId, { embedder, scale, clock }));
    },
    async sleepRuns(): Promise<SleepRunEntry[]> {
      requireJournal();
      return createSleepJournal(store).runs();
    },
    /** Rolls back a sleep a crash interrupted (called on open; a no-op when none did). */
    async recover(): Promise<string[]> {
      if (!supports(store, 'userState')) return [];
      return recoverSleep(store, { embedder, scale, clock, soleWriter: context.soleWriter });
    },
    /**
     * A write or a search happened: with `background`, the idle timer starts again, so a memory that
     * is only searched still sleeps (and pre-loads) once it is quiet.
     */
    active() {
      if (!background || closed) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        if (running || closed) return;
        sleep({ budgetMs })
          .then((report) => background.onSleep?.(report, null))
          .catch((error: unknown) => background.onSleep?.(null, error));
      }, idleMs);
      // An idle sleep never keeps the process alive.
      timer.unref();
    },
    /** Stops the scheduler and waits for a running sleep to stop at its current step. */
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      controller?.abort();
      await running?.catch(() => undefined);
    },
  };
}

export type MemorySleep = ReturnType<typeof createMemorySleep>;
