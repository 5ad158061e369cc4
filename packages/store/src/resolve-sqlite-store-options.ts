import { createErrorFactory, DEFAULT_MAX_TEXT_CHARS, systemClock, validateScales } from '@neuromem/core';
import type { SqliteStoreOptions } from './sqlite-store-options';
import { createTimeOrderedId } from './time-ordered-id';

const fail = createErrorFactory('store');

/**
 * The start of the file SQLite reads through a memory map instead of a copy per page: a search reads
 * a few hundred rows scattered through the file, and mapped reads take ~10 % less CPU at 50,000
 * memories. Mapped pages count in the process's resident memory (they are the OS page cache), so
 * the map is bounded.
 */
/** Off: the memory map's pages count in RSS, and following writers is worth more (see sqlite-store-options.ts). */
const DEFAULT_MMAP_BYTES = 0;

/** The options of `createSqliteStore` with their defaults, each checked before any file is touched (`INVALID_INPUT` names the field). */
export function resolveSqliteStoreOptions(options: SqliteStoreOptions) {
  const clock = options.clock ?? systemClock;
  const vectorScales = validateScales(options.vectorScales);
  const exactScanLimit = options.exactScanLimit ?? 2048;
  const ownerSegmentLimit = options.ownerSegmentLimit ?? 20_000;
  const segmentCacheBytes = options.segmentCacheBytes ?? 768 * 1024 * 1024;
  const segmentsFollowWriters = options.segmentsFollowWriters ?? true;
  if (typeof segmentsFollowWriters !== 'boolean')
    throw fail('INVALID_INPUT', `segmentsFollowWriters must be true or false, got ${JSON.stringify(segmentsFollowWriters)}.`, { details: { field: 'segmentsFollowWriters' } });
  const loadIndexes = options.loadIndexes ?? 'on-demand';
  const vectorPrecision = options.vectorPrecision ?? 'int8';
  if (!['int8', 'float32'].includes(vectorPrecision))
    throw fail('INVALID_INPUT', `vectorPrecision must be 'int8' or 'float32', got ${JSON.stringify(vectorPrecision)}.`, { details: { field: 'vectorPrecision' } });
  if (!['on-demand', 'on-open'].includes(loadIndexes))
    throw fail('INVALID_INPUT', `loadIndexes must be 'on-demand' or 'on-open', got ${JSON.stringify(loadIndexes)}.`, { details: { field: 'loadIndexes' } });
  if (!Number.isSafeInteger(ownerSegmentLimit) || ownerSegmentLimit < 0)
    throw fail('INVALID_INPUT', `ownerSegmentLimit must be a non-negative integer (0 turns owner segments off), got ${String(ownerSegmentLimit)}.`, { details: { field: 'ownerSegmentLimit' } });
  if (!Number.isSafeInteger(segmentCacheBytes) || segmentCacheBytes < 0)
    throw fail('INVALID_INPUT', `segmentCacheBytes must be a non-negative integer, got ${String(segmentCacheBytes)}.`, { details: { field: 'segmentCacheBytes' } });
  const mmapBytes = options.mmapBytes ?? DEFAULT_MMAP_BYTES;
  if (!Number.isSafeInteger(mmapBytes) || mmapBytes < 0)
    throw fail('INVALID_INPUT', `mmapBytes must be a non-negative integer (0 turns it off), got ${String(mmapBytes)}.`, { details: { field: 'mmapBytes' } });
  const flushEvery = options.flushEvery ?? 10_000;
  const maxTextChars = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const generateId = options.generateId ?? createTimeOrderedId(() => clock.now());
  const directory = options.path;
  const durability = options.durability ?? 'full';
  const integrityCheck = options.integrityCheck ?? 'after-crash';
  if (!['full', 'normal'].includes(durability)) throw fail('INVALID_INPUT', `durability must be 'full' or 'normal', got ${JSON.stringify(durability)}.`, { details: { field: 'durability' } });
  if (!['after-crash', 'always', 'never'].includes(integrityCheck))
    throw fail('INVALID_INPUT', `integrityCheck must be 'after-crash', 'always' or 'never', got ${JSON.stringify(integrityCheck)}.`, { details: { field: 'integrityCheck' } });
  const readOnly = options.readOnly ?? false;
  if (typeof readOnly !== 'boolean') throw fail('INVALID_INPUT', `readOnly must be true or false, got ${JSON.stringify(readOnly)}.`, { details: { field: 'readOnly' } });
  if (readOnly && directory === undefined) throw fail('INVALID_INPUT', 'readOnly opens an existing database: pass its path.', { details: { field: 'readOnly' } });
  return {
    clock,
    vectorScales,
    exactScanLimit,
    ownerSegmentLimit,
    segmentCacheBytes,
    segmentsFollowWriters,
    loadIndexes,
    vectorPrecision,
    mmapBytes,
    flushEvery,
    maxTextChars,
    generateId,
    directory,
    durability,
    integrityCheck,
    readOnly,
  };
}
