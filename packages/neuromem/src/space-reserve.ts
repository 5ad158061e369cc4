import { closeSync, existsSync, fstatSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Disk space held back for the adds a memory acknowledged before indexing them: when the disk fills,
 * the reserve is given up so the backlog can still be indexed, and new adds are indexed in their own
 * call (as without write-behind) until the space can be taken again. Held only while a writer has
 * the memory open (taken by the first add, given back by a clean close), so a memory at rest does
 * not carry it.
 */
export interface SpaceReserve {
  readonly held: boolean;
  /** Gives the space to the disk; false when it was not held. */
  release(): boolean;
  /** Takes the space (again); false when the disk has not got it (tried at most once a second). */
  take(): boolean;
}

/** The reserve's file in a memory directory. */
export const SPACE_RESERVE_FILE = 'space-reserve.bin';

/** Bytes that do not compress, so a compressing file system allocates them too. */
const PATTERN = randomBytes(64 * 1024);
const RETRY_MS = 1000;

export function createSpaceReserve(file: string, bytes: number): SpaceReserve {
  let held = existsSync(file) && sizeOf(file) === bytes;
  let lastTry = Number.NEGATIVE_INFINITY;

  return {
    get held() {
      return held;
    },
    release() {
      if (!held) return false;
      held = false;
      try {
        unlinkSync(file);
      } catch {
        // Gone already: the space is free all the same.
      }
      return true;
    },
    take() {
      if (held) return true;
      const now = Date.now();
      if (now - lastTry < RETRY_MS) return false;
      lastTry = now;
      const fresh = `${file}.tmp`;
      let fd: number | undefined;
      try {
        fd = openSync(fresh, 'w');
        for (let written = 0; written < bytes; ) {
          const wrote = writeSync(fd, PATTERN, 0, Math.min(PATTERN.length, bytes - written));
          if (wrote <= 0) return false;
          written += wrote;
        }
        closeSync(fd);
        fd = undefined;
        renameSync(fresh, file);
        held = true;
        return true;
      } catch {
        return false;
      } finally {
        if (fd !== undefined) closeSync(fd);
        if (!held) rmSync(fresh, { force: true });
      }
    },
  };
}

function sizeOf(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
