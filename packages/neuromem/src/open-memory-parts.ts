import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createErrorFactory, createSerialQueue, supports, systemClock, type Clock, type Compressor, type Embedder, type MemoryRecord, type MemoryStore } from '@neuromem/core';
import { createRetriever, extractEntities, type Retriever, type WordSpace } from '@neuromem/retrieval';
import { CALIBRATED_LIST, createRelevanceGate, defaultImportance, defaultRelevance, parseImportanceModel, parseRelevanceModel, type ImportanceModel, type RelevanceGate } from '@neuromem/controller';
import { createDefaultEmbedder, openTransformerModel } from './default-embedder';
import type { HashingEncoder } from '@neuromem/embeddings';
import { createCorpusTracker, type CorpusTracker } from './corpus-tracker';
import { createSqliteStore } from '@neuromem/store';
import { checkEmbedderManifest, readStoredManifest, storedEmbedderId, type StoredManifest } from './embedder-manifest';
import { factOf } from '@neuromem/agents';
import { createSessionStates, type SessionStates } from './session-states';
import { createUserAdaptations, type UserAdaptations } from './user-adaptations';
import { createStorageTiers, type StorageTiers } from './storage-tiers';
import { createSearchActivity, type SearchActivityLog } from './search-activity';
import { createPendingAccesses, type PendingAccesses } from './pending-accesses';
import { createMemorySleep, type MemorySleep } from './memory-sleep';
import { factJudges } from './fact-judges';
import { createCompressor } from '@neuromem/compression';
import { validateMemoryOptions } from './validate-options';
import { checkStoreFitsEmbedder } from './check-store-fits-embedder';
import type { MemoryOptions } from './types';
import { openAddJournal } from './add-journal';
import { withoutInMemoryPath } from './in-memory-path';
import { createPendingAdds, RESERVE_BYTES, type PendingAdds } from './pending-adds';
import { createSpaceReserve, SPACE_RESERVE_FILE } from './space-reserve';
import { leaseAnnotator, type AnnotatorLease } from './shared-annotator';
import { createStoreAdds, type CheckedAdd } from './store-adds';

const fail = createErrorFactory('neuromem');

/** What `createMemory()` opens and sets up once: the pieces its methods share. */
export interface MemoryParts {
  clock: Clock;
  embedder: Embedder;
  store: MemoryStore;
  retriever: Retriever;
  /** The default encoder's word statistics; none with a custom embedder. */
  tracker: CorpusTracker | undefined;
  maxTextChars: number;
  requireScope: boolean;
  readOnly: boolean;
  trackAccess: boolean;
  /** Search results' accesses, written together after the searches (`trackAccess` with write-behind); reads write them first. */
  pendingAccesses: PendingAccesses | undefined;
  /** Adds, edits, imports and sleep steps, one at a time. */
  addQueue: ReturnType<typeof createSerialQueue>;
  relevance: RelevanceGate | undefined;
  importanceModel: ImportanceModel | undefined;
  sessions: SessionStates;
  adaptations: UserAdaptations | undefined;
  tiers: StorageTiers;
  coldBelow: number | undefined;
  compressor: Compressor;
  activity: SearchActivityLog;
  sleeper: MemorySleep;
  /** Embeds and stores checked adds in one transaction; run it on `addQueue`. */
  storeAdds(adds: readonly CheckedAdd[]): Promise<MemoryRecord[]>;
  /** This memory's hold on the annotator `storeAdds` uses; released when the memory closes. */
  annotator: AnnotatorLease;
  /** Write-behind adds (an on-disk memory opened for writing, unless `writeBehind: false`); reads flush it first. */
  pendingAdds: PendingAdds | undefined;
}

/**
 * Checks the options, opens (or takes) the store and the embedder, checks they fit the stored
 * manifest, and wires the sleeper, recovering a sleep a crash cut short.
 */
export async function openMemoryParts(given: MemoryOptions): Promise<MemoryParts> {
  validateMemoryOptions(given);
  const options = withoutInMemoryPath(given);
  if (options.store !== undefined && options.durability !== undefined) {
    throw fail('INVALID_INPUT', 'durability is for the embedded SQLite store; a store you bring keeps its own (e.g. createSqliteStore({ durability })).', { details: { field: 'durability' } });
  }
  if (given.store !== undefined && given.path !== undefined) {
    throw fail('INVALID_INPUT', 'pass either path (the embedded SQLite store) or store, not both: a store you bring keeps its data where you opened it.', { details: { field: 'path' } });
  }
  const writesToDisk = options.path !== undefined && options.readOnly !== true;
  // Released by close(); the worker thread behind it (on disk, two cores or more) starts with the first add.
  const annotator = leaseAnnotator({ onDisk: writesToDisk });
  try {
    const manifest = options.path === undefined ? undefined : readStoredManifest(options.path);
    const parts = await openParts(options, manifest, annotator);
    // A new memory's first call will be an add, and its first search waits for that add's
    // annotations: the worker loads its models from now on, not from the add. Not while the memory
    // opens (two threads faulting in fresh memory slowed createMemory() by a tenth), and not for a
    // memory reopened, which may only be searched (a worker loading beside its first search slowed
    // that search by a third).
    if (writesToDisk && manifest === undefined) annotator.warmUp();
    return parts;
  } catch (error) {
    await annotator.release();
    throw error;
  }
}

/** The memory's parts; `manifest` is what its directory says wrote it (undefined: a new memory, or none on disk). */
async function openParts(options: MemoryOptions, manifest: StoredManifest | undefined, annotator: AnnotatorLease): Promise<MemoryParts> {
  const clock = options.clock ?? systemClock;
  // The default encoder weighs query words by how rare they are in this memory (IDF); a custom
  // embedder brings its own notion of that.
  const custom = typeof options.embedder === 'object' ? options.embedder : undefined;
  const tracker: CorpusTracker | undefined = custom ? undefined : createCorpusTracker(options.path, (text: string): string[] => defaultEncoder!.terms(text));
  let defaultEncoder: HashingEncoder | undefined;
  let words: WordSpace | undefined;
  let embedder: Embedder;
  if (custom) embedder = custom;
  else {
    const storedId = storedEmbedderId(manifest);
    // A model name: that transformer is the semantic part, beside the same lexical part.
    const semantic = typeof options.embedder === 'string' ? { ...(options.semantic || {}), encoder: await openTransformerModel(options.embedder) } : options.semantic;
    ({
      embedder,
      encoder: defaultEncoder,
      words,
    } = await createDefaultEmbedder({
      corpus: tracker!.corpus,
      ...(options.heads ? { heads: options.heads } : {}),
      ...(semantic !== undefined ? { semantic } : {}),
      ...(storedId ? { storedId } : {}),
    }));
  }
  const maxTextChars = options.maxTextChars ?? 100_000;
  const requireScope = options.requireScope ?? false;
  if (typeof requireScope !== 'boolean') throw fail('INVALID_INPUT', `requireScope must be true or false, got ${JSON.stringify(requireScope)}.`, { details: { field: 'requireScope' } });
  // Read-only: another process may hold the memory, and nothing here writes (not even access counts).
  const readOnly = options.readOnly === true;
  const trackAccess = (options.trackAccess ?? true) && !readOnly;
  // Adds run one at a time so each sees the turns of its session that came before it.
  const addQueue = createSerialQueue();

  if (options.path !== undefined) {
    if (!readOnly) mkdirSync(options.path, { recursive: true });
    // Checked all the same; only a memory without a manifest yet gets one written.
    if (!readOnly || manifest !== undefined) checkEmbedderManifest(options.path, embedder, manifest);
  }
  const brought = typeof options.store === 'object' ? options.store : undefined;
  const store: MemoryStore =
    brought ??
    (typeof options.store === 'function' ? await options.store({ vectorScales: embedder.scales }) : undefined) ??
    (await createSqliteStore({
      ...(options.path !== undefined ? { path: options.path } : {}),
      vectorScales: embedder.scales,
      clock,
      maxTextChars,
      extractEntities,
      ...(options.durability !== undefined ? { durability: options.durability } : {}),
      ...(readOnly ? { readOnly } : {}),
    }));
  // Module 3's "same fact" decision: retrieval orders a fact's versions with it, a sleep links them.
  const sameFact = factJudges(options.factPairs, embedder);
  let retriever: Retriever;
  try {
    checkStoreFitsEmbedder(store, embedder);
    retriever = createRetriever({
      store,
      embedder,
      ...(options.ranker !== undefined ? { ranker: options.ranker } : {}),
      ...(options.recencyHalfLifeDays !== undefined ? { recencyHalfLifeDays: options.recencyHalfLifeDays } : {}),
      ...(options.excludeFactors !== undefined ? { excludeFactors: options.excludeFactors } : {}),
      sameFact: sameFact.order,
      ...(sameFact.changed ? { changedValue: sameFact.changed } : {}),
      ...(words ? { words } : {}),
      // A sleep's facts are never results of their own: `context()` puts them in for their versions.
      setAside: (record) => factOf(record) !== undefined,
    });
  } catch (error) {
    // A store this call opened is closed again (releasing its lock); a brought one is the caller's.
    if (brought === undefined) await store.close();
    throw error;
  }

  await tracker?.sync(store);
  const relevance = relevanceGateOf(options.relevance);
  const importanceModel = options.importance === false ? undefined : options.importance === undefined ? defaultImportance() : parseImportanceModel(options.importance, 'options.importance');
  const sessions = createSessionStates({ embedder, store });
  const adaptations = options.adaptation === false ? undefined : createUserAdaptations(store, options.adaptation);
  const tiers = createStorageTiers(store, embedder, retriever.scale, clock);
  const coldBelow = options.tiers?.coldBelow;
  if (options.tiers !== undefined && !supports(store, 'vectorTiers')) {
    if (brought === undefined) await store.close();
    throw fail('UNSUPPORTED', 'tiers needs a store that can keep memories without vectors (capability vectorTiers); use the default SQLite store or @neuromem/store-postgres.');
  }

  const compressor = options.compressor ?? createCompressor();
  const activity = createSearchActivity();
  const sleeper = createMemorySleep(
    {
      store,
      embedder,
      scale: retriever.scale,
      clock,
      sameFact: sameFact.link,
      exclusive: (write) => addQueue.run(write),
      // The embedded store holds a process lock: a sleep marked running is one a crash cut short.
      soleWriter: options.store === undefined,
      preloading: options.preloading,
      chatModel: options.chatModel,
      warmShare: options.tiers?.warmShare,
      foreground: {
        searchesSince: (since) => activity.since(since),
        rehearse: async (userId, query) => (await retriever.retrieve(query, { filter: { scope: { userId } }, topK: CALIBRATED_LIST, referenceTime: clock.now() })).map((r) => r.record.id),
      },
    },
    options.background === true ? {} : options.background || undefined,
  );
  // Read-only: a crashed sleep is rolled back by the next process that opens the memory for writing.
  await (readOnly ? Promise.resolve([]) : sleeper.recover()).catch((error: { code?: string; details?: { journal?: string } }) => {
    // Another process is sleeping on a shared store: its run is its own to finish.
    if (error.code === 'LOCKED') return;
    // A damaged journal must not lock a user out of their memories: sleep() names it and the fix.
    if (error.details?.journal === 'damaged') return;
    throw error;
  });

  const storeAdds = createStoreAdds({ store, embedder, sessions, tracker, importanceModel, coldBelow, annotate: annotator.annotate });
  // Only the embedded store on disk: its directory holds the journal, and its process lock keeps the journal one writer's.
  const writeBehind = options.path !== undefined && options.store === undefined && !readOnly && options.writeBehind !== false;
  let pendingAdds: PendingAdds | undefined;
  if (writeBehind) {
    try {
      pendingAdds = createPendingAdds({
        // The embedded store's WAL: a journal line is dropped once its commit has left it for memory.db.
        journal: openAddJournal(options.path!, { durability: options.durability ?? 'full', walFile: join(options.path!, 'memory.db-wal') }),
        reserve: createSpaceReserve(join(options.path!, SPACE_RESERVE_FILE), RESERVE_BYTES),
        store,
        queue: addQueue,
        storeAdds,
        onReaderWaits: annotator.hurry,
      });
    } catch (error) {
      await sleeper.close();
      await store.close();
      throw error;
    }
  }

  return {
    storeAdds,
    annotator,
    pendingAdds,
    clock,
    embedder,
    store,
    retriever,
    tracker,
    maxTextChars,
    requireScope,
    readOnly,
    trackAccess,
    // With write-behind only: `memory.store` is then a wrapper that writes them before any read (a
    // brought store is handed back as it is, so its accesses are written by each search).
    pendingAccesses: trackAccess && pendingAdds ? createPendingAccesses(store) : undefined,
    addQueue,
    relevance,
    importanceModel,
    sessions,
    adaptations,
    tiers,
    coldBelow,
    compressor,
    activity,
    sleeper,
  };
}

/** The relevance model in use: the shipped one by default, the caller's (checked), or none. */
function relevanceGateOf(model: MemoryOptions['relevance']): RelevanceGate | undefined {
  if (model === false) return undefined;
  return createRelevanceGate(model === undefined ? defaultRelevance() : parseRelevanceModel(model, 'options.relevance'));
}
