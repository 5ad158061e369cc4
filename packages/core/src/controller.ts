import type { MemoryRecord, Scope } from './memory';

export interface WriteCandidate {
  text: string;
  scope: Scope;
  /** The most similar existing memories, best first. */
  similar: ReadonlyArray<{ record: MemoryRecord; similarity: number }>;
}

export type WriteDecision = { action: 'store'; importance: number } | { action: 'merge'; into: string; importance: number } | { action: 'skip'; reason: string };

export interface RetrievalPlan {
  /** How many memories to return. */
  k: number;
  /** Weight per scale when candidates are gathered. */
  scaleWeights: Readonly<Record<string, number>>;
}

/** Module 3: learned decisions about what to store, how to retrieve and what to forget. */
export interface Controller {
  readonly specVersion: 'neuromem.controller/v1';
  readonly id: string;
  decideWrite(candidate: WriteCandidate): Promise<WriteDecision>;
  planRetrieval(query: string, scope: Scope): Promise<RetrievalPlan>;
  /** Probability (0..1) that each memory can be forgotten without loss, in order. */
  forgetScores(records: readonly MemoryRecord[], now: number): Promise<number[]>;
}
