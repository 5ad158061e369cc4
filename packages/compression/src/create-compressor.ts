import {
  createErrorFactory,
  createLruCache,
  ENGLISH_STOP_WORDS,
  validatePositiveInt,
  type ChatModel,
  type CompressedContext,
  type CompressItem,
  type Compressor,
  type SpanPointer,
} from '@neuromem/core';
import { deduplicate } from './deduplicate';
import { DEFAULT_KEEP_MODEL } from './default-keep-model';
import { keepFeatures } from './keep-features';
import { keepProbability, parseKeepModel, type KeepModel } from './keep-model';
import { createTiktokenCounter, type TokenCounter } from './token-counter';
import { splitWords, type Word } from './words';

const fail = createErrorFactory('compression');

export interface CompressorOptions {
  /** How tokens are counted. Default: js-tiktoken `cl100k_base`. */
  tokenCounter?: TokenCounter;
  /** The learned keep-or-drop model. Default: the one fitted on LoCoMo's dev split, shipped with this package. */
  keepModel?: KeepModel;
  /** Optional abstractive pass: the extractive result is rewritten by this model when it fits the budget. Never required. */
  chatModel?: ChatModel;
}

const ITEM_PREFIX = '- ';
const GAP = ' … ';
/** Memories the compressor remembers for `expand`. */
const REMEMBERED = 10_000;

interface ScoredWord {
  item: number;
  index: number;
  priority: number;
  cost: number;
}

/**
 * Fits memories into a token budget. Redundant memories go first; then every word gets a keep
 * probability from the learned model (names, numbers, dates, decisions and words near the query
 * stay; greetings and fillers go), weighted by its memory's retrieval score, and the best words
 * fill the budget. So the ratio adapts per memory: a relevant, fact-dense turn keeps most of its
 * words, small talk keeps none. Every kept span points back to its memory and character range.
 */
export function createCompressor(options: CompressorOptions = {}): Compressor {
  const counter = options.tokenCounter ?? createTiktokenCounter();
  const model = options.keepModel === undefined ? DEFAULT_KEEP_MODEL : parseKeepModel(options.keepModel);
  const seen = createLruCache<string, string>({ maxCost: REMEMBERED });
  const wordCosts = createLruCache<string, number>({ maxCost: 50_000 });
  const costOf = (text: string) => {
    let cost = wordCosts.get(text);
    if (cost === undefined) wordCosts.set(text, (cost = counter.count(` ${text}`)));
    return cost;
  };

  async function compress(items: readonly CompressItem[], { query, tokenBudget }: { query: string; tokenBudget: number }): Promise<CompressedContext> {
    const budget = validatePositiveInt(tokenBudget, 'tokenBudget', 10_000_000, 'compression');
    if (typeof query !== 'string') throw fail('INVALID_INPUT', 'query must be a string (it may be empty).');
    const valid = validateItems(items);
    if (valid.length === 0) return { text: '', tokens: 0, pointers: [], dropped: [] };
    for (const item of valid) seen.set(item.memoryId, item.text);

    const ranked = [...valid].sort((a, b) => b.score - a.score);
    const { kept, dropped } = deduplicate(ranked);
    const words = kept.map((item) => splitWords(item.text));
    const whole = render(kept, words.map((list) => list.map((_, i) => i)));
    const wholeTokens = counter.count(whole.text);
    if (wholeTokens <= budget) return { ...whole, tokens: wholeTokens, dropped };

    const scored = scoreWords(kept, words, query);
    const selected = kept.map(() => new Set<number>());
    let estimate = 0;
    for (const word of scored) {
      const opensItem = selected[word.item]!.size === 0;
      const extra = word.cost + (opensItem ? 2 : 1); // the item's "- " or a possible " … " gap
      if (estimate + extra > budget) continue;
      selected[word.item]!.add(word.index);
      estimate += extra;
    }
    // The estimate is close but not exact (BPE merges across words): trim the weakest until it fits.
    let result = render(kept, selected.map((set) => [...set].sort((a, b) => a - b)));
    let tokens = counter.count(result.text);
    const byPriority = scored.filter((word) => selected[word.item]!.has(word.index)).reverse();
    while (tokens > budget && byPriority.length > 0) {
      for (let cut = Math.max(1, tokens - budget); cut > 0 && byPriority.length > 0; cut--) {
        const weakest = byPriority.shift()!;
        selected[weakest.item]!.delete(weakest.index);
      }
      result = render(kept, selected.map((set) => [...set].sort((a, b) => a - b)));
      tokens = counter.count(result.text);
    }
    const empty = selected.map((set, i) => (set.size === 0 ? kept[i]!.memoryId : null)).filter((id): id is string => id !== null);
    const smallest = Math.min(...kept.map((item) => counter.count(ITEM_PREFIX + item.text)));
    const notice =
      tokens === 0
        ? `a budget of ${budget} tokens holds no word of any memory; nothing was returned.`
        : budget < smallest
          ? `a budget of ${budget} tokens is below the smallest memory (${smallest} tokens); returned the best fragment.`
          : undefined;
    const extractive: CompressedContext = { ...result, tokens, dropped: [...dropped, ...empty], ...(notice ? { notice } : {}) };
    return options.chatModel ? abstractive(extractive, query, budget) : extractive;
  }

  function scoreWords(items: readonly CompressItem[], words: readonly Word[][], query: string): ScoredWord[] {
    const queryKeys = new Set(splitWords(query).map((word) => word.key).filter((key) => key.length > 0 && !ENGLISH_STOP_WORDS.has(key)));
    const itemFrequency = new Map<string, number>();
    for (const list of words) for (const key of new Set(list.map((word) => word.key))) itemFrequency.set(key, (itemFrequency.get(key) ?? 0) + 1);
    const best = Math.max(...items.map((item) => item.score));
    const worst = Math.min(...items.map((item) => item.score));
    const scored: ScoredWord[] = [];
    items.forEach((item, i) => {
      // Better-ranked memories keep more of their words: relevance scales every word's priority.
      const relevance = best > worst ? (item.score - worst) / (best - worst) : 1;
      const weight = (0.35 + 0.65 * relevance) / (1 + 0.1 * i);
      const context = { words: words[i]!, query: queryKeys, itemFrequency, items: items.length, rank: i };
      words[i]!.forEach((word, index) => {
        const priority = keepProbability(model, keepFeatures(index, context)) * weight;
        scored.push({ item: i, index, priority, cost: costOf(word.text) });
      });
    });
    return scored.sort((a, b) => b.priority - a.priority || a.item - b.item || a.index - b.index);
  }

  async function abstractive(extractive: CompressedContext, query: string, budget: number): Promise<CompressedContext> {
    try {
      const { content } = await options.chatModel!.chat([
        {
          role: 'system',
          content: `Rewrite the notes below in at most ${budget} tokens for answering: "${query}". Keep every name, number, date and decision; drop repetition. Output only the notes.`,
        },
        { role: 'user', content: extractive.text },
      ], { temperature: 0, maxTokens: budget });
      const tokens = counter.count(content.trim());
      if (tokens === 0 || tokens > budget) return { ...extractive, notice: `the abstractive pass returned ${tokens} tokens for a budget of ${budget}; kept the extractive result.` };
      return { ...extractive, text: content.trim(), tokens };
    } catch (error) {
      return { ...extractive, notice: `the abstractive pass failed (${(error as Error).message}); kept the extractive result.` };
    }
  }

  return {
    specVersion: 'neuromem.compressor/v1',
    compress,
    expand: (pointer: SpanPointer) => seen.get(pointer.memoryId),
  };
}

/** One line per memory with kept words: its kept runs, joined by " … ", each with a pointer. */
function render(items: readonly CompressItem[], selected: ReadonlyArray<readonly number[]>): { text: string; pointers: SpanPointer[] } {
  const lines: string[] = [];
  const pointers: SpanPointer[] = [];
  items.forEach((item, i) => {
    const indices = selected[i]!;
    if (indices.length === 0) return;
    const words = splitWords(item.text);
    const pieces: string[] = [];
    let runStart = indices[0]!;
    for (let k = 1; k <= indices.length; k++) {
      if (k < indices.length && indices[k] === indices[k - 1]! + 1) continue;
      const start = words[runStart]!.start;
      const end = words[indices[k - 1]!]!.end;
      pieces.push(item.text.slice(start, end));
      pointers.push({ memoryId: item.memoryId, start, end });
      if (k < indices.length) runStart = indices[k]!;
    }
    lines.push(ITEM_PREFIX + pieces.join(GAP));
  });
  return { text: lines.join('\n'), pointers };
}

function validateItems(items: readonly CompressItem[]): CompressItem[] {
  if (!Array.isArray(items)) throw fail('INVALID_INPUT', 'items must be an array of { memoryId, text, score }.');
  return items.filter((item, i) => {
    if (typeof item !== 'object' || item === null || typeof item.memoryId !== 'string' || typeof item.text !== 'string') {
      throw fail('INVALID_INPUT', `items[${i}] must have a string memoryId and text.`);
    }
    if (typeof item.score !== 'number' || !Number.isFinite(item.score)) throw fail('INVALID_INPUT', `items[${i}].score must be a finite number.`);
    return item.text.trim().length > 0;
  });
}

