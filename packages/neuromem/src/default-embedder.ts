import { existsSync } from 'node:fs';
import { createErrorFactory, type Embedder, type TextEncoder } from '@neuromem/core';
import {
  createHashingEncoder,
  createHybridEmbedder,
  createIdentityHeads,
  createLinearScaleHeads,
  createMultiScaleEmbedder,
  createPreviousSemanticEncoder,
  createSemanticEncoder,
  createTransformersEncoder,
  DEFAULT_HEADS_DIRECTORY,
  type HashingEncoder,
  type ScaleHeads,
} from '@neuromem/embeddings';
import type { CorpusStats } from '@neuromem/embeddings';
import type { WordSpace } from '@neuromem/retrieval';
import type { SemanticOptions } from './types';
import { wordSpaceOf } from './word-space';

const fail = createErrorFactory('neuromem');

/** Share of meaning in the default embedder's similarities (tuned on LoCoMo dev, cross-validated). */
export const DEFAULT_SEMANTIC_WEIGHT = 0.5;

/**
 * How much the turns before a turn add to its semantic vector: nothing. Its turn vector says what
 * that turn means, and the ranker reads its meaning in context as a factor of its own
 * (`semanticContext`, from the neighbours' vectors). Blended in when stored (the lexical part's
 * 0.5), the turns before let a turn that only follows the topic outrank the one that states the
 * fact: paraphrased questions found their evidence in the first five 0.539 -> 0.644 of the time
 * without the blend, ranker refitted, LoCoMo R@10 within 0.002 (apps/eval/RESULTS.md, session 52).
 */
const SEMANTIC_CONTEXT_WEIGHT = 0;

/** The semantic part's context weight before session 52: memories written then open with it. */
const PREVIOUS_SEMANTIC_CONTEXT_WEIGHT = 0.5;

/**
 * The shipped heads' id before they ran as plain TypeScript (0.1: ONNX files with the very same
 * weights). A memory written then still opens with its vectors valid.
 */
const LEGACY_DEFAULT_HEADS_ID = 'onnx:8d04c68616a7';

/**
 * The default embedder: the lexical one (hashing encoder with IDF-weighted queries, trained heads),
 * joined with a semantic part unless `semantic` is false. When the caller does not choose and the
 * memory already exists, it opens with what wrote it — a memory written before the semantic part,
 * before the heads ran in TypeScript, or with the previous semantic part (GloVe alone) keeps
 * working instead of being refused.
 */
export async function createDefaultEmbedder(options: {
  corpus: CorpusStats;
  heads?: ScaleHeads;
  semantic?: SemanticOptions | false;
  storedId?: string;
}): Promise<{ embedder: Embedder; encoder: HashingEncoder; words?: WordSpace }> {
  const chosen = await chooseDefaultEmbedder(options);
  // The semantic part's words, for matching a query's words one by one (`wordMatch`).
  const words = chosen.semantic ? wordSpaceOf(chosen.semantic) : undefined;
  return { embedder: chosen.embedder, encoder: chosen.encoder, ...(words ? { words } : {}) };
}

async function chooseDefaultEmbedder(options: Parameters<typeof createDefaultEmbedder>[0]): Promise<{ embedder: Embedder; encoder: HashingEncoder; semantic?: TextEncoder }> {
  const encoder = createHashingEncoder({ corpus: options.corpus });
  const heads = options.heads ?? (await createLinearScaleHeads({ directory: DEFAULT_HEADS_DIRECTORY }));
  const lexical = createMultiScaleEmbedder({ encoder, heads });
  const { storedId } = options;
  // One semantic encoder for every reading of the stored id below (each holds a word cache of a few MB).
  const semantic = withDefaultEncoder(options.semantic);
  const embedder = withSemanticPart(lexical, semantic);
  const chosen = semantic === false ? undefined : semantic?.encoder;
  if (storedId === undefined || storedId === embedder.id) return { embedder, encoder, ...(chosen ? { semantic: chosen } : {}) };
  // Written when the semantic part blended in the turns before (the same encoder, whether the
  // caller chose it or not): opens with that blend, its vectors valid.
  if (semantic !== false) {
    const blended = withSemanticPart(lexical, semantic, PREVIOUS_SEMANTIC_CONTEXT_WEIGHT);
    if (storedId === blended.id) return { embedder: blended, encoder, ...(chosen ? { semantic: chosen } : {}) };
  }
  if (options.semantic === undefined) {
    if (storedId === lexical.id) return { embedder: lexical, encoder };
    const legacy = lexical.id.replace(`:${heads.id}:`, `:${LEGACY_DEFAULT_HEADS_ID}:`);
    if (options.heads === undefined && storedId === legacy) return { embedder: { ...lexical, id: legacy }, encoder };
    // Written with the previous default semantic part (GloVe alone): opens with it, vectors valid.
    const glove = createPreviousSemanticEncoder();
    for (const contextWeight of [SEMANTIC_CONTEXT_WEIGHT, PREVIOUS_SEMANTIC_CONTEXT_WEIGHT]) {
      const previous = withSemanticPart(lexical, { encoder: glove }, contextWeight);
      if (storedId === previous.id) return { embedder: previous, encoder, semantic: glove };
    }
  }
  return { embedder, encoder, ...(chosen ? { semantic: chosen } : {}) };
}

/** The caller's semantic options with the default encoder made once where none is given; anything else (to be refused) as it is. */
function withDefaultEncoder(options: SemanticOptions | false | undefined): SemanticOptions | false | undefined {
  if (options === undefined) return { encoder: createSemanticEncoder() };
  if (typeof options !== 'object' || options === null || options.encoder !== undefined) return options;
  return { ...options, encoder: createSemanticEncoder() };
}

/**
 * The lexical embedder joined with a semantic one of the same shape: the semantic encoder's vectors
 * at every scale (session aggregation as for the lexical part, the encoder's own space at every
 * scale; `contextWeight` of the turns before in a turn's vector), weighted `weight`. `false` keeps
 * the lexical embedder alone.
 */
export function withSemanticPart(lexical: Embedder, options: SemanticOptions | false | undefined, contextWeight = SEMANTIC_CONTEXT_WEIGHT): Embedder {
  if (options === false) return lexical;
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw fail('INVALID_INPUT', `semantic must be false or an object such as { weight: 0.5 }, got ${String(options)}.`, { details: { field: 'semantic' } });
  const weight = options?.weight ?? DEFAULT_SEMANTIC_WEIGHT;
  if (typeof weight !== 'number' || !(weight > 0 && weight < 1))
    throw fail('INVALID_INPUT', `semantic.weight must be a number strictly between 0 and 1, got ${String(weight)}.`, { details: { field: 'semantic.weight' } });
  const encoder = options?.encoder ?? createSemanticEncoder();
  if (typeof encoder?.encode !== 'function' || !Number.isInteger(encoder.dimensions))
    throw fail('INVALID_INPUT', 'semantic.encoder must be a TextEncoder.', { details: { field: 'semantic.encoder' } });
  const semantic = createMultiScaleEmbedder({ encoder, heads: createIdentityHeads(encoder.dimensions), contextWeight });
  return createHybridEmbedder({
    parts: [
      { name: 'lexical', embedder: lexical, weight: 1 - weight },
      { name: 'semantic', embedder: semantic, weight },
    ],
  });
}

/**
 * A transformers.js model by hub id or local directory. A directory is read offline; a hub id may be
 * downloaded once (the caller named it), and fails fast with a clear error when the hub is unreachable.
 */
export async function openTransformerModel(model: string): Promise<TextEncoder> {
  return existsSync(model) ? createTransformersEncoder({ model }) : createTransformersEncoder({ model, allowRemoteModels: true });
}
