import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface FileChecksum {
  bytes: number;
  sha256: string;
}

const CHUNK = 1 << 22;

/** SHA-256 of a whole file, read in 4 MiB chunks so a large index never needs one huge buffer. */
export function fileChecksum(path: string): FileChecksum {
  const fd = openSync(path, 'r');
  try {
    const bytes = fstatSync(fd).size;
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(bytes, 1)));
    for (let offset = 0; offset < bytes; ) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, bytes - offset), offset);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      offset += read;
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}
