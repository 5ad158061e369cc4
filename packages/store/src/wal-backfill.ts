import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

/** The WAL-index header (two 48-byte copies of WalIndexHdr, then WalCkptInfo) in `memory.db-shm`. */
const HEADER_BYTES = 136;
const HEADER_COPY_BYTES = 48;
const BACKFILL_OFFSET = 96;
const BACKFILL_ATTEMPTED_OFFSET = 128;
const WAL_INDEX_VERSION = 3007000;

/**
 * How many WAL frames a checkpoint had copied, or begun to copy, into the database file (the larger
 * of `nBackfill` and `nBackfillAttempted`: a process killed mid-checkpoint has copied frames it
 * never counted as done), read from the WAL-index a crashed process left in `-shm`; undefined when
 * that cannot be known (no file, torn or foreign header). Frames already copied are what make a
 * damaged WAL dangerous: a prefix replayed over the file can put older pages back beside newer ones.
 */
export function walBackfill(shmPath: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(shmPath, 'r');
  } catch {
    return undefined;
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return undefined;
    // The WAL-index is in the machine's own byte order; both header copies agree unless torn.
    const u32 = (offset: number) => (endianness() === 'LE' ? header.readUInt32LE(offset) : header.readUInt32BE(offset));
    if (u32(0) !== WAL_INDEX_VERSION || !header.subarray(0, HEADER_COPY_BYTES).equals(header.subarray(HEADER_COPY_BYTES, 2 * HEADER_COPY_BYTES))) return undefined;
    return Math.max(u32(BACKFILL_OFFSET), u32(BACKFILL_ATTEMPTED_OFFSET));
  } finally {
    closeSync(fd);
  }
}
