/**
 * Document frequencies of terms over the texts a memory has stored, kept up to date as memories
 * arrive. Encoders use it on the query side only (a rare query word counts more), so stored vectors
 * never go stale when the statistics move.
 */
export interface CorpusStats {
  /** Counts each distinct term of each text once. */
  observe(termsPerText: Iterable<Iterable<string>>): void;
  /** Takes back texts counted before (edited or deleted ones); counts never drop below zero. */
  forget(termsPerText: Iterable<Iterable<string>>): void;
  /** Smoothed inverse document frequency, 1 for an empty corpus; always > 0. */
  idf(term: string): number;
  readonly documents: number;
  /** Forgets everything (before a recount). */
  clear(): void;
  toJSON(): { documents: number; df: Record<string, number> };
}

export function createCorpusStats(snapshot?: { documents: number; df: Record<string, number> }): CorpusStats {
  let documents = snapshot?.documents ?? 0;
  const df = new Map<string, number>(Object.entries(snapshot?.df ?? {}));
  return {
    observe(termsPerText) {
      for (const terms of termsPerText) {
        documents++;
        for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);
      }
    },
    forget(termsPerText) {
      for (const terms of termsPerText) {
        documents = Math.max(0, documents - 1);
        for (const term of new Set(terms)) {
          const n = (df.get(term) ?? 0) - 1;
          if (n > 0) df.set(term, n);
          else df.delete(term);
        }
      }
    },
    idf(term) {
      // BM25's idf, floored so a term in every document still counts a little.
      const n = df.get(term) ?? 0;
      return documents === 0 ? 1 : Math.max(0.1, Math.log(1 + (documents - n + 0.5) / (n + 0.5)));
    },
    get documents() {
      return documents;
    },
    clear() {
      documents = 0;
      df.clear();
    },
    toJSON: () => ({ documents, df: Object.fromEntries(df) }),
  };
}
