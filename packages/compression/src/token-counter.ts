import { getEncoding, type Tiktoken } from 'js-tiktoken';

/** Counts tokens the way the target LLM does; budgets are in these tokens. */
export interface TokenCounter {
  readonly id: string;
  count(text: string): number;
}

const encodings = new Map<string, Tiktoken>();

/**
 * A real BPE tokenizer (js-tiktoken, pure JS, offline). `cl100k_base` (GPT-4, GPT-3.5) by default;
 * `o200k_base` for GPT-4o. Loading an encoding takes ~100 ms once per process.
 */
export function createTiktokenCounter(encoding: 'cl100k_base' | 'o200k_base' = 'cl100k_base'): TokenCounter {
  return {
    id: `tiktoken:${encoding}`,
    count(text) {
      let tokenizer = encodings.get(encoding);
      if (!tokenizer) encodings.set(encoding, (tokenizer = getEncoding(encoding)));
      return text.length === 0 ? 0 : tokenizer.encode(text).length;
    },
  };
}

/** A word's tokens where the compressor puts it: after a space, inside a line. Clause costs and the keep model's `tokens` feature both count this way. */
export function wordTokens(counter: TokenCounter, word: string): number {
  return counter.count(` ${word}`);
}
