import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createErrorFactory, importOptionalPeer, normalizeInPlace, validatePositiveInt, validateText, type TextEncoder, type TokenEncoding } from '@neuromem/core';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';

const MODULE = 'embeddings';
const fail = createErrorFactory(MODULE);
/** The ONNX file each dtype loads, as transformers.js v3 names them: `onnx/model<suffix>.onnx`. */
const DTYPE_SUFFIX = { fp32: '', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4' } as const;
/** transformers.js treats names of this shape as hub ids (resolved under its cache), anything else as a path. */
const HUB_ID = /^([\w\-.]+\/)?[\w\-.]{1,96}$/;
const LAYOUT =
  'a model directory must hold config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (onnx/model_quantized.onnx for dtype "q8"), the layout of the Xenova/* and onnx-community/* repos on the Hugging Face hub';

export type TransformersDtype = keyof typeof DTYPE_SUFFIX;

export interface TransformersEncoderOptions {
  /** A Hugging Face model id ("Xenova/all-MiniLM-L6-v2") or a model directory (absolute, or relative to the working directory). Required. */
  model: string;
  /** Where hub models are downloaded to and looked up (`<cacheDir>/<owner>/<name>/...`). Default: transformers.js' `env.cacheDir`. */
  cacheDir?: string;
  /** A folder of model directories named by hub id (`<localModelPath>/<owner>/<name>/config.json`), checked before the cache. Default: none. */
  localModelPath?: string;
  /** Let transformers.js download a hub model that is not on disk yet. Default: false (offline). */
  allowRemoteModels?: boolean;
  /** "mean": average of the token states weighted by the attention mask (sentence-transformers style); "cls": the first token's state. Default: "mean". */
  pooling?: 'mean' | 'cls';
  /** L2-normalize sentence vectors; false returns raw pooled vectors, which breaks the unit-length contract of `encode`. Default: true. */
  normalize?: boolean;
  /** Most token windows per model call. Default: 16. */
  batchSize?: number;
  /** Which ONNX weights to load: "fp32" reads onnx/model.onnx, "q8" onnx/model_quantized.onnx. Default: "fp32". */
  dtype?: TransformersDtype;
  /** Tokens per model pass, special tokens included. Longer texts are split into windows (never truncated). Default: the model's `max_position_embeddings` (512 when absent). */
  maxInputTokens?: number;
}

/**
 * A `TextEncoder` running a Hugging Face feature-extraction model (BERT, MiniLM, E5, BGE...) with
 * @huggingface/transformers on onnxruntime-node. Offline unless `allowRemoteModels`. Texts longer
 * than `maxInputTokens` are cut into consecutive windows, each run with its own special tokens;
 * `encode` pools over all windows and `encodeTokens` concatenates the windows' tokens.
 */
export async function createTransformersEncoder(options: TransformersEncoderOptions): Promise<TextEncoder> {
  const o = resolveOptions(options);
  const { AutoModel, AutoTokenizer, Tensor, env } = await loadTransformers();
  const { source, name } = locateModel(o, o.cacheDir ?? env.cacheDir);
  // Per-call options rather than the global `env`, so encoders with different settings can coexist.
  const load = { local_files_only: !o.allowRemoteModels, ...(o.cacheDir === undefined ? {} : { cache_dir: o.cacheDir }) };
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    [tokenizer, model] = await Promise.all([AutoTokenizer.from_pretrained(source, load), AutoModel.from_pretrained(source, { ...load, dtype: o.dtype })]);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const [code, hint] = /not found|404|missing/i.test(message)
      ? (['NOT_FOUND', `Download it, or set allowRemoteModels: true; ${LAYOUT}.`] as const)
      : o.allowRemoteModels && /fetch|network|ENOTFOUND|ECONN|ETIMEDOUT|status/i.test(message)
        ? (['UPSTREAM', 'The Hugging Face hub could not be reached; retry, or download the model and pass its directory.'] as const)
        : (['UNSUPPORTED', 'It must be an ONNX feature-extraction model that transformers.js v3 supports.'] as const);
    throw fail(code, `could not load model "${o.model}": ${message}. ${hint}`, { cause, details: { model: o.model } });
  }
  const maxPositions = (model.config as unknown as { max_position_embeddings?: number }).max_position_embeddings ?? 512;
  const maxTokens = o.maxInputTokens ?? maxPositions;
  if (maxTokens > maxPositions)
    throw fail('INVALID_INPUT', `maxInputTokens=${maxTokens} is more than model "${o.model}" has positions for (${maxPositions}).`, { details: { field: 'maxInputTokens' } });
  const [prefix, suffix] = specialTokens(tokenizer);
  const room = maxTokens - prefix.length - suffix.length;
  if (room < 1)
    throw fail('INVALID_INPUT', `maxInputTokens=${maxTokens} leaves no room next to the model's ${prefix.length + suffix.length} special tokens.`, { details: { field: 'maxInputTokens' } });

  const tokenIds = (text: string) => tokenizer.encode(text, { add_special_tokens: false });
  const windowsOf = (ids: number[]) => {
    const windows: number[][] = [];
    for (let start = 0; start === 0 || start < ids.length; start += room) windows.push([...prefix, ...ids.slice(start, start + room), ...suffix]);
    return windows;
  };

  /** Runs `windows` in batches, handing each window's states (its tokens x dimensions, a view) to `visit`. */
  async function run(windows: readonly number[][], visit: (window: number, states: Float32Array) => void): Promise<void> {
    // Similar lengths share a batch so less padding is computed; a window's states do not depend on its batch.
    const order = windows.map((_, i) => i).sort((a, b) => windows[a]!.length - windows[b]!.length);
    for (let start = 0; start < order.length; start += o.batchSize) {
      const batch = order.slice(start, start + o.batchSize);
      const seq = Math.max(...batch.map((w) => windows[w]!.length));
      const ids = new BigInt64Array(batch.length * seq).fill(BigInt(tokenizer.pad_token_id ?? 0));
      const mask = new BigInt64Array(batch.length * seq);
      batch.forEach((w, row) => windows[w]!.forEach((id, t) => ((ids[row * seq + t] = BigInt(id)), (mask[row * seq + t] = 1n))));
      const dims = [batch.length, seq];
      const output = (await model({
        input_ids: new Tensor('int64', ids, dims),
        attention_mask: new Tensor('int64', mask, dims),
        token_type_ids: new Tensor('int64', new BigInt64Array(ids.length), dims),
      })) as Record<string, Tensor | undefined>;
      const states = output.last_hidden_state ?? output.token_embeddings;
      // fp16 exports give float16 outputs, which Node 20 has no typed array for: hence no "fp16" dtype.
      if (states?.type !== 'float32' || states.dims.length !== 3)
        throw fail('UNSUPPORTED', `model "${o.model}" returned no float32 last_hidden_state [batch, tokens, dims]; it is not a feature-extraction model.`, {
          details: { outputs: Object.keys(output) },
        });
      const data = states.data as Float32Array;
      const width = states.dims[2]!;
      batch.forEach((w, row) => visit(w, data.subarray(row * seq * width, (row * seq + windows[w]!.length) * width)));
    }
  }

  const probe = windowsOf(tokenIds('a'));
  let dimensions = 0;
  await run(probe, (_, states) => (dimensions = states.length / probe[0]!.length));
  const plan = (texts: readonly string[]) => {
    const ids = checked(texts).map(tokenIds);
    const windows = ids.map(windowsOf);
    return { ids, windows, owner: windows.flatMap((list, t) => list.map(() => t)) };
  };

  return {
    specVersion: 'neuromem.text-encoder/v1',
    id: `transformers:${name}:${o.pooling}:${o.dtype}`,
    dimensions,
    deterministic: true,
    async encode(texts) {
      const { windows, owner } = plan(texts);
      const sums = windows.map(() => new Float64Array(dimensions));
      const counts = new Float64Array(windows.length);
      // Pooled per batch, so a large call never holds every token state. Mean: every token of every
      // window (its [CLS]/[SEP] too, as sentence-transformers does) weighs the same; cls: every window does.
      await run(windows.flat(), (w, states) => {
        const t = owner[w]!;
        const sum = sums[t]!;
        const used = o.pooling === 'cls' ? dimensions : states.length;
        for (let i = 0; i < used; i++) sum[i % dimensions] = sum[i % dimensions]! + states[i]!;
        counts[t] = counts[t]! + used / dimensions;
      });
      return sums.map((sum, t) => {
        const vector = Float32Array.from(sum, (x) => x / counts[t]!);
        return o.normalize ? normalizeInPlace(vector) : vector;
      });
    },
    async encodeTokens(texts) {
      const { ids, windows } = plan(texts);
      const perWindow: Float32Array[][] = [];
      await run(windows.flat(), (w, states) => {
        const rows: Float32Array[] = (perWindow[w] = []);
        for (let k = prefix.length; k < states.length / dimensions - suffix.length; k++) rows.push(normalizeInPlace(states.slice(k * dimensions, (k + 1) * dimensions)));
      });
      let next = 0;
      return texts.map(
        (text, t): TokenEncoding => ({
          vectors: perWindow.slice(next, (next += windows[t]!.length)).flat(),
          spans: alignSpans(text, tokenizer.model.convert_ids_to_tokens(ids[t]!), tokenizer.unk_token),
        }),
      );
    },
  };
}

/** The ids the tokenizer puts before and after every text ([CLS] / [SEP] for BERT), found by encoding a probe both ways. */
function specialTokens(tokenizer: PreTrainedTokenizer): [number[], number[]] {
  const bare = tokenizer.encode('a', { add_special_tokens: false });
  const full = tokenizer.encode('a');
  const at = full.findIndex((_, i) => bare.every((id, k) => full[i + k] === id));
  return at < 0 ? [[], []] : [full.slice(0, at), full.slice(at + bare.length)];
}

const PUNCTUATION = /[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]/u; // BertPreTokenizer's split set
const CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u; // split per character by BertNormalizer
const SKIPPED = /[\s\p{Cc}\p{Cf}]/u;
const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '');

/**
 * Character spans of `tokens` in the ORIGINAL `text`. transformers.js gives no offsets, so the text is
 * folded like an uncased BERT normalizer (lower case, accents stripped), one code point at a time so
 * every folded character remembers the original range it came from; then each token's surface form
 * (without "##" / "▁" / "Ġ") is matched at the cursor, or at its next occurrence if the normalizers
 * disagree. [UNK] (or an unmatched token) covers one punctuation or CJK character, or else the run of
 * characters up to the next whitespace, punctuation or CJK character: the unit BERT pre-tokenizes.
 * Exact for WordPiece models; best effort for byte-level BPE, whose tokens do not spell the text.
 */
function alignSpans(text: string, tokens: string[], unk: string | null): Array<readonly [number, number]> {
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  for (const { 0: char, index } of text.matchAll(/[\s\S]/gu)) {
    const piece = fold(char);
    folded += piece;
    for (let k = 0; k < piece.length; k++) from.push(index), to.push(index + char.length);
  }
  let cursor = 0;
  return tokens.map((token) => {
    while (cursor < folded.length && SKIPPED.test(folded[cursor]!)) cursor++;
    const surface = token === unk ? '' : fold(token.replace(/^(##|▁|Ġ)/u, ''));
    let start = surface && folded.startsWith(surface, cursor) ? cursor : surface ? folded.indexOf(surface, cursor) : -1;
    let end = start + surface.length;
    if (start < 0) {
      start = end = cursor;
      const at = (i: number) => String.fromCodePoint(folded.codePointAt(i)!);
      if (end < folded.length && (PUNCTUATION.test(at(end)) || CJK.test(at(end)))) end += at(end).length;
      else while (end < folded.length && !SKIPPED.test(at(end)) && !PUNCTUATION.test(at(end)) && !CJK.test(at(end))) end += at(end).length;
    }
    cursor = end;
    return end > start ? ([from[start]!, to[end - 1]!] as const) : ([text.length, text.length] as const);
  });
}

function checked(texts: readonly string[]): readonly string[] {
  if (!Array.isArray(texts)) throw fail('INVALID_INPUT', `texts must be an array of strings, got ${texts === null ? 'null' : typeof texts}.`, { details: { field: 'texts' } });
  texts.forEach((text, i) => validateText(text, { module: MODULE, field: `texts[${i}]` }));
  return texts;
}

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

function locateModel(o: Resolved, cacheDir: string): { source: string; name: string } {
  const required = ['config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/model${DTYPE_SUFFIX[o.dtype]}.onnx`];
  const missingIn = (dir: string) => required.filter((file) => !existsSync(join(dir, file)));
  const hubId = HUB_ID.test(o.model) && !o.model.startsWith('.');
  const underLocal = hubId && o.localModelPath !== undefined ? join(o.localModelPath, o.model) : undefined;
  const dir = !hubId || isDirectory(o.model) ? resolve(o.model) : underLocal && isDirectory(underLocal) ? resolve(underLocal) : undefined;
  if (dir !== undefined) {
    if (!isDirectory(dir)) throw fail('NOT_FOUND', `model directory ${dir} does not exist; ${LAYOUT}.`, { details: { model: o.model, directory: dir } });
    const missing = missingIn(dir);
    if (missing.length > 0) throw fail('NOT_FOUND', `model directory ${dir} is missing ${missing.join(', ')}; ${LAYOUT}.`, { details: { model: o.model, directory: dir, missing } });
    return { source: dir, name: basename(dir) };
  }
  const cached = join(cacheDir, o.model);
  if (!o.allowRemoteModels && missingIn(cached).length > 0) {
    const looked = underLocal ? `${cached} and ${underLocal}` : cached;
    throw fail(
      'NOT_FOUND',
      `model "${o.model}" is not on this machine (looked in ${looked}) and allowRemoteModels is false. Download it (e.g. \`huggingface-cli download ${o.model} --local-dir <dir>\`) and pass model: "<dir>", or set allowRemoteModels: true to let transformers.js fetch it into ${cacheDir}.`,
      { details: { model: o.model, looked, missing: missingIn(cached) } },
    );
  }
  return { source: o.model, name: o.model };
}

type Resolved = Required<Omit<TransformersEncoderOptions, 'cacheDir' | 'localModelPath' | 'maxInputTokens'>> & Pick<TransformersEncoderOptions, 'cacheDir' | 'localModelPath' | 'maxInputTokens'>;

function resolveOptions(options: TransformersEncoderOptions): Resolved {
  if (typeof options !== 'object' || options === null) throw fail('INVALID_INPUT', 'options must be an object with at least model.');
  const { model, pooling = 'mean', dtype = 'fp32', normalize = true, allowRemoteModels = false } = options;
  if (typeof model !== 'string' || model.trim() === '') throw fail('INVALID_INPUT', 'model must be a hub id such as "Xenova/all-MiniLM-L6-v2" or a model directory.', { details: { field: 'model' } });
  if (pooling !== 'mean' && pooling !== 'cls') throw fail('INVALID_INPUT', `pooling must be "mean" or "cls", got ${JSON.stringify(pooling)}.`, { details: { field: 'pooling' } });
  if (!Object.hasOwn(DTYPE_SUFFIX, dtype)) throw fail('INVALID_INPUT', `dtype must be one of ${Object.keys(DTYPE_SUFFIX).join(', ')}; got ${JSON.stringify(dtype)}.`, { details: { field: 'dtype' } });
  for (const [field, value] of Object.entries({ normalize, allowRemoteModels })) {
    if (typeof value !== 'boolean') throw fail('INVALID_INPUT', `${field} must be a boolean, got ${String(value)}.`, { details: { field } });
  }
  const maxInputTokens = options.maxInputTokens === undefined ? undefined : validatePositiveInt(options.maxInputTokens, 'maxInputTokens', 1_000_000, MODULE);
  return { ...options, model, pooling, dtype, normalize, allowRemoteModels, maxInputTokens, batchSize: validatePositiveInt(options.batchSize ?? 16, 'batchSize', 4096, MODULE) };
}

/** transformers.js is an optional peer dependency: only this encoder needs it. */
function loadTransformers(): Promise<typeof import('@huggingface/transformers')> {
  return importOptionalPeer(() => import('@huggingface/transformers'), { feature: 'createTransformersEncoder', packages: ['@huggingface/transformers@^3.8.1'], module: MODULE });
}
