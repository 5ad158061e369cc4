import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('embeddings');

/** The command that retrains the shipped model, named by every error about a bad file. */
export const SEMANTIC_MODEL_COMMAND = 'bash tools/train/semantic-encoder/train.sh --data path/to/locomo10-dev.json';

/** The trained model shipped beside the lexicon (see tools/train/semantic-encoder), for the default (paired) lexicon. */
export const DEFAULT_SEMANTIC_MODEL_PATH = join(__dirname, '..', 'lexicon', 'semantic-model.json');

/**
 * The model that was the default before the lexicon was paired with the teacher's view of its words:
 * trained on the GloVe lexicon alone (`GLOVE_LEXICON_PATH`). Kept byte for byte so that memories
 * written with it still open (`createPreviousSemanticEncoder`).
 */
export const GLOVE_SEMANTIC_MODEL_PATH = join(__dirname, '..', 'lexicon', 'semantic-model-glove.json');

/**
 * Learned pooling and a residual MLP over a lexicon's word vectors (see `createSemanticEncoder`):
 * attention `u` over words, then h = p + W2 tanh(W1 p + b1) + b2. Plain row-major weights.
 */
export interface SemanticModel {
  /** Checksum of the weights: part of the encoder id. */
  readonly id: string;
  /** The lexicon and word weighting it was trained on (their ids). */
  readonly lexicon: string;
  readonly weighting: string;
  readonly dimensions: number;
  readonly hidden: number;
  readonly attention: Float32Array;
  /** hidden × dimensions */
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  /** dimensions × hidden */
  readonly w2: Float32Array;
  readonly b2: Float32Array;
  /** What the training script recorded: data, settings, cross-validated metrics. */
  readonly trainedOn: string[];
  readonly metrics: unknown;
}

const loaded = new Map<string, SemanticModel>();

/** Loads a model file once per process; a missing or damaged one is `STORAGE` naming the command that retrains it. */
export function loadSemanticModel(path: string = DEFAULT_SEMANTIC_MODEL_PATH): SemanticModel {
  const cached = loaded.get(path);
  if (cached) return cached;
  const bad = (why: string, cause?: unknown) =>
    fail('STORAGE', `the semantic model ${path} is unusable (${why}); retrain it with \`${SEMANTIC_MODEL_COMMAND}\` or reinstall @neuromem/embeddings.`, { cause, details: { path } });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw bad((error as NodeJS.ErrnoException).code ?? String(error), error);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw bad('not JSON', error);
  }
  const model = semanticModelFrom(raw, createHash('sha256').update(text).digest('hex').slice(0, 12), bad);
  loaded.set(path, model);
  return model;
}

/** A model from its parsed JSON; `bad` builds the error for a problem found. */
export function semanticModelFrom(raw: Record<string, unknown>, id: string, bad: (why: string) => Error = (why) => fail('INVALID_INPUT', `semantic model: ${why}.`)): SemanticModel {
  if (raw?.format !== 'neuromem.semantic-model/v1') throw bad(`format ${JSON.stringify(raw?.format)}, expected "neuromem.semantic-model/v1"`);
  const { dimensions, hidden } = raw as { dimensions: unknown; hidden: unknown };
  if (!Number.isInteger(dimensions) || !Number.isInteger(hidden) || (dimensions as number) < 1 || (hidden as number) < 0)
    throw bad('dimensions must be a positive integer and hidden a non-negative one');
  const array = (key: string, length: number): Float32Array => {
    const value = raw[key];
    if (!Array.isArray(value) || value.length !== length) throw bad(`${key} must hold ${length} numbers`);
    const out = Float32Array.from(value as number[]);
    if (!out.every(Number.isFinite)) throw bad(`${key} holds a value that is not a finite number`);
    return out;
  };
  const [d, h] = [dimensions as number, hidden as number];
  return {
    id,
    lexicon: String(raw.lexicon),
    weighting: String(raw.weighting),
    dimensions: d,
    hidden: h,
    attention: array('attention', d),
    w1: array('w1', h * d),
    b1: array('b1', h),
    w2: array('w2', d * h),
    b2: array('b2', d),
    trainedOn: Array.isArray(raw.trainedOn) ? (raw.trainedOn as string[]) : [],
    metrics: raw.metrics,
  };
}
