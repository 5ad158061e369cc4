import { createReferenceStore, type Embedder } from '@neuromem/core';
import { createRetriever } from './create-retriever';

// createRetriever checks its options before it reads the embedder: a bare one is enough here.
const embedder = { scales: { turn: 4 } } as unknown as Embedder;
const store = createReferenceStore({ vectorScales: { turn: 4 } });

describe('createRetriever options', () => {
  it.each([
    ['sameFact', 'yes'],
    ['changedValue', 0.7],
  ])('should refuse a %s that is not a judge function, naming the field', (field, value) => {
    expect(() => createRetriever({ store, embedder, [field]: value })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field } }));
  });
});
