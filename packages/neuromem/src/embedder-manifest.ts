import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createErrorFactory, type Embedder } from '@neuromem/core';

const fail = createErrorFactory('neuromem');

/** What `neuromem.json` says of the memory in a directory; undefined before anything was written there. */
export interface StoredManifest {
  embedderId: unknown;
}

/** Reads `neuromem.json` once; pass the answer to `checkEmbedderManifest`. */
export function readStoredManifest(directory: string): StoredManifest | undefined {
  const path = join(directory, 'neuromem.json');
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { embedderId?: unknown };
    return { embedderId: parsed.embedderId };
  } catch (error) {
    throw fail('STORAGE', `${path} is unreadable; restore it or delete it to accept the current embedder.`, { cause: error });
  }
}

/** The id of the embedder that wrote the memory, when the manifest names one. */
export const storedEmbedderId = (stored: StoredManifest | undefined): string | undefined => (typeof stored?.embedderId === 'string' ? stored.embedderId : undefined);

/**
 * Vectors from one embedder are meaningless to another, so a database remembers which embedder
 * wrote it and refuses to open with a different one instead of returning nonsense. `stored` is
 * what `readStoredManifest` found; with none, the manifest is written.
 */
export function checkEmbedderManifest(directory: string, embedder: Embedder, stored: StoredManifest | undefined): void {
  if (stored !== undefined) {
    if (stored.embedderId !== embedder.id) {
      throw fail(
        'CONFLICT',
        `${directory} was written with embedder ${String(stored.embedderId)} but this memory uses ${embedder.id}; open it with the same embedder, or export and re-import into a new database.`,
        {
          details: { stored: stored.embedderId, current: embedder.id },
        },
      );
    }
    return;
  }
  const path = join(directory, 'neuromem.json');
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify({ embedderId: embedder.id, scales: embedder.scales, format: 1 }, null, 2));
  renameSync(temp, path);
}
