import { NeuroMemError, type EmbedSessionOptions, type Embedder, type EmbedderPart, type Scale, type ScaleEmbedding, type SessionState } from '@neuromem/core';

/** One embedder inside a hybrid, and its share of every similarity. */
export interface HybridPart {
  /** Names the part in `embedder.parts` (e.g. 'lexical', 'semantic'). Default `part<i>`. */
  name?: string;
  embedder: Embedder;
  /** Relative weight (> 0): the hybrid's cosine is the weighted mean of the parts' cosines. */
  weight: number;
}

export interface HybridEmbedderOptions {
  /** Two or more embedders; a scale is produced when every part produces it. */
  parts: readonly HybridPart[];
}

interface HybridState extends SessionState {
  readonly parts: readonly SessionState[];
}

/**
 * Several embedders as one: at every scale the parts' unit vectors are concatenated, each scaled
 * by √(weight / Σ weights), so the result is a unit vector whose cosine with another is exactly the
 * weighted mean of the parts' cosines — e.g. lexical (shared words) and semantic (shared meaning).
 * Each part keeps its own consistency across scales; token vectors pair up word by word.
 */
export function createHybridEmbedder(options: HybridEmbedderOptions): Embedder {
  const parts = validateParts(options?.parts);
  const total = parts.reduce((sum, part) => sum + part.weight, 0);
  const factors = parts.map((part) => Math.sqrt(part.weight / total));
  const scales = Object.fromEntries(
    (['token', 'turn', 'session'] as const)
      .filter((scale) => parts.every((part) => part.embedder.scales[scale] !== undefined))
      .map((scale) => [scale, parts.reduce((sum, part) => sum + part.embedder.scales[scale]!, 0)]),
  ) as Partial<Record<Scale, number>>;
  const id = `hybrid-v1:${parts.map((part) => `${part.weight}*(${part.embedder.id})`).join('+')}`;
  const offsets = (scale: Scale) => parts.map((_, i) => parts.slice(0, i).reduce((sum, part) => sum + part.embedder.scales[scale]!, 0));
  const layout: EmbedderPart[] = parts.map((part, i) => ({
    name: part.name ?? `part${i}`,
    weight: part.weight / total,
    ranges: Object.fromEntries((Object.keys(scales) as Scale[]).map((scale) => [scale, [offsets(scale)[i]!, offsets(scale)[i]! + part.embedder.scales[scale]!] as const])),
  }));

  const join = (vectors: ReadonlyArray<Float32Array | undefined>): Float32Array | undefined => {
    if (vectors.some((vector) => vector === undefined)) return undefined;
    const out = new Float32Array(vectors.reduce((sum, vector) => sum + vector!.length, 0));
    let offset = 0;
    vectors.forEach((vector, i) => {
      for (let j = 0; j < vector!.length; j++) out[offset + j] = vector![j]! * factors[i]!;
      offset += vector!.length;
    });
    return out;
  };

  /** Token lists pair up by position; parts that split words differently keep the shorter list. */
  const joinTokens = (lists: ReadonlyArray<Float32Array[] | undefined>): Float32Array[] | undefined => {
    if (scales.token === undefined || lists.some((list) => list === undefined)) return undefined;
    const length = Math.min(...lists.map((list) => list!.length));
    const joined: Float32Array[] = [];
    // A text's tokens share one buffer (see copy-into-one-buffer.ts for what one each would cost).
    const buffer = new Float32Array(length * scales.token);
    for (let t = 0; t < length; t++) {
      // One token at a time, without `join`'s checks: every part has this token, at its own width.
      const out = buffer.subarray(t * scales.token, (t + 1) * scales.token);
      let offset = 0;
      for (let p = 0; p < lists.length; p++) {
        const vector = lists[p]![t]!;
        const factor = factors[p]!;
        for (let j = 0; j < vector.length; j++) out[offset + j] = vector[j]! * factor;
        offset += vector.length;
      }
      joined.push(out);
    }
    return joined;
  };

  const joinEmbedding = (embeddings: readonly ScaleEmbedding[]): ScaleEmbedding => {
    const vectors: Partial<Record<Scale, Float32Array>> = {};
    for (const scale of ['turn', 'session'] as const) {
      if (scales[scale] === undefined) continue;
      const joined = join(embeddings.map((embedding) => embedding.vectors[scale]));
      if (joined) vectors[scale] = joined;
    }
    const tokens = joinTokens(embeddings.map((embedding) => embedding.tokens));
    return { vectors, ...(tokens ? { tokens } : {}) };
  };

  const joinTurns = (each: ReadonlyArray<{ turns: ScaleEmbedding[]; session?: Float32Array }>) => {
    const session = join(each.map((result) => result.session));
    return { turns: each[0]!.turns.map((_, t) => joinEmbedding(each.map((result) => result.turns[t]!))), ...(session ? { session } : {}) };
  };

  const continuable = parts.every((part) => part.embedder.continueSession);
  const tokensAlone = scales.token !== undefined && parts.every((part) => part.embedder.embedTokens);

  return {
    specVersion: 'neuromem.embedder/v1',
    id,
    scales,
    parts: layout,
    async embedSession(turns, sessionOptions) {
      return joinTurns(await Promise.all(parts.map((part) => part.embedder.embedSession(turns, sessionOptions))));
    },
    ...(continuable
      ? {
          async continueSession(turns: readonly string[], state?: SessionState, continueOptions?: Pick<EmbedSessionOptions, 'tokens' | 'session'>) {
            const previous = state === undefined ? undefined : checkState(state, id, parts.length);
            const each = await Promise.all(parts.map((part, i) => part.embedder.continueSession!(turns, previous?.parts[i], continueOptions)));
            const next: HybridState = { embedderId: id, turns: each[0]!.state.turns, parts: each.map((result) => result.state) };
            return { ...joinTurns(each), state: next };
          },
        }
      : {}),
    async embedQuery(query) {
      return joinEmbedding(await Promise.all(parts.map((part) => part.embedder.embedQuery(query))));
    },
    ...(tokensAlone
      ? {
          async embedTokens(texts: readonly string[]) {
            const each = await Promise.all(parts.map((part) => part.embedder.embedTokens!(texts)));
            return texts.map((_, t) => joinTokens(each.map((lists) => lists[t]))!);
          },
        }
      : {}),
  };
}

function validateParts(parts: readonly HybridPart[] | undefined): readonly HybridPart[] {
  const bad = (message: string) => new NeuroMemError('INVALID_INPUT', message, { module: 'embeddings', details: { field: 'parts' } });
  if (!Array.isArray(parts) || parts.length < 2) throw bad('parts must list at least two { embedder, weight } entries.');
  parts.forEach((part, i) => {
    if (typeof part?.embedder?.embedQuery !== 'function') throw bad(`parts[${i}].embedder must be an Embedder.`);
    if (typeof part.weight !== 'number' || !Number.isFinite(part.weight) || part.weight <= 0) throw bad(`parts[${i}].weight must be a positive finite number, got ${String(part.weight)}.`);
  });
  if (!parts.every((part) => part.embedder.scales.turn !== undefined)) throw bad('every part must produce turn vectors.');
  return parts;
}

function checkState(state: SessionState, id: string, count: number): HybridState {
  const candidate = state as Partial<HybridState>;
  if (typeof state !== 'object' || state === null || candidate.embedderId !== id || !Array.isArray(candidate.parts) || candidate.parts.length !== count) {
    throw new NeuroMemError('INVALID_INPUT', `state is not a session state of embedder ${id}; pass the state its last continueSession returned, or none for a new session.`, {
      module: 'embeddings',
      details: { field: 'state' },
    });
  }
  return candidate as HybridState;
}
