import { availableParallelism } from 'node:os';
import { createAnnotator, type AnnotationInput, type Annotator, type MemoryAnnotations } from '@neuromem/retrieval';

/** A memory's hold on the process's annotator; `release()` once, when the memory closes. */
export interface AnnotatorLease {
  annotate(items: readonly AnnotationInput[]): Promise<MemoryAnnotations[]>;
  /** Starts the worker now (if there is one), so its models load before the first add asks for them. */
  warmUp(): void;
  /** A read waits for the adds being annotated: see `Annotator.hurry`. */
  hurry(): () => void;
  release(): Promise<void>;
}

let shared: { annotator: Annotator; leases: number } | undefined;

/**
 * Entity extraction for writes. On-disk memories on a machine with a second core share one worker
 * thread per process, so a server holding many memories runs one copy of the language models, not
 * one per memory. It is started by the first add, which waits for it to load its models, or by
 * opening a new memory (`warmUp`; not a reopened one: starting it there slowed a reopened memory's
 * first search by a third), and stopped when the last of them closes. Other memories annotate in the
 * caller's thread.
 */
export function leaseAnnotator(options: { onDisk: boolean }): AnnotatorLease {
  if (!options.onDisk || availableParallelism() < 2) {
    const inline = createAnnotator();
    return { annotate: (items) => inline.annotate(items), warmUp: () => undefined, hurry: () => () => undefined, release: () => inline.close() };
  }
  shared ??= { annotator: createAnnotator({ worker: true }), leases: 0 };
  const held = shared;
  held.leases++;
  let released = false;
  return {
    annotate: (items) => held.annotator.annotate(items),
    warmUp: () => {
      if (!released) held.annotator.warmUp();
    },
    hurry: () => (released ? () => undefined : held.annotator.hurry()),
    async release() {
      if (released) return;
      released = true;
      if (--held.leases > 0) return;
      if (shared === held) shared = undefined;
      await held.annotator.close();
    },
  };
}
