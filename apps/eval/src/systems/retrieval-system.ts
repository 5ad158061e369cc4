import type { ImportanceModel } from '@neuromem/controller';
import type { ScaleHeads, SemanticModel } from '@neuromem/embeddings';
import type { RankerModel } from 'neuromem';
import type { LocomoConversation, LocomoTurn } from '../locomo/load-locomo';
import type { StoreChoice } from './store-choice';

/** One memory under test, fresh per conversation. */
export interface RetrievalSystem {
  /** Stores one turn, as an app would while the conversation happens. */
  add(turn: LocomoTurn): Promise<void>;
  /** The dia_ids of the best turns for the question, best first. */
  search(question: string, k: number, referenceTime: number): Promise<string[]>;
  /**
   * The prompt context for the question from its best `k` memories, uncompressed: its tokens and the
   * turns it states in full (a consolidated fact states the versions it quotes whole). Systems without
   * a context of their own leave it out.
   */
  context?(question: string, k: number, referenceTime: number): Promise<{ tokens: number; turns: string[] }>;
  /** Called once every turn is stored and before any question: a memory that sleeps consolidates here. */
  settle?(): Promise<void>;
  /** The links a sleep made between two statements of one fact (`supersedes`), as turn ids: newer, then older. */
  versionLinks?(): Promise<Array<[newer: string, older: string]>>;
  storageBytes(): Promise<number>;
  close(): Promise<void>;
}

export interface SystemContext {
  conversation: LocomoConversation;
  /** An empty directory the system may persist into. */
  directory: string;
  /** Cross-validation: scale heads trained without this conversation (for systems that use heads). */
  headsFor?: (conversationId: string) => Promise<ScaleHeads>;
  /** Cross-validation: the semantic encoder's model trained without this conversation. */
  semanticFor?: (conversationId: string) => Promise<SemanticModel>;
  /** Cross-validation: the write-time importance model fitted without this conversation. */
  importanceFor?: (conversationId: string) => Promise<ImportanceModel>;
  /** Cross-validation: the ranker of a NeuroMem variant fitted without this conversation. */
  rankerFor?: (conversationId: string, variant: string) => Promise<RankerModel>;
  /** The store NeuroMem runs on (`--store`); the embedded SQLite one when absent. */
  store?: StoreChoice;
}

export type SystemFactory = (context: SystemContext) => Promise<RetrievalSystem>;
