/** Milliseconds of each phase of one cold start (see `cold-start-child.ts`); a phase the mode skips is absent. */
export interface ColdStartPhases {
  /** `import('neuromem')`. */
  import?: number;
  /** `createMemory({ path })`: a new directory, or the one a fresh run left. */
  createMemory?: number;
  /** A search before anything is stored (fresh only). */
  emptySearch?: number;
  /** `add()` of one fact (fresh only). */
  add?: number;
  /** The first search that can find something: after the add, or right after reopening. */
  firstSearch?: number;
  /** From the process's start to the first search's answer, Node's own start-up included. */
  firstAnswer?: number;
  /** The next search, everything loaded. */
  secondSearch?: number;
}

export const COLD_START_PHASES = ['import', 'createMemory', 'emptySearch', 'add', 'firstSearch', 'secondSearch', 'firstAnswer'] as const satisfies ReadonlyArray<keyof ColdStartPhases>;
