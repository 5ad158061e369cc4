import { cosineSimilarity, createManualClock } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { createHashingEncoder, createMultiScaleEmbedder } from '@neuromem/embeddings';
import { createSqliteStore } from '@neuromem/store';
import { createMemory, type Memory } from './create-memory';

const TURNS = [
  'We are flying to Lisbon in May.',
  'I booked the hotel near the river.',
  'The flight leaves at 7 am from Bristol.',
  'Pack sunscreen for the beach days.',
  'My sister joins us on the second day.',
  'She is bringing her new camera.',
  'We should book a table at the fado bar.',
  'Remind me to renew my passport first.',
];

describe('turns of a session added one at a time', () => {
  // A corpus-free encoder: the same text always gets the same vector, so vectors can be compared.
  const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
  // Exact float32 vectors: these tests tell a turn embedded in the wrong context from the right one, a difference int8 rounding could hide.
  const open = (path: string) =>
    createMemory({ store: ({ vectorScales }) => createSqliteStore({ path, vectorScales, vectorPrecision: 'float32' }), embedder, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1000 }) });
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  async function expectVectorsOfWholeSession(memory: Memory, ids: string[], texts: string[]) {
    const whole = await embedder.embedSession(texts);
    const stored = await memory.store.vectors(ids, 'turn');
    ids.forEach((id, i) => expect(cosineSimilarity(stored.get(id)!, whole.turns[i]!.vectors.turn!)).toBeCloseTo(1, 5));
  }

  it('should get the vectors the whole session would give them, before and after a restart', async () => {
    const ids: string[] = [];
    let memory = await open(dir.path);
    for (const text of TURNS.slice(0, 5)) ids.push((await memory.add(text, { userId: 'alice', runId: 'trip' })).results[0]!.id);
    await memory.close();
    // A new process knows nothing of the session: it reads it back once, then carries on.
    memory = await open(dir.path);
    const { results } = await memory.add(
      TURNS.slice(5).map((content) => ({ role: 'user' as const, content })),
      { userId: 'alice', runId: 'trip' },
    );
    ids.push(...results.map((r) => r.id));
    await expectVectorsOfWholeSession(memory, ids, TURNS);
    await memory.close();
  });

  it('should take an edited or deleted turn out of the context of the next ones', async () => {
    const memory = await open(dir.path);
    const ids: string[] = [];
    for (const text of TURNS.slice(0, 3)) ids.push((await memory.add(text, { userId: 'alice', runId: 'trip' })).results[0]!.id);
    await memory.update(ids[1]!, 'I booked the hostel by the castle.');
    ids.push((await memory.add(TURNS[3]!, { userId: 'alice', runId: 'trip' })).results[0]!.id);
    await memory.delete(ids[0]!);
    ids.push((await memory.add(TURNS[4]!, { userId: 'alice', runId: 'trip' })).results[0]!.id);
    const texts = ['I booked the hostel by the castle.', TURNS[2]!, TURNS[3]!, TURNS[4]!];
    const whole = await embedder.embedSession(texts);
    const stored = await memory.store.vectors([ids[4]!], 'turn');
    expect(cosineSimilarity(stored.get(ids[4]!)!, whole.turns[3]!.vectors.turn!)).toBeCloseTo(1, 5);
    await memory.close();
  });

  it('should keep sessions of different users and runs apart', async () => {
    const memory = await open(dir.path);
    const a = (await memory.add(TURNS[0]!, { userId: 'alice', runId: 'one' })).results[0]!.id;
    await memory.add(TURNS[1]!, { userId: 'bob', runId: 'one' });
    await memory.add(TURNS[2]!, { userId: 'alice', runId: 'two' });
    const b = (await memory.add(TURNS[3]!, { userId: 'alice', runId: 'one' })).results[0]!.id;
    await expectVectorsOfWholeSession(memory, [a, b], [TURNS[0]!, TURNS[3]!]);
    await memory.close();
  });
});
