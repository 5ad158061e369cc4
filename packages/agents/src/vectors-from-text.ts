import type { Embedder, Scale } from '@neuromem/core';

/**
 * A memory's vectors made from its text alone, as retrieval measures a cold memory and as a memory
 * given its vectors back (promoted, or a demotion undone) gets them.
 */
export async function vectorsFromText(embedder: Embedder, text: string): Promise<Partial<Record<Scale, Float32Array>>> {
  const { turns } = await embedder.embedSession([text], { tokens: false });
  return turns[0]!.vectors;
}
