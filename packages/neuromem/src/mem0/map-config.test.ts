import { join } from 'node:path';
import { createManualClock, createReferenceStore } from '@neuromem/core';
import { defaultMem0Directory, mapMem0Config } from './map-config';

describe('mapMem0Config', () => {
  it("should keep Mem0's default config on disk, one directory per collection under ~/.neuromem/mem0", () => {
    expect(mapMem0Config(undefined).directory).toBe(join(defaultMem0Directory(), 'memories'));
    expect(mapMem0Config({ vectorStore: { provider: 'memory', config: { collectionName: 'support-bot', dimension: 1536 } } }).directory).toBe(join(defaultMem0Directory(), 'support-bot'));
  });

  it('should take dbPath as the directory, and ":memory:" as a memory that keeps nothing', () => {
    expect(mapMem0Config({ vectorStore: { provider: 'memory', config: { dbPath: '/data/memories', collectionName: 'x' } } }).directory).toBe('/data/memories');
    expect(mapMem0Config({ vectorStore: { provider: 'memory', config: { dbPath: ':memory:' } } }).directory).toBeUndefined();
  });

  it("should accept the config of the Node quickstart and of Mem0's tests, and name the sections it does not use", () => {
    const mapped = mapMem0Config({
      version: 'v1.1',
      embedder: { provider: 'openai', config: { apiKey: 'key', model: 'text-embedding-3-small' } },
      vectorStore: { provider: 'memory', config: { collectionName: 'memories', dimension: 1536, dbPath: ':memory:' } },
      llm: { provider: 'OpenAI', config: { apiKey: 'key', model: 'gpt-5-mini' } },
      historyDbPath: ':memory:',
      disableHistory: true,
    });
    expect(mapped).toMatchObject({ directory: undefined, disableHistory: true, trackAccess: true, unused: ['embedder', 'llm'] });
  });

  it.each([
    ['embedder', { embedder: { provider: 'opneai' } }],
    ['llm', { llm: { provider: 'gpt-4' } }],
    ['vectorStore', { vectorStore: { provider: 'sqlite' } }],
    ['reranker', { reranker: { provider: 'colbert' } }],
    ['historyStore', { historyStore: { provider: 'postgres' } }],
  ])("should refuse a %s provider Mem0 does not have, listing Mem0's", (section, config) => {
    expect(() => mapMem0Config(config)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(new RegExp(`^\\[neuromem\\] \\[mem0\\] ${section}\\.provider ".+" is not a Mem0 provider; Mem0's are `)) }),
    );
  });

  it('should refuse a vector store Mem0 writes elsewhere unless neuromem brings the store', () => {
    expect(() => mapMem0Config({ vectorStore: { provider: 'qdrant', config: { url: 'http://localhost:6333' } } })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringContaining('neuromem: { store }') }),
    );
    const store = createReferenceStore({ vectorScales: { turn: 8 } });
    expect(mapMem0Config({ vectorStore: { provider: 'pgvector' }, neuromem: { store } })).toMatchObject({ directory: undefined, options: { store } });
  });

  it('should pass NeuroMem options through, counting accesses itself', () => {
    const clock = createManualClock(0);
    expect(mapMem0Config({ neuromem: { path: '/tmp/x', clock, trackAccess: false } })).toMatchObject({ directory: '/tmp/x', options: { clock, trackAccess: false }, trackAccess: false });
    expect(mapMem0Config({}).options.trackAccess).toBe(false);
  });

  it('should refuse unknown keys, two places for the store, and a collection name that is no directory name', () => {
    expect(() => mapMem0Config({ graphStore: {} } as never)).toThrow(/the Mem0 config has no "graphStore"; its keys are/);
    expect(() => mapMem0Config({ vectorStore: { provider: 'memory', config: { dbPath: './a' } }, neuromem: { path: './b' } })).toThrow(/either vectorStore.config.dbPath or neuromem.path/);
    expect(() => mapMem0Config({ vectorStore: { config: { collectionName: '../up' } } })).toThrow(/collectionName names a directory/);
    expect(() => mapMem0Config('memory' as never)).toThrow(/takes a Mem0 config object/);
  });
});
