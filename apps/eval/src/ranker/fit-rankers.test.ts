import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURES, type FeatureVector } from 'neuromem';
import type { ConversationExamples } from './extract-ranking-examples';
import { fitRankers, repeatExamples } from './fit-rankers';

/** Questions whose evidence has the higher `lexical` (LoCoMo-like) or the higher `semanticSimilarity` (paraphrase-like). */
function conversation(id: string, dataset: string | undefined, signal: 'lexical' | 'semanticSimilarity', seed: number): ConversationExamples {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const examples = Array.from({ length: 12 }, (_, q) => {
    const ids = Array.from({ length: 15 }, (_, i) => `${id}:${q}:${i}`);
    const candidates = ids.map((_, i) => {
      const f = Object.fromEntries(FEATURES.map((name) => [name, 0])) as FeatureVector;
      f.lexical = next();
      f.semanticSimilarity = next();
      if (i === 0) f[signal] += 1;
      return f;
    });
    return { candidates, relevant: ids.map((_, i) => i === 0), evidence: [ids[0]!], ids, category: 4 };
  });
  return { conversationId: id, ...(dataset ? { dataset } : {}), examples };
}

describe('fitRankers', () => {
  let directory: string;
  beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'fit-rankers-'))));
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const data = () =>
    new Map([
      [
        'neuromem' as const,
        [
          conversation('conv-a', undefined, 'lexical', 1),
          conversation('conv-b', undefined, 'lexical', 2),
          conversation('para-a', 'paraphrase.json', 'semanticSimilarity', 3),
          conversation('para-b', 'paraphrase.json', 'semanticSimilarity', 4),
        ],
      ],
    ]);

  it('should write one fold per conversation and tell held-out recall per dataset', async () => {
    const progress: string[] = [];
    const result = await fitRankers(data(), { cvDirectory: directory, threads: 1, onProgress: (line) => progress.push(line) });
    expect(readdirSync(directory).sort()).toEqual(['conv-a', 'conv-b', 'para-a', 'para-b']);
    const fold = JSON.parse(readFileSync(join(directory, 'para-a', 'neuromem.json'), 'utf8'));
    expect(fold.fittedOn.heldOut).toBe('para-a');
    expect(result.heldOut.map((row) => row.dataset).sort()).toEqual(['locomo', 'paraphrase.json']);
    // Both kinds of evidence are learnt at once: each dataset's held-out questions find theirs.
    for (const row of result.heldOut) expect(row.recall[5]).toBeGreaterThan(0.6);
    expect(progress).toEqual(['neuromem: fitted on every conversation', ...['conv-a', 'conv-b', 'para-a', 'para-b'].map((id) => `neuromem: fitted without ${id}`)]);
    expect(result.models.get('neuromem')!.format).toBe('neuromem.ranker/v1');
  });

  it('should tell reworded questions apart from the ones people wrote', async () => {
    const conversations = data().get('neuromem')!;
    const [first, ...rest] = conversations;
    const reworded = { ...first!, examples: [...first!.examples, ...first!.examples.map((example) => ({ ...example, reworded: true }))] };
    const result = await fitRankers(new Map([['neuromem' as const, [reworded, ...rest]]]), { threads: 1 });
    expect(result.heldOut.map((row) => row.dataset).sort()).toEqual(['locomo', 'locomo, reworded', 'paraphrase.json']);
  });

  it('should weigh a repeated set more in the fits, and score it the same held out', async () => {
    const [a, b, paraA, paraB] = data().get('neuromem')!;
    expect(repeatExamples(paraA!, 1)).toBe(paraA);
    expect(repeatExamples(paraA!, 3).examples).toHaveLength(3 * paraA!.examples.length);
    const fit = (times: number) => fitRankers(new Map([['neuromem' as const, [a!, b!, repeatExamples(paraA!, times), repeatExamples(paraB!, times)]]]), { threads: 1 });
    const [once, thrice] = [await fit(1), await fit(3)];
    // More weight on the paraphrase-like questions: the model leans more on the signal that finds them.
    const lean = (result: typeof once) => {
      const model = result.models.get('neuromem')!;
      return model.weights[model.features.indexOf('semanticSimilarity')]! / model.weights[model.features.indexOf('lexical')]!;
    };
    expect(lean(thrice)).toBeGreaterThan(lean(once));
  });

  it('should fit a hidden layer when asked', async () => {
    const result = await fitRankers(data(), { hidden: 2, threads: 1 });
    const model = result.models.get('neuromem')!;
    expect(model.format).toBe('neuromem.ranker/v2');
    expect(model.hidden!.output).toHaveLength(2);
  });
});
