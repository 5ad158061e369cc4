import type { AnnotationInput, MemoryAnnotations } from '@neuromem/retrieval';
import { createAnnotationSource } from './annotation-source';
import type { Turn } from './normalize-messages';

const turnsOf = (...texts: string[]): Turn[] => texts.map((text, i) => ({ text, role: 'user', eventTime: Date.UTC(2024, 0, 1 + i) }) as Turn);
const annotationOf = ({ text }: AnnotationInput): MemoryAnnotations => ({ entities: [text.split(' ')[0]!.toLowerCase()] }) as MemoryAnnotations;

/** An annotator that records each request and answers it. */
function recordingAnnotator() {
  const requests: string[][] = [];
  return {
    requests,
    annotate: async (items: readonly AnnotationInput[]) => {
      requests.push(items.map((item) => item.text));
      return items.map(annotationOf);
    },
  };
}

describe('createAnnotationSource', () => {
  it('asks for a journaled add once, when it is prefetched off-thread, and hands that answer to its batch', async () => {
    const annotator = recordingAnnotator();
    const source = createAnnotationSource({ annotate: annotator.annotate, offThread: () => true });
    const turns = turnsOf('Ada moved to Lisbon', 'Tom stayed');
    source.prefetch(turns);
    source.prefetch(turns);
    expect(annotator.requests).toEqual([['Ada moved to Lisbon', 'Tom stayed']]);
    await expect(source.of(turns)).resolves.toEqual([{ entities: ['ada'] }, { entities: ['tom'] }]);
    expect(annotator.requests).toHaveLength(1);
    // Used once: a second batch of the same turns (a retry) asks again.
    await source.of(turns);
    expect(annotator.requests).toHaveLength(2);
  });

  it('does not ask early when annotations are made in this thread: add() would only do the work sooner', async () => {
    const annotator = recordingAnnotator();
    const source = createAnnotationSource({ annotate: annotator.annotate, offThread: () => false });
    const turns = turnsOf('Ada moved to Lisbon');
    source.prefetch(turns);
    expect(annotator.requests).toEqual([]);
    await expect(source.of(turns)).resolves.toEqual([{ entities: ['ada'] }]);
    expect(annotator.requests).toHaveLength(1);
  });

  it('keeps a failed early request for its batch to report, never as an unhandled rejection', async () => {
    const failure = new Error('cannot annotate');
    const source = createAnnotationSource({ annotate: () => Promise.reject(failure), offThread: () => true });
    const turns = turnsOf('Ada moved to Lisbon');
    source.prefetch(turns);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(source.of(turns)).rejects.toBe(failure);
  });
});
