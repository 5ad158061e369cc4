import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { createPreviousSemanticEncoder } from '@neuromem/embeddings';
import { createMemory } from './create-memory';

const TINY_BERT = join(__dirname, '..', '..', 'embeddings', 'test-models', 'tiny-bert');
const facts = ['I adopted a beagle named Biscuit last spring.', 'I work night shifts as a nurse at the city hospital.', 'My brother moved to Denver for a new job.'];

describe('the default embedder', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should find a fact asked about in other words, where words alone cannot', async () => {
    const hits = async (semantic: false | undefined) => {
      const memory = await createMemory(semantic === false ? { semantic } : {});
      for (const fact of facts) await memory.add(fact, { userId: 'ada' });
      const { results } = await memory.search('what kind of pet do I own?', { userId: 'ada', limit: 3 });
      await memory.close();
      return results.map((result) => result.memory);
    };
    expect((await hits(undefined))[0]).toBe(facts[0]);
    expect(await hits(false)).toHaveLength(3); // words alone still answer, in some order
  });

  it('should not rank a memory by the function words it shares with a question', async () => {
    const memory = await createMemory();
    const nurse = 'I work as a nurse at the children’s hospital.';
    // "My … is …" shares three words with "What is my job?"; the nurse memory shares none.
    for (const fact of ['My favourite food is ramen.', nurse, 'My sister lives in Porto.', 'I started learning the cello in January.']) await memory.add(fact, { userId: 'ada' });
    const { results } = await memory.search('What is my job?', { userId: 'ada', limit: 4 });
    await memory.close();
    expect(results[0]?.memory).toBe(nurse);
  });

  it('should join a lexical and a semantic part, or keep words only when told', async () => {
    const hybrid = await createMemory();
    expect(hybrid.embedder.parts?.map((part) => part.name)).toEqual(['lexical', 'semantic']);
    expect(hybrid.embedder.scales).toEqual({ token: 456, turn: 712, session: 1224 });
    const lexical = await createMemory({ semantic: false });
    expect(lexical.embedder.parts).toBeUndefined();
    expect(lexical.embedder.scales).toEqual({ token: 256, turn: 512, session: 1024 });
    await Promise.all([hybrid.close(), lexical.close()]);
  });

  it('should reopen a memory with the embedder that wrote it when the caller does not choose', async () => {
    const path = join(dir.path, 'words-only');
    const first = await createMemory({ path, semantic: false });
    await first.add(facts[1]!, { userId: 'ada' });
    await first.close();
    const again = await createMemory({ path });
    expect(again.embedder.parts).toBeUndefined();
    expect((await again.search('nurse', { userId: 'ada' })).results[0]?.memory).toBe(facts[1]);
    await again.close();
    // An explicit choice that disagrees with the stored vectors is refused, never mixed in.
    await expect(createMemory({ path, semantic: { weight: 0.5 } })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('should open a memory written when the shipped heads ran in onnxruntime, with the same weights', async () => {
    const path = join(dir.path, 'v0.1');
    const current = await createMemory({ path, semantic: false });
    const legacyId = current.embedder.id.replace(/:linear:[0-9a-f]+:/, ':onnx:8d04c68616a7:');
    await current.close();
    writeFileSync(join(path, 'neuromem.json'), JSON.stringify({ embedderId: legacyId, scales: current.embedder.scales, format: 1 }));
    const reopened = await createMemory({ path });
    expect(reopened.embedder.id).toBe(legacyId);
    await reopened.add(facts[2]!, { userId: 'ada' });
    expect((await reopened.search('Denver', { userId: 'ada' })).results).toHaveLength(1);
    await reopened.close();
  });

  it('should open a memory written with the previous semantic part (GloVe alone) with that part, its vectors valid', async () => {
    const path = join(dir.path, 'glove-only');
    const first = await createMemory({ path, semantic: { encoder: createPreviousSemanticEncoder() } });
    expect(first.embedder.scales.turn).toBe(612);
    for (const fact of facts) await first.add(fact, { userId: 'ada' });
    await first.close();
    const again = await createMemory({ path });
    expect(again.embedder.scales.turn).toBe(612);
    expect((await again.search('what kind of pet do I own?', { userId: 'ada', limit: 1 })).results[0]?.memory).toBe(facts[0]);
    await again.close();
    // A new memory gets the current default.
    const fresh = await createMemory({ path: join(dir.path, 'new') });
    expect(fresh.embedder.scales.turn).toBe(712);
    await fresh.close();
  });

  it('should open a memory written when the semantic part blended in the turns before with that blend, chosen or not', async () => {
    const path = join(dir.path, 'blended');
    const current = await createMemory({ path });
    const semanticPart = current.embedder.parts!.find((part) => part.name === 'semantic')!;
    expect(current.embedder.id).toContain(':ctx0x3:'); // a turn's meaning alone
    const blendedId = current.embedder.id.replace(':ctx0x3:', ':ctx0.5x3:');
    await current.close();
    writeFileSync(join(path, 'neuromem.json'), JSON.stringify({ embedderId: blendedId, scales: current.embedder.scales, format: 1 }));
    for (const [userId, options] of [
      ['ada', { path }],
      ['bo', { path, semantic: { weight: 0.5 } }],
    ] as const) {
      const reopened = await createMemory(options);
      expect(reopened.embedder.id).toBe(blendedId);
      expect(reopened.embedder.parts!.find((part) => part.name === 'semantic')!.ranges).toEqual(semanticPart.ranges);
      for (const fact of facts) await reopened.add(fact, { userId });
      expect((await reopened.search('what kind of pet do I own?', { userId, limit: 1 })).results[0]?.memory).toBe(facts[0]);
      await reopened.close();
    }
  });

  it('should take a transformers.js model directory as the semantic part', async () => {
    const memory = await createMemory({ embedder: TINY_BERT });
    expect(memory.embedder.parts?.map((part) => [part.name, part.ranges.turn])).toEqual([
      ['lexical', [0, 512]],
      ['semantic', [512, 544]],
    ]);
    for (const fact of facts) await memory.add(fact, { userId: 'ada' });
    expect((await memory.search('beagle', { userId: 'ada' })).results[0]?.memory).toBe(facts[0]);
    await memory.close();
  });

  it('should fail fast with a clear error for a hub model it cannot download', async () => {
    await expect(createMemory({ embedder: 'neuromem-tests/no-such-model' })).rejects.toMatchObject({
      code: expect.stringMatching(/NOT_FOUND|UPSTREAM/),
      message: expect.stringContaining('neuromem-tests/no-such-model'),
    });
  }, 30_000);

  it('should refuse impossible semantic settings', async () => {
    for (const semantic of [{ weight: 0 }, { weight: 1 }, { weight: Number.NaN }, 'yes', null, { encoder: {} }]) {
      await expect(createMemory({ semantic } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(createMemory({ embedder: '  ' })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'embedder' } });
  });
});
