import { existsSync } from 'node:fs';
import { createManualClock } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { createHashingEncoder, createSingleScaleEmbedder } from '@neuromem/embeddings';
import type { SqliteMemoryStore } from '@neuromem/store';
import { defaultImportance, importanceOf } from '@neuromem/controller';
import { createMemory, type Memory } from './create-memory';
import { DEFAULT_RANKER, FEATURES, scoreWithRanker } from '@neuromem/retrieval';

const MAY_8 = Date.UTC(2023, 4, 8, 13, 56);
const DAY = 86_400_000;

describe('createMemory', () => {
  let memory: Memory<SqliteMemoryStore>;
  beforeEach(async () => {
    memory = await createMemory({ clock: createManualClock(MAY_8 + 60 * DAY, { tick: 1 }) });
  });
  afterEach(() => memory.close());

  it('should return memories from the asked user only', async () => {
    await memory.add('I adopted a beagle named Biscuit', { userId: 'alice' });
    await memory.add('I adopted a cat named Miso', { userId: 'bob' });
    const alice = await memory.search('what pet did I adopt?', { userId: 'alice' });
    expect(alice.results.map((r) => r.memory)).toEqual(['I adopted a beagle named Biscuit']);
    const carol = await memory.search('what pet did I adopt?', { userId: 'carol' });
    expect(carol.results).toEqual([]);
  });

  it('should store each message as a turn with its speaker and time, skipping system prompts', async () => {
    const { results } = await memory.add(
      [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', name: 'Caroline', content: 'I went to a support group yesterday.' },
        { role: 'assistant', content: 'That sounds meaningful.', timestamp: '2023-05-08T14:00:00Z' },
      ],
      { userId: 'alice', runId: 'session-1', timestamp: MAY_8 },
    );
    expect(results.map((r) => [r.memory, r.role, r.eventTime, r.event, r.runId])).toEqual([
      ['I went to a support group yesterday.', 'Caroline', new Date(MAY_8).toISOString(), 'ADD', 'session-1'],
      ['That sounds meaningful.', 'assistant', '2023-05-08T14:00:00.000Z', 'ADD', 'session-1'],
    ]);
    const next = await memory.store.neighbors(results[0]!.id, { types: ['next'], direction: 'out' });
    expect(next.map((n) => n.id)).toEqual([results[1]!.id]);
  });

  it('should explain every result with its score breakdown', async () => {
    await memory.add('Melanie ran a charity race for mental health', { userId: 'alice', timestamp: MAY_8 });
    const [top] = (await memory.search('charity race', { userId: 'alice', referenceDate: MAY_8 + DAY })).results;
    const { factors, contributions } = top!.scoreBreakdown!;
    expect(Object.keys(factors)).toEqual([...FEATURES]);
    expect(factors.turnSimilarity).toBeGreaterThan(0.3);
    expect(factors.lexical).toBe(1);
    expect(factors.recency).toBeGreaterThan(0.9);
    // Learned at add: "Melanie ran a charity race for mental health" (third person, no number) is a middling fact.
    expect(factors.importance).toBeCloseTo(importanceOf(defaultImportance(), 'Melanie ran a charity race for mental health'), 5);
    // The contributions are the shipped ranker's own account of its logit; the score is the calibrated relevance.
    const explained = scoreWithRanker(DEFAULT_RANKER, factors);
    expect(top!.scoreBreakdown!.logit).toBeCloseTo(explained.logit, 4);
    for (const name of FEATURES) expect(contributions[name]).toBeCloseTo(explained.contributions[name], 4);
    expect(contributions.lexical).not.toBe(0);
    expect(top!.score).toBeGreaterThanOrEqual(0);
    expect(top!.score).toBeLessThanOrEqual(1);
  });

  it('should keep no token vectors the default embedder can compute again, and still re-rank with them', async () => {
    const [stored] = (await memory.add('Melanie ran a charity race for mental health', { userId: 'alice', timestamp: MAY_8 })).results;
    expect(await memory.store.tokenVectors([stored!.id])).toEqual(new Map());
    for (let round = 0; round < 2; round++) {
      // The second search takes them from the token cache: the same factor either way.
      const [top] = (await memory.search('charity race for health', { userId: 'alice', referenceDate: MAY_8 + DAY })).results;
      expect(top!.scoreBreakdown!.factors.tokenMaxSim).toBeGreaterThan(0.5);
    }
  });

  it('should rank a more recent memory higher when the text is equally similar', async () => {
    await memory.add('My favourite food is ramen', { userId: 'alice', timestamp: MAY_8 - 200 * DAY });
    await memory.add('My favourite food is ramen', { userId: 'alice', timestamp: MAY_8 });
    const { results } = await memory.search('favourite food', { userId: 'alice', referenceDate: MAY_8 });
    expect(results[0]!.eventTime).toBe(new Date(MAY_8).toISOString());
    expect(results[0]!.scoreBreakdown!.factors.recency).toBeGreaterThan(results[1]!.scoreBreakdown!.factors.recency);
  });

  it('should respect topK, threshold, metadata filters and time ranges', async () => {
    for (let i = 0; i < 5; i++) await memory.add(`hiking trip number ${i} in the Alps`, { userId: 'alice', timestamp: MAY_8 + i * DAY, metadata: { topic: i % 2 ? 'odd' : 'even' } });
    expect((await memory.search('hiking trip', { userId: 'alice', topK: 2 })).results).toHaveLength(2);
    expect((await memory.search('hiking trip', { userId: 'alice', limit: 3 })).results).toHaveLength(3);
    expect((await memory.search('hiking trip', { userId: 'alice', threshold: 0.99 })).results).toEqual([]);
    expect((await memory.search('hiking trip', { userId: 'alice', filters: { topic: 'odd' } })).results).toHaveLength(2);
    const window = await memory.search('hiking trip', { userId: 'alice', timeRange: { from: MAY_8 + 3 * DAY } });
    expect(window.results.map((r) => r.memory).sort()).toEqual(['hiking trip number 3 in the Alps', 'hiking trip number 4 in the Alps']);
  });

  it('should keep the old text in history when a memory is updated, and tombstone on delete', async () => {
    const { results } = await memory.add('I live in Boston', { userId: 'alice' });
    const id = results[0]!.id;
    expect(await memory.update(id, 'I live in Denver')).toEqual({ message: 'Memory updated successfully!' });
    expect((await memory.get(id))!.memory).toBe('I live in Denver');
    expect((await memory.search('where do I live', { userId: 'alice' })).results[0]!.memory).toBe('I live in Denver');
    await memory.delete(id);
    expect(await memory.get(id)).toBeNull();
    const history = await memory.history(id);
    expect(history.map((h) => [h.action, h.previous_value, h.new_value, h.is_deleted])).toEqual([
      ['ADD', null, 'I live in Boston', 0],
      ['UPDATE', 'I live in Boston', 'I live in Denver', 0],
      ['DELETE', 'I live in Denver', null, 1],
    ]);
  });

  it('should list and delete all memories of one user', async () => {
    await memory.add('a', { userId: 'alice' });
    await memory.add('b', { userId: 'alice' });
    await memory.add('c', { userId: 'bob' });
    expect((await memory.getAll({ userId: 'alice' })).results.map((r) => r.memory)).toEqual(['a', 'b']);
    await memory.deleteAll({ userId: 'alice' });
    expect((await memory.getAll({ userId: 'alice' })).results).toEqual([]);
    expect((await memory.getAll({ userId: 'bob' })).results).toHaveLength(1);
  });

  describe('bad input', () => {
    const unchanged = async () => expect(await memory.store.count()).toBe(1);
    beforeEach(async () => {
      await memory.add('the only memory', { userId: 'alice' });
    });

    it.each([
      ['an empty string', ''],
      ['only whitespace', '  \n\t '],
      ['a 10 MB text', 'x'.repeat(10 * 1024 * 1024)],
      ['a lone surrogate', 'broken \uD800 text'],
      ['an empty message list', []],
      ['a message without content', [{ role: 'user' }]],
    ])('should reject %s with INVALID_INPUT and store nothing', async (_label, input) => {
      await expect(memory.add(input as string, { userId: 'alice' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^\[neuromem\] (?!\[neuromem\])/) });
      await unchanged();
    });

    it('should reject an unparseable timestamp', async () => {
      await expect(memory.add('fine', { userId: 'alice', timestamp: 'next tuesday-ish' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(memory.add('fine', { userId: 'alice', timestamp: Number.NaN })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(memory.search('fine', { userId: 'alice', referenceDate: 'never' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await unchanged();
    });

    it('should require a user, agent or run id', async () => {
      await expect(memory.add('no owner', {})).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('userId') });
      await expect(memory.search('no owner', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(memory.deleteAll({})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await unchanged();
    });

    it('should answer unknown ids with NOT_FOUND', async () => {
      await expect(memory.update('nope', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(memory.delete('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await memory.get('nope')).toBeNull();
      await unchanged();
    });

    it('should refuse use after close', async () => {
      await memory.close();
      await expect(memory.search('x', { userId: 'alice' })).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(memory.add('x', { userId: 'alice' })).rejects.toMatchObject({ code: 'CLOSED' });
      memory = await createMemory();
    });
  });
});

describe('createMemory with a path', () => {
  it('should take ":memory:", as SQLite does, for a memory that keeps nothing on disk', async () => {
    const before = existsSync(':memory:');
    const first = await createMemory({ path: ':memory:' });
    await first.add('I keep bees on the roof', { userId: 'alice' });
    expect((await first.search('bees', { userId: 'alice' })).results).toHaveLength(1);
    await first.close();
    const second = await createMemory({ path: ':memory:' });
    expect((await second.getAll({ userId: 'alice' })).results).toEqual([]);
    await second.close();
    expect(existsSync(':memory:')).toBe(before);
    await expect(createMemory({ path: ':memory:', readOnly: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'readOnly' } });
  });

  it('should find memories again after reopening, and refuse a different embedder', async () => {
    const dir = createTempDir();
    try {
      const first = await createMemory({ path: dir.path });
      const { results } = await first.add('The wedding is on 14 September in Lisbon', { userId: 'alice', timestamp: '2024-06-02T10:00:00Z' });
      await first.close();
      const again = await createMemory({ path: dir.path });
      expect((await again.search('when is the wedding', { userId: 'alice' })).results[0]!.id).toBe(results[0]!.id);
      await again.close();
      const other = createSingleScaleEmbedder(createHashingEncoder({ dimensions: 128 }));
      await expect(createMemory({ path: dir.path, embedder: other })).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      dir.remove();
    }
  });

  it('should write without an fsync per commit when asked, and refuse durability for a store it does not open', async () => {
    const dir = createTempDir();
    try {
      const fast = await createMemory({ path: dir.path, durability: 'normal' });
      const { results } = await fast.add('The wedding is on 14 September in Lisbon', { userId: 'alice' });
      await fast.close();
      const again = await createMemory({ path: dir.path });
      expect(await again.get(results[0]!.id)).not.toBeNull();
      await expect(createMemory({ store: again.store, durability: 'normal' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await again.close();
      await expect(createMemory({ durability: 'sometimes' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      dir.remove();
    }
  });
});

describe('createMemory message metadata', () => {
  it('should merge per-message metadata over the call metadata', async () => {
    const memory = await createMemory();
    const { results } = await memory.add(
      [
        { role: 'user', content: 'first', metadata: { dia_id: 'D1:1' } },
        { role: 'user', content: 'second' },
      ],
      { userId: 'alice', metadata: { source: 'chat' } },
    );
    expect(results.map((r) => r.metadata)).toEqual([{ source: 'chat', dia_id: 'D1:1' }, { source: 'chat' }]);
    await memory.close();
  });
});
