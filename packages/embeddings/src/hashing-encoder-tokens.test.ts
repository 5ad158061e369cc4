import { cosineSimilarity } from '@neuromem/core';
import { createCorpusStats } from './corpus-stats';
import { createHashingEncoder } from './create-hashing-encoder';

describe('hashing encoder tokens, stems and corpus IDF', () => {
  it('should return one unit vector per word but the function words, with spans into the original text', async () => {
    const text = 'Ｍelanie PAINTED a sunrise 🌅!';
    const [encoding] = await createHashingEncoder().encodeTokens!([text]);
    expect(encoding!.spans.map(([start, end]) => text.slice(start, end))).toEqual(['Ｍelanie', 'PAINTED', 'sunrise', '🌅']);
    for (const vector of encoding!.vectors) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('should leave out function words whatever their case, and give a text of only them one token', async () => {
    const encoder = createHashingEncoder();
    const [mixed, only] = await encoder.encodeTokens!(['What IS my job?', 'What is it?']);
    expect(mixed!.spans).toEqual([[11, 14]]);
    expect(only!.spans).toEqual([[0, 11]]);
    const [job] = await encoder.encodeTokens!(['job']);
    expect(Array.from(mixed!.vectors[0]!)).toEqual(Array.from(job!.vectors[0]!));
  });

  it('should give every caller its own copy of a word vector it remembers', async () => {
    const encoder = createHashingEncoder();
    const [first] = await encoder.encodeTokens!(['beagle beagle']);
    const copy = Array.from(first!.vectors[0]!);
    first!.vectors[0]!.fill(0);
    const [again] = await encoder.encodeTokens!(['beagle']);
    expect(Array.from(again!.vectors[0]!)).toEqual(copy);
    expect(Array.from(first!.vectors[1]!)).toEqual(copy);
  });

  it('should give a word too long to remember the same token vector each time, made afresh', async () => {
    const encoder = createHashingEncoder();
    const text = `build ${'7f3a9c'.repeat(40)} failed`;
    const [first] = await encoder.encodeTokens!([text]);
    const [again] = await encoder.encodeTokens!([text]);
    expect(again).toEqual(first);
    expect(first!.vectors).toHaveLength(3);
  });

  it('should give one token for a text without words', async () => {
    const [encoding] = await createHashingEncoder().encodeTokens!(['?!…']);
    expect(encoding!.spans).toEqual([[0, 3]]);
  });

  it('should match word forms through their stem', async () => {
    const stemmed = createHashingEncoder();
    const plain = createHashingEncoder({ stem: false });
    const pair = ['she paints landscapes', 'she painted a landscape'];
    const [a, b] = await stemmed.encode(pair);
    const [c, d] = await plain.encode(pair);
    expect(cosineSimilarity(a!, b!)).toBeGreaterThan(cosineSimilarity(c!, d!));
    expect(stemmed.terms('She painted the landscapes in 2023')).toEqual(['paint', 'landscap', '2023']);
  });

  it('should weigh rare query words up once the corpus has statistics, leaving documents unchanged', async () => {
    const corpus = createCorpusStats();
    const encoder = createHashingEncoder({ corpus });
    const documents = ['we talked about the weather today', 'the weather was nice today', 'my sister adopted a beagle today'];
    corpus.observe(documents.map((text) => encoder.terms(text)));
    const [weather, , beagle] = await encoder.encode(documents);
    const [query] = await encoder.encodeQuery!(['today beagle weather']);
    const [plainQuery] = await createHashingEncoder().encode(['today beagle weather']);
    const margin = (q: Float32Array) => cosineSimilarity(q, beagle!) - cosineSimilarity(q, weather!);
    expect(margin(query!)).toBeGreaterThan(0);
    expect(margin(query!)).toBeGreaterThan(margin(plainQuery!));
    const [again] = await encoder.encode([documents[0]!]);
    expect(Array.from(again!)).toEqual(Array.from(weather!));
  });

  it('should count documents and round-trip its statistics', () => {
    const corpus = createCorpusStats();
    corpus.observe([['a', 'b', 'a'], ['b']]);
    expect(corpus.documents).toBe(2);
    const copy = createCorpusStats(corpus.toJSON());
    expect(copy.idf('a')).toBeCloseTo(corpus.idf('a'), 12);
    expect(copy.idf('a')).toBeGreaterThan(copy.idf('b'));
    expect(createCorpusStats().idf('x')).toBe(1);
  });
});
