import type { Clock } from './clock';
import type { MemoryStore } from './memory-store';

export interface AgentContext {
  store: MemoryStore;
  clock: Clock;
  signal?: AbortSignal;
}

export interface AgentReport {
  agent: string;
  /** Counts of what the run did, e.g. `{ consolidated: 3, forgotten: 1 }`. */
  actions: Record<string, number>;
  durationMs: number;
}

/** Module 5: a background "sleep" job that reads and writes the store through its interface. */
export interface MemoryAgent {
  readonly specVersion: 'neuromem.agent/v1';
  readonly name: string;
  run(context: AgentContext): Promise<AgentReport>;
}
