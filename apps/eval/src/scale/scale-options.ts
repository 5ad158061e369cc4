import type { ScaleReport } from './scale-report';
import { createErrorFactory } from '@neuromem/core';
import { parseIntList, parsePositiveInt } from '../cli-args';

const fail = createErrorFactory('eval');

export interface ScaleOptions {
  /** Checkpoints: total memories at which everything is measured, increasing. Default [1000, 10000, 50000]. */
  sizes?: number[];
  /** Regular users; sessions go to them in turn. Default 100. */
  users?: number;
  /** Turns per session, added with one `add()` call. Default 20. */
  sessionTurns?: number;
  /** Memories of the probe user, ingested first; they never grow. Default 500. */
  probeMemories?: number;
  /** Timed queries per measure and checkpoint. Default 200. */
  queries?: number;
  /** Timed single-turn adds per checkpoint (they count toward its size). Default 100. */
  adds?: number;
  /** Seed of every random choice. Default 42. */
  seed?: number;
  /** Single-turn adds to one session in a separate store: 0 (off) or at least 2. Default 0. */
  longSession?: number;
  /** Parent of the run's directory. Default: the OS temp dir. */
  directory?: string;
  /** Leave the run's directory (stores and BM25 reference) in place. Default false. */
  keep?: boolean;
  /** The store's commits (`createMemory({ durability })`): `'full'` fsyncs each, as by default. Default 'full'. */
  durability?: 'full' | 'normal';
  /** Called between timed operations, never inside one. */
  onProgress?: (event: { phase: string; done: number; total: number }) => void;
  /** Called after each checkpoint with the report so far, so a long run that is stopped keeps what it measured. */
  onCheckpoint?: (partial: ScaleReport) => void;
}

export type ResolvedScaleOptions = Required<Omit<ScaleOptions, 'directory' | 'onProgress' | 'onCheckpoint'>> & Pick<ScaleOptions, 'directory' | 'onProgress' | 'onCheckpoint'>;

/** Option names as the caller knows them: fields for `runScale`, flags for the CLI. */
type Names = Record<'sizes' | 'users' | 'sessionTurns' | 'probeMemories' | 'queries' | 'adds' | 'seed' | 'longSession', string>;

const FIELDS: Names = { sizes: 'sizes', users: 'users', sessionTurns: 'sessionTurns', probeMemories: 'probeMemories', queries: 'queries', adds: 'adds', seed: 'seed', longSession: 'longSession' };
const FLAGS: Names = {
  sizes: '--sizes',
  users: '--users',
  sessionTurns: '--session-turns',
  probeMemories: '--probe-memories',
  queries: '--queries',
  adds: '--adds',
  seed: '--seed',
  longSession: '--long-session',
};

export function resolveScaleOptions(options: ScaleOptions, names: Names = FIELDS): ResolvedScaleOptions {
  const resolved: ResolvedScaleOptions = {
    sizes: options.sizes ?? [1000, 10_000, 50_000],
    users: options.users ?? 100,
    sessionTurns: options.sessionTurns ?? 20,
    probeMemories: options.probeMemories ?? 500,
    queries: options.queries ?? 200,
    adds: options.adds ?? 100,
    seed: options.seed ?? 42,
    longSession: options.longSession ?? 0,
    keep: options.keep ?? false,
    durability: options.durability ?? 'full',
    ...(options.directory !== undefined ? { directory: options.directory } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
  };
  const { sizes, probeMemories, adds } = resolved;
  if (resolved.durability !== 'full' && resolved.durability !== 'normal') {
    throw fail('INVALID_INPUT', `${names === FLAGS ? '--durability' : 'durability'} must be full or normal, got ${JSON.stringify(resolved.durability)}.`, { details: { field: 'durability' } });
  }
  if (!Array.isArray(sizes) || sizes.length === 0 || !sizes.every(isPositiveInt))
    throw fail('INVALID_INPUT', `${names.sizes} must be positive integers, got ${JSON.stringify(sizes)}.`, { details: { field: 'sizes' } });
  for (const field of ['users', 'sessionTurns', 'probeMemories', 'queries', 'adds'] as const) {
    if (!isPositiveInt(resolved[field])) throw fail('INVALID_INPUT', `${names[field]} must be a positive integer, got ${JSON.stringify(resolved[field])}.`, { details: { field } });
  }
  if (!Number.isInteger(resolved.seed) || resolved.seed < 0)
    throw fail('INVALID_INPUT', `${names.seed} must be a non-negative integer, got ${JSON.stringify(resolved.seed)}.`, { details: { field: 'seed' } });
  // Its first and last adds are compared, so it needs two at least.
  if (!Number.isInteger(resolved.longSession) || resolved.longSession < 0 || resolved.longSession === 1) {
    throw fail('INVALID_INPUT', `${names.longSession} must be 0 (off) or an integer of at least 2, got ${JSON.stringify(resolved.longSession)}.`, { details: { field: 'longSession' } });
  }
  // The probe's memories come first and each checkpoint's single adds count toward it, so every
  // checkpoint must leave room for at least one batched turn after both.
  sizes.forEach((size, i) => {
    const floor = i === 0 ? probeMemories : sizes[i - 1]!;
    if (size <= floor + adds) {
      const before = i === 0 ? `${names.probeMemories} (${floor})` : `the previous size (${floor})`;
      throw fail('INVALID_INPUT', `${names.sizes} must increase and each size must exceed ${before} by more than ${names.adds} (${adds}); got ${size}.`, { details: { field: 'sizes' } });
    }
  });
  return resolved;
}

/** The `neuromem-eval scale` flags as commander hands them over. */
export interface ScaleFlags {
  sizes: string;
  users: string;
  sessionTurns: string;
  probeMemories: string;
  queries: string;
  adds: string;
  seed: string;
  longSession: string;
  dir?: string;
  keep?: boolean;
  durability: string;
}

/** Parses and checks the flags, so a bad one fails before any work starts, with the flag's name. */
export function parseScaleFlags(flags: ScaleFlags): ResolvedScaleOptions {
  return resolveScaleOptions(
    {
      sizes: parseIntList(flags.sizes, '--sizes', 10_000_000),
      users: parsePositiveInt(flags.users, '--users', 1_000_000),
      sessionTurns: parsePositiveInt(flags.sessionTurns, '--session-turns', 100_000),
      probeMemories: parsePositiveInt(flags.probeMemories, '--probe-memories', 1_000_000),
      queries: parsePositiveInt(flags.queries, '--queries', 1_000_000),
      adds: parsePositiveInt(flags.adds, '--adds', 1_000_000),
      seed: parsePositiveInt(flags.seed, '--seed', 2 ** 31),
      longSession: parseLongSession(flags.longSession),
      keep: flags.keep === true,
      durability: flags.durability as 'full' | 'normal',
      ...(flags.dir !== undefined ? { directory: flags.dir } : {}),
    },
    FLAGS,
  );
}

/** 0 turns the long session off, so it is the one count that may be 0. */
function parseLongSession(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n === 1 || n > 1_000_000) {
    throw fail('INVALID_INPUT', `--long-session: ${JSON.stringify(value)} is not 0 (off) or an integer between 2 and 1000000.`, { details: { field: 'longSession' } });
  }
  return n;
}

const isPositiveInt = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
