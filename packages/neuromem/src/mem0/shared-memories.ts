import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import { createMemory } from '../create-memory';
import type { Memory as NeuroMemMemory } from '../memory';
import type { MemoryOptions } from '../types';

const fail = createErrorFactory('mem0');

interface Shared {
  memory: Promise<NeuroMemMemory>;
  users: number;
}

/**
 * Memories open in this process, by directory. Mem0 instances built on one SQLite file share it;
 * NeuroMem's store takes a directory for one opener, so instances naming the same directory share
 * one open memory (the first one's options win) and the last `close()` closes it.
 */
const open = new Map<string, Shared>();

/** A handle on the memory for `directory` (undefined: a memory of its own, in memory or in a brought store). */
export interface MemoryHandle {
  memory: () => Promise<NeuroMemMemory>;
  release: () => Promise<void>;
}

export function openShared(directory: string | undefined, options: MemoryOptions): MemoryHandle {
  if (directory === undefined) {
    let memory: Promise<NeuroMemMemory> | undefined;
    return {
      memory: () => (memory ??= createMemory(options)),
      release: async () => {
        if (memory) await (await memory).close();
      },
    };
  }
  const key = resolve(directory);
  // The open memory this handle counts in (a failed open is replaced by the next one).
  let mine: Shared | undefined;
  return {
    memory: () => {
      let shared = open.get(key);
      if (shared !== undefined && shared === mine) return shared.memory;
      if (shared === undefined) {
        const opening = openDirectory(key, options);
        const created: Shared = { memory: opening, users: 0 };
        open.set(key, created);
        // A failed open is forgotten, so the next call tries again (Mem0 retries its init too).
        opening.catch(() => open.get(key) === created && open.delete(key));
        shared = created;
      }
      shared.users += 1;
      mine = shared;
      return shared.memory;
    },
    release: async () => {
      const shared = mine;
      mine = undefined;
      if (shared === undefined || open.get(key) !== shared) return;
      shared.users -= 1;
      if (shared.users > 0) return;
      open.delete(key);
      await (await shared.memory).close();
    },
  };
}

async function openDirectory(directory: string, options: MemoryOptions): Promise<NeuroMemMemory> {
  const isFile = (() => {
    try {
      return statSync(directory).isFile();
    } catch {
      return false;
    }
  })();
  if (isFile) {
    throw fail(
      'INVALID_INPUT',
      `${directory} is a file (Mem0's own SQLite database?); NeuroMem keeps its memories in a directory and does not read Mem0's files. Set vectorStore.config.dbPath to a new directory, e.g. "${directory}.neuromem".`,
      { details: { field: 'vectorStore.config.dbPath', path: directory } },
    );
  }
  return createMemory({ ...options, path: directory });
}
