import { createRequire } from 'node:module';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

/** Counts tokens the way the target LLM does; budgets are in these tokens. */
export interface TokenCounter {
  readonly id: string;
  count(text: string): number;
}

export type TiktokenEncodingName = 'cl100k_base' | 'o200k_base';
const encodings = new Map<TiktokenEncodingName, Tiktoken>();

/**
 * An encoding, its ranks read on first use from their own file and shared by the process.
 * js-tiktoken's main entry holds every encoding it knows, 5.6 MB of source that every `import` of
 * this package parsed (a third of a fresh process's import of NeuroMem); cl100k's own file is 1.1 MB,
 * and only a count reads it.
 */
export function tiktokenEncoding(name: TiktokenEncodingName): Tiktoken {
  let encoding = encodings.get(name);
  if (!encoding) encodings.set(name, (encoding = new Tiktoken(createRequire(import.meta.url)(`js-tiktoken/ranks/${name}`) as TiktokenBPE)));
  return encoding;
}

/**
 * A real BPE tokenizer (js-tiktoken, pure JS, offline). `cl100k_base` (GPT-4, GPT-3.5) by default;
 * `o200k_base` for GPT-4o. Loading an encoding takes ~100 ms once per process.
 */
export function createTiktokenCounter(encoding: TiktokenEncodingName = 'cl100k_base'): TokenCounter {
  return {
    id: `tiktoken:${encoding}`,
    count: (text) => (text.length === 0 ? 0 : tiktokenEncoding(encoding).encode(text).length),
  };
}

/** A word's tokens where the compressor puts it: after a space, inside a line. Clause costs and the keep model's `tokens` feature both count this way. */
export function wordTokens(counter: TokenCounter, word: string): number {
  return counter.count(` ${word}`);
}
