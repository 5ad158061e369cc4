import { cosineSimilarity, dot } from '../vector-math';
import type { TextEncoder } from '../text-encoder';

export interface EmbedderSuiteOptions {
  name?: string;
  create: () => Promise<TextEncoder>;
  /** Texts that should land closer to each other than to `unrelated` (default: an English paraphrase pair). */
  similarPair?: readonly [string, string];
  unrelated?: string;
}

/** The behaviour every `TextEncoder` must show. */
export function testEmbedder({ name = 'TextEncoder', create, similarPair, unrelated }: EmbedderSuiteOptions): void {
  const [a, b] = similarPair ?? ['Melanie painted a sunrise over the lake last week.', 'Last week Melanie painted the lake at sunrise.'];
  const far = unrelated ?? 'The quarterly tax filing deadline moved to April.';

  describe(`${name} (TextEncoder conformance)`, () => {
    let encoder: TextEncoder;
    beforeAll(async () => {
      encoder = await create();
    });

    it('should describe itself', () => {
      expect(encoder.specVersion).toBe('neuromem.text-encoder/v1');
      expect(typeof encoder.id).toBe('string');
      expect(encoder.id.length).toBeGreaterThan(0);
      expect(Number.isInteger(encoder.dimensions) && encoder.dimensions > 0).toBe(true);
    });

    it('should return one finite unit vector of the declared size per text, in order', async () => {
      const vectors = await encoder.encode([a, b, far]);
      expect(vectors).toHaveLength(3);
      for (const vector of vectors) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector.length).toBe(encoder.dimensions);
        expect(vector.every(Number.isFinite)).toBe(true);
        expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 4);
      }
    });

    it('should give the same vector for a text alone or inside a batch', async () => {
      const [alone] = await encoder.encode([b]);
      const batch = await encoder.encode([a, b, far]);
      expect(cosineSimilarity(alone!, batch[1]!)).toBeGreaterThan(0.9999);
      if (encoder.deterministic) {
        const [again] = await encoder.encode([b]);
        expect(Array.from(again!)).toEqual(Array.from(alone!));
      }
    });

    it('should place related texts closer than unrelated ones', async () => {
      const [va, vb, vf] = await encoder.encode([a, b, far]);
      expect(cosineSimilarity(va!, vb!)).toBeGreaterThan(cosineSimilarity(va!, vf!));
    });

    it('should return an empty list for an empty batch', async () => {
      expect(await encoder.encode([])).toEqual([]);
    });

    it('should reject empty or whitespace-only text as invalid input', async () => {
      await expect(encoder.encode(['fine', '  \n '])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(encoder.encode([''])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('should encode text in other scripts and with emoji', async () => {
      const vectors = await encoder.encode(['東京で寿司を食べた 🍣', 'Привет, как дела?']);
      for (const vector of vectors) expect(vector.every(Number.isFinite)).toBe(true);
    });
  });
}
