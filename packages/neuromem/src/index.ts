export { createMemory, type Memory } from './create-memory';
export type { RetierResult } from './storage-tiers';
// The embedder createMemory() builds, for tools that embed exactly as the memory does (benchmarks, migrations).
export { createDefaultEmbedder, DEFAULT_SEMANTIC_WEIGHT } from './default-embedder';
export type * from './types';
export type { ImportProgress, PortableMemory } from './portable-memories';
export { NeuroMemError, isNeuroMemError, type NeuroMemErrorCode } from '@neuromem/core';
export { contextLine } from './to-context';
export { withMemoryContext, type WithMemoryContextOptions } from './with-memory-context';
export { createOpenAIChatModel, type OpenAIChatModelOptions } from './create-openai-chat-model';
export { createMcpServer, serveMcpHttp, type CreateMcpServerOptions, type McpHttpServer, type MemoryExplanation, type ServeMcpHttpOptions } from './mcp';
export { createMemoryServer, serveMemory, type HttpErrorBody, type HttpErrorCode, type MemoryServerOptions, type RunningMemoryServer, type ServeMemoryOptions, type ServerToken } from './server';
// Retrieval lives in @neuromem/retrieval; re-exported so one install has it all.
export {
  DEFAULT_RANKER,
  FEATURES,
  FEATURE_GROUPS,
  HAND_SET_RANKER,
  collectCandidates,
  createRetriever,
  explainScore,
  fitRanker,
  parseQueryTime,
  parseRankerModel,
  scoreWithRanker,
  type Candidate,
  type CollectOptions,
  type Feature,
  type FeatureVector,
  type FitRankerOptions,
  type QueryTime,
  type RankerModel,
  type RankingExample,
  type Retriever,
  type TimeWindow,
} from '@neuromem/retrieval';
export { supports, requireCapability, type MemoryStore, type StoreCapabilities, type StoreCapability } from '@neuromem/core';
export type { SqliteMemoryStore } from '@neuromem/store';
// Module 3's retrieval decisions (calibrated relevance, the "nothing relevant" gate).
export {
  defaultImportance,
  defaultRelevance,
  createRelevanceGate,
  importanceOf,
  parseImportanceModel,
  parseRelevanceModel,
  type ImportanceModel,
  type RelevanceModel,
  type RelevanceGate,
} from '@neuromem/controller';
// Module 5's sleep agents, for a sleep with your own agents or on a store you manage yourself.
export { createConsolidationAgent, createForgettingAgent, runSleep, undoSleep, type SleepReport, type SleepRunEntry, type SleepProgress } from '@neuromem/agents';
