/**
 * Which of Mem0's open-source tests measure the drop-in, and which cases are left out and why.
 * The suite is Mem0's tests of the `Memory` API (add, CRUD, initialization, input validation), run
 * through `Memory` alone. Cases that need Mem0's LLM are left out: NeuroMem runs no LLM, and they
 * assert on what Mem0's LLM was sent or returned. Nothing else is left out, so a case that pokes
 * at Mem0's private members counts, and fails.
 */

/** Mem0's tests of the `Memory` API, in mem0-ts/src/oss/tests. */
export const API_SUITE = ['memory.add.test.ts', 'memory.crud.test.ts', 'memory.init.test.ts', 'memory.validation.test.ts'];

/**
 * Mem0's other `Memory` tests: each replaces or spies on Mem0's private parts (its embedder,
 * entity store, vector store, reranker or LLM client), so no other implementation can pass them.
 * They are run and shown, not counted.
 */
export const INTERNALS_FILES: Readonly<Record<string, string>> = {
  'memory.embedding-action.test.ts': "asserts on the calls Mem0's pipeline makes into its mocked OpenAI embedder",
  'memory.entity-boost.test.ts': "replaces Mem0's private entity store, embedder and vector store on the instance",
  'memory.llm-error.test.ts': "needs Mem0's LLM: a mocked LLM transport failure surfacing as Mem0's LLMError",
  'memory.prototype-key-embedding.test.ts': "spies on Mem0's MemoryVectorStore class and its mocked OpenAI embedder",
  'memory.rerank.test.ts': "replaces Mem0's private vector store and reranker on the instance",
};

/** Cases of the API suite that need Mem0's LLM, by file and full name (describe blocks and title). */
export const NEEDS_LLM: ReadonlyArray<{ file: string; test: string; reason: string }> = [
  {
    file: 'memory.add.test.ts',
    test: 'Memory - add() preserves message roles in the extraction prompt (## New Messages)',
    reason: "asserts on the prompt Mem0 sends its LLM (the mocked LLM echoes the prompt's message lines back as the memory)",
  },
];
