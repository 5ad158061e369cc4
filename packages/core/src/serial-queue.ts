/**
 * Runs async tasks one at a time, in call order. Writes go through it so that a commit and the
 * derived-index update that follows it are never interleaved with another write or a flush.
 */
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T> | T): Promise<T> {
      const result = tail.then(() => task());
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
