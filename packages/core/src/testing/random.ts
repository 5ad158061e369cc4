import { createRandom } from '../random';

export { createRandom };

/** `count` random unit vectors of `dimensions`, reproducible from `seed`. */
export function randomUnitVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const vector = new Float32Array(dimensions);
    let norm = 0;
    for (let i = 0; i < dimensions; i++) {
      // Box-Muller: Gaussian coordinates give directions uniform on the sphere.
      const g = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
      vector[i] = g;
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] as number) / norm;
    return vector;
  });
}

/** A unit vector close to `base` (cosine about 1 - noise²/2). */
export function perturb(base: Float32Array, noise: number, seed: number): Float32Array {
  const [direction] = randomUnitVectors(1, base.length, seed);
  const out = new Float32Array(base.length);
  let norm = 0;
  for (let i = 0; i < base.length; i++) {
    out[i] = (base[i] as number) + noise * (direction![i] as number);
    norm += (out[i] as number) ** 2;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / norm;
  return out;
}
