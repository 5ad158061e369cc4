import {
  createErrorFactory,
  normalizeInPlace,
  postWithRetry,
  redactKey,
  resolveHttpClientOptions,
  validateBaseURL,
  validatePositiveInt,
  validateText,
  withoutCredentials,
  type HttpClientConfig,
  type HttpClientOptions,
  type TextEncoder,
} from '@neuromem/core';

const MODULE = 'http-encoder';
const fail = createErrorFactory(MODULE);
/** Sent once, when `dimensions` is not given, to learn the model's vector size. */
const PROBE_TEXT = 'dimension probe';

export interface HttpEncoderOptions extends HttpClientOptions {
  /** The server's OpenAI-compatible API root, with or without a trailing slash: "https://api.openai.com/v1", "http://localhost:11434/v1" (Ollama), "http://localhost:8000/v1" (vLLM), "http://localhost:1234/v1" (LM Studio). Required. */
  baseURL: string;
  /** The embedding model as the server knows it, e.g. "text-embedding-3-small" or "nomic-embed-text". Required. */
  model: string;
  /** Expected vector length; every returned vector must have exactly this many numbers. Default: learned by sending one short probe text when the encoder is created. */
  dimensions?: number;
  /** Also send `dimensions` in each request, for models that can shorten their vectors (OpenAI text-embedding-3-*). Needs `dimensions`. Default: false. */
  sendDimensions?: boolean;
  /** Most texts per request; longer inputs are split into several requests, sent one after another. Default: 64. */
  batchSize?: number;
  /** Limit for one request, in ms, until its whole answer has arrived. A timed-out request is retried. Default: 30000. */
  timeoutMs?: number;
  /** Longest text in characters; longer texts are rejected (never truncated) so the caller chunks them. Default: 32000 (~8000 tokens of English, OpenAI's 8191-token input limit). */
  maxInputChars?: number;
}

/**
 * A `TextEncoder` backed by any server that speaks OpenAI's `POST /embeddings` (OpenAI, Ollama's
 * /v1, vLLM, LM Studio, llama.cpp). Async because, without `dimensions`, it asks the server once.
 *
 * `deterministic` is true on the assumption that the server gives the same vector for the same
 * text and model, which holds for embedding inference (no sampling); GPU batching may still move
 * the last float bits, too little to matter for caching by text.
 */
export async function createHttpEncoder(options: HttpEncoderOptions): Promise<TextEncoder> {
  const config = resolveOptions(options);
  const url = `${config.baseURL.replace(/\/+$/, '')}/embeddings`;
  const shownUrl = withoutCredentials(url);
  const { model, batchSize, maxInputChars } = config;

  async function request(input: string[], expected: number | undefined): Promise<Float32Array[]> {
    const body = { model, input, ...(config.sendDimensions ? { dimensions: expected } : {}) };
    const malformed = (what: string) =>
      fail('UPSTREAM', `${shownUrl} sent ${what}; is it an OpenAI-compatible /embeddings endpoint serving an embedding model?`, { details: { url: shownUrl, model } });
    const json = await postWithRetry({ url, body: JSON.stringify(body) }, config.http, async (response) => {
      const text = await response.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // Python servers write NaN/Infinity into JSON (json.dumps allows it); JSON.parse does not.
        throw malformed(
          /[:,[]\s*-?(NaN|Infinity)\b/.test(text)
            ? 'NaN or Infinity in its JSON (the model produced non-finite values)'
            : `a body that is not JSON (${redactKey(config.http, text).trim().slice(0, 80)})`,
        );
      }
    });
    const data = (json as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.length !== input.length) throw malformed(`${Array.isArray(data) ? data.length : 'no'} embeddings for ${input.length} texts`);
    const vectors: Array<Float32Array | undefined> = new Array(input.length);
    data.forEach((item: { index?: unknown; embedding?: unknown } | null, position) => {
      // Servers may answer out of order; `index` says which input each embedding belongs to.
      const index: unknown = item?.index ?? position;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= input.length || vectors[index])
        throw malformed(`an embedding with a non-integer, duplicate or out-of-range index (${String(index)})`);
      const embedding = item?.embedding;
      if (!Array.isArray(embedding)) throw malformed(`an embedding that is not an array of numbers (${typeof embedding}); base64 encoding is not supported`);
      if (embedding.length === 0) throw malformed(`an empty embedding for texts[${index}]`);
      const size = expected ?? embedding.length;
      if (embedding.length !== size) {
        throw fail(
          'DIMENSION_MISMATCH',
          `model "${model}" at ${shownUrl} returned a ${embedding.length}-dimension vector but ${size} dimensions are expected; set dimensions to the model's size (or sendDimensions: true if the model can shorten its vectors).`,
          { details: { model, url: shownUrl, expected: size, actual: embedding.length } },
        );
      }
      const vector = new Float32Array(size);
      let norm = 0;
      for (let i = 0; i < size; i++) {
        const x: unknown = embedding[i];
        if (typeof x !== 'number' || !Number.isFinite(x)) throw malformed(`a non-finite value (${String(x)}) at embedding[${i}] for texts[${index}]`);
        vector[i] = x;
        norm += x * x;
      }
      if (norm === 0) throw malformed(`an all-zero embedding for texts[${index}]`);
      vectors[index] = normalizeInPlace(vector);
    });
    return vectors as Float32Array[];
  }

  const dimensions = config.dimensions ?? (await request([PROBE_TEXT], undefined))[0]!.length;

  return {
    specVersion: 'neuromem.text-encoder/v1',
    id: `http:${model}@${new URL(config.baseURL).host}:d${dimensions}`,
    dimensions,
    deterministic: true,
    maxInputChars,
    async encode(texts) {
      if (!Array.isArray(texts)) throw fail('INVALID_INPUT', `texts must be an array of strings, got ${texts === null ? 'null' : typeof texts}.`, { details: { field: 'texts' } });
      // Check the whole batch first, so one bad text fails the call before any request is sent.
      texts.forEach((text, i) => {
        const field = `texts[${i}]`;
        validateText(text, { module: MODULE, field, maxChars: Number.POSITIVE_INFINITY });
        if (text.length > maxInputChars) {
          throw fail(
            'INVALID_INPUT',
            `${field} has ${text.length} characters, more than maxInputChars=${maxInputChars} for model "${model}"; split it into chunks first (texts are never truncated).`,
            { details: { field, length: text.length, maxInputChars } },
          );
        }
      });
      const vectors: Float32Array[] = [];
      // One batch at a time: local servers run one model instance, so parallel requests only queue.
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await request(texts.slice(start, start + batchSize), dimensions)));
      }
      return vectors;
    },
  };
}

interface ResolvedOptions {
  baseURL: string;
  model: string;
  dimensions: number | undefined;
  sendDimensions: boolean;
  batchSize: number;
  maxInputChars: number;
  http: HttpClientConfig;
}

function resolveOptions(options: HttpEncoderOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw fail('INVALID_INPUT', 'options must be an object with at least baseURL and model.');
  validateBaseURL(options.baseURL, MODULE);
  if (typeof options.model !== 'string' || options.model.trim() === '')
    throw fail('INVALID_INPUT', 'model must be a non-empty string, e.g. "text-embedding-3-small" or "nomic-embed-text".', { details: { field: 'model' } });
  const dimensions = options.dimensions === undefined ? undefined : validatePositiveInt(options.dimensions, 'dimensions', 65_536, MODULE);
  const sendDimensions = options.sendDimensions ?? false;
  if (typeof sendDimensions !== 'boolean') throw fail('INVALID_INPUT', `sendDimensions must be a boolean, got ${String(sendDimensions)}.`, { details: { field: 'sendDimensions' } });
  if (sendDimensions && dimensions === undefined) throw fail('INVALID_INPUT', 'sendDimensions: true needs dimensions, the size to ask the model for.', { details: { field: 'dimensions' } });
  return {
    baseURL: options.baseURL,
    model: options.model,
    dimensions,
    sendDimensions,
    batchSize: validatePositiveInt(options.batchSize ?? 64, 'batchSize', 2048, MODULE),
    maxInputChars: validatePositiveInt(options.maxInputChars ?? 8000 * 4, 'maxInputChars', 10_000_000, MODULE),
    http: resolveHttpClientOptions(options, { module: MODULE, timeoutMs: 30_000, timeoutHint: 'raise timeoutMs for slow models or lower batchSize' }),
  };
}
