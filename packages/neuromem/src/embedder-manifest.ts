import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createErrorFactory, type Embedder } from '@neuromem/core';

const fail = createErrorFactory('neuromem');

/**
 * Vectors from one embedder are meaningless to another, so a database remembers which embedder
 * wrote it and refuses to open with a different one instead of returning nonsense.
 */
export function checkEmbedderManifest(directory: string, embedder: Embedder): void {
  const path = join(directory, 'neuromem.json');
  if (existsSync(path)) {
    const stored = readManifest(path);
    if (stored.embedderId !== embedder.id) {
      throw fail('CONFLICT', `${directory} was written with embedder ${String(stored.embedderId)} but this memory uses ${embedder.id}; open it with the same embedder, or export and re-import into a new database.`, {
        details: { stored: stored.embedderId, current: embedder.id },
      });
    }
    return;
  }
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify({ embedderId: embedder.id, scales: embedder.scales, format: 1 }, null, 2));
  renameSync(temp, path);
}

/** The id of the embedder that wrote the memory in `directory`, if it exists. */
export function storedEmbedderId(directory: string): string | undefined {
  const path = join(directory, 'neuromem.json');
  if (!existsSync(path)) return undefined;
  const { embedderId } = readManifest(path);
  return typeof embedderId === 'string' ? embedderId : undefined;
}

function readManifest(path: string): { embedderId?: unknown } {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { embedderId?: unknown };
  } catch (error) {
    throw fail('STORAGE', `${path} is unreadable; restore it or delete it to accept the current embedder.`, { cause: error });
  }
}
