import type { VectorMatch } from '@neuromem/core';

/** Better = higher similarity, then lower key, so equal scores come out in a stable order. */
const better = (a: VectorMatch, b: VectorMatch) => a.similarity > b.similarity || (a.similarity === b.similarity && a.key < b.key);

/**
 * The best `limit` matches seen so far, in a binary min-heap whose root is the worst kept match:
 * O(n log k) for n candidates instead of sorting all n. Any finite score works (BM25's too).
 */
export function createTopK(limit: number) {
  const heap: VectorMatch[] = [];
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);

  function siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      let worst = i;
      if (left < heap.length && better(heap[worst]!, heap[left]!)) worst = left;
      if (left + 1 < heap.length && better(heap[worst]!, heap[left + 1]!)) worst = left + 1;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  }

  return {
    offer(key: number, similarity: number): void {
      if (limit === 0) return;
      if (heap.length < limit) {
        heap.push({ key, similarity });
        for (let i = heap.length - 1; i > 0 && better(heap[(i - 1) >> 1]!, heap[i]!); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
      } else if (similarity > heap[0]!.similarity || (similarity === heap[0]!.similarity && key < heap[0]!.key)) {
        // Compared before allocating: most candidates of a long scan are rejected here.
        heap[0] = { key, similarity };
        siftDown(0);
      }
    },
    sorted: (): VectorMatch[] => heap.sort((a, b) => (better(a, b) ? -1 : 1)),
  };
}
