import { createRequire } from 'node:module';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

let encoding: Tiktoken | undefined;

/**
 * The cl100k_base tokenizer, its ranks read on first use from their own file: js-tiktoken's main
 * entry holds every encoding (5.6 MB of source every `neuromem-eval` command would parse at start).
 */
export function cl100k(): Tiktoken {
  encoding ??= new Tiktoken(createRequire(import.meta.url)('js-tiktoken/ranks/cl100k_base') as TiktokenBPE);
  return encoding;
}
