// `neuromem/mem0`: Mem0 3.x's open-source Memory on NeuroMem. Switching is the import's module
// name: neuromem/mem0 where Mem0's code names mem0ai/oss.
export { Memory } from './memory';
export { defaultMem0Directory } from './map-config';
export { MEM0_PROVIDERS } from './providers';
export type {
  Mem0AddOptions as AddMemoryOptions,
  Mem0Config as MemoryConfig,
  Mem0Entity as Entity,
  Mem0Entity as DeleteAllMemoryOptions,
  Mem0Filters as SearchFilters,
  Mem0GetAllOptions as GetAllMemoryOptions,
  Mem0HistoryItem as HistoryItem,
  Mem0MemoryItem as MemoryItem,
  Mem0SearchOptions as SearchMemoryOptions,
  Mem0SearchResult as SearchResult,
  Mem0UpdateOptions as UpdateMemoryOptions,
  Message,
} from './types';
export { NeuroMemError, isNeuroMemError, type NeuroMemErrorCode } from '@neuromem/core';
