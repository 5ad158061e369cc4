import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import type { HeadScale } from './scale-heads';

const fail = createErrorFactory('embeddings');

/** How to rebuild the files, named in every error about a heads directory. */
export const SCALE_HEADS_COMMAND = 'bash tools/train/scale-heads/train.sh --data path/to/locomo10.json';

export const HEAD_SCALES: readonly HeadScale[] = ['token', 'turn', 'session'];

/** What every heads directory's heads.json says, whichever format holds the weights. */
export interface HeadsManifest {
  /** The encoder the heads were trained on. */
  encoderId: string;
  inputDimensions: number;
  dims: Record<HeadScale, number>;
  /** The whole parsed file, for format-specific entries such as `weights`. */
  raw: Readonly<Record<string, unknown>>;
  /** Where heads.json is, for messages. */
  path: string;
}

/** Reads and checks `<directory>/heads.json`: encoderId, inputDimensions and dims as positive integers. */
export async function readHeadsManifest(directory: string): Promise<HeadsManifest> {
  const path = join(directory, 'heads.json');
  const bytes = await readOrNotFound(directory, 'heads.json');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw fail('INVALID_INPUT', `${path} is not valid JSON (${(error as Error).message}); regenerate it with \`${SCALE_HEADS_COMMAND}\`.`, { details: { path }, cause: error });
  }
  const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const dims = (typeof m.dims === 'object' && m.dims !== null ? m.dims : {}) as Record<string, unknown>;
  if (typeof m.encoderId !== 'string' || !isSize(m.inputDimensions) || !HEAD_SCALES.every((scale) => isSize(dims[scale]))) {
    throw fail('INVALID_INPUT', `${path} must give encoderId, inputDimensions and dims { token, turn, session } as positive integers; regenerate it with \`${SCALE_HEADS_COMMAND}\`.`, {
      details: { path },
    });
  }
  return { encoderId: m.encoderId, inputDimensions: m.inputDimensions, dims: { token: dims.token as number, turn: dims.turn as number, session: dims.session as number }, raw: m, path };
}

/** Reads a file; a missing one is NOT_FOUND naming it and how to regenerate it. */
export async function readOrNotFound(directory: string, file: string, command = SCALE_HEADS_COMMAND): Promise<Buffer> {
  const path = join(directory, file);
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw fail('NOT_FOUND', `${file} is missing from ${directory}; regenerate the trained files with \`${command}\` (see tools/train/scale-heads/README.md).`, {
        details: { path, file },
        cause: error,
      });
    throw fail('STORAGE', `cannot read ${path}: ${code ?? (error as Error).message}.`, { details: { path }, cause: error });
  }
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
