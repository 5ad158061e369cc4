import type { Readable } from 'node:stream';

/** Calls `onLine` with each complete line a child process writes, however its output is chunked. */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const complete = buffer.split('\n');
    buffer = complete.pop()!;
    for (const line of complete) onLine(line);
  });
}
