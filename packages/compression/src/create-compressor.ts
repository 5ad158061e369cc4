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
/** Words the model gives less than this chance of mattering are pruned from every kept memory. */
const PRUNE_BELOW = 0.3;
const GAP = ' … ';
/** Memories the compressor remembers for `expand`. */
const REMEMBERED = 10_000;

interface ScoredWord {
  item: number;
  index: number;
  priority: number;
  /** The keep probability alone, before the memory's weight. */
  keep: number;
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
    const whole = render(kept, words, words.map((list) => list.map((_, i) => i)));
    const wholeTokens = counter.count(whole.text);
    if (wholeTokens <= budget) return { ...whole, tokens: wholeTokens, dropped };

    const scored = scoreWords(kept, words, query);
    const selected = kept.map(() => new Set<number>());
    const renderSelected = () => render(kept, words, selected.map((set) => [...set].sort((a, b) => a - b)));
    // Memories in rank order, clause by clause, skipping the clauses the model finds empty (greetings,
    // fillers, small talk): the best memories keep their facts whole, in their own words, and the
    // tokens saved reach further down the list. So the ratio adapts per memory, by what it says.
    const keepOf = kept.map((_, i) => new Float64Array(words[i]!.length));
    for (const word of scored) keepOf[word.item]![word.index] = word.keep;
    const units = clausesOf(words).map((unit) => {
      let sum = 0;
      for (let index = unit.from; index < unit.to; index++) sum += keepOf[unit.item]![index]!;
      let cost = 0;
      for (let index = unit.from; index < unit.to; index++) cost += costOf(words[unit.item]![index]!.text);
      return { ...unit, value: sum / (unit.to - unit.from), cost };
    });
    // A memory's first kept words also pay for its line: the bullet and its label.
    const lineCost = kept.map((item) => 1 + (item.label ? counter.count(` ${labelOf(item)}`) : 0));
    let estimate = 0;
    for (const unit of units) {
      if (unit.value < PRUNE_BELOW) continue;
      const cost = unit.cost + (selected[unit.item]!.size === 0 ? lineCost[unit.item]! : 2);
      if (estimate + cost > budget) continue;
      for (let index = unit.from; index < unit.to; index++) selected[unit.item]!.add(index);
      estimate += cost;
    }
    const readingOrder = [...scored].sort((a, b) => a.item - b.item || a.index - b.index);
    // What clauses leave is filled in reading order, memory by memory (a clause cut short still
    // carries its first words, as truncation would keep them).
    for (const word of readingOrder) {
      if (selected[word.item]!.has(word.index) || word.keep < PRUNE_BELOW) continue;
      const extra = word.cost + (selected[word.item]!.size === 0 ? lineCost[word.item]! : 1);
      if (estimate + extra > budget) continue;
      selected[word.item]!.add(word.index);
      estimate += extra;
    }
    // The estimate is close but not exact (BPE merges across words): trim the weakest until it fits.
    let result = renderSelected();
    let tokens = counter.count(result.text);
    const byPriority = scored.filter((word) => selected[word.item]!.has(word.index)).reverse();
    while (tokens > budget && byPriority.length > 0) {
      for (let cut = Math.max(1, tokens - budget); cut > 0 && byPriority.length > 0; cut--) {
        const weakest = byPriority.shift()!;
        selected[weakest.item]!.delete(weakest.index);
      }
      result = renderSelected();
      tokens = counter.count(result.text);
    }
    // The estimate overcharges (gaps that never open, merges across words): spend what is left.
    for (let round = 0; round < 4 && tokens < budget; round++) {
      const snapshot = selected.map((set) => new Set(set));
      let slack = budget - tokens;
      const before = tokens;
      for (const word of readingOrder) {
        const extra = word.cost + (selected[word.item]!.size === 0 ? lineCost[word.item]! : 1);
        if (selected[word.item]!.has(word.index) || extra > slack) continue;
        selected[word.item]!.add(word.index);
        slack -= extra;
      }
      const filled = renderSelected();
      const filledTokens = counter.count(filled.text);
      if (filledTokens > budget || filledTokens === before) {
        snapshot.forEach((set, i) => (selected[i] = set));
        break;
      }
      result = filled;
      tokens = filledTokens;
    }
    const empty = selected.map((set, i) => (set.size === 0 ? kept[i]!.memoryId : null)).filter((id): id is string => id !== null);
    const smallest = Math.min(...kept.map((item) => counter.count(ITEM_PREFIX + labelOf(item) + item.text)));
    const notice =
      tokens === 0
        ? `a budget of ${budget} tokens holds no word of any memory; nothing was returned.`
        : budget < smallest
          ? `a budget of ${budget} tokens is below the smallest memory (${smallest} tokens); returned the best fragment.`
          : undefined;
    // Labels are context, the words are the memory: when a label alone overflows, the words go without it.
    if (tokens === 0 && kept.some((item) => item.label)) return compress(valid.map(({ label: _label, ...item }) => item), { query, tokenBudget: budget });
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
      const weight = (0.2 + 0.8 * relevance) / (1 + i) ** 2;
      const context = { words: words[i]!, query: queryKeys, itemFrequency, items: items.length, rank: i };
      words[i]!.forEach((word, index) => {
        const keep = keepProbability(model, keepFeatures(index, context));
        scored.push({ item: i, index, priority: keep * weight, keep, cost: costOf(word.text) });
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
    countTokens: (text: string) => counter.count(text),
    expand: (pointer: SpanPointer) => seen.get(pointer.memoryId),
  };
}

/** Clauses of each memory as word ranges: split after sentence ends, commas, semicolons and colons. */
function clausesOf(words: ReadonlyArray<readonly Word[]>): Array<{ item: number; from: number; to: number }> {
  const clauses: Array<{ item: number; from: number; to: number }> = [];
  words.forEach((list, item) => {
    let from = 0;
    list.forEach((word, index) => {
      if (index === list.length - 1 || /[.!?;:,]["')\]]*$/.test(word.text)) {
        clauses.push({ item, from, to: index + 1 });
        from = index + 1;
      }
    });
  });
  return clauses;
}

/** One line per memory with kept words: its kept runs, joined by " … ", each with a pointer. */
function render(items: readonly CompressItem[], itemWords: ReadonlyArray<readonly Word[]>, selected: ReadonlyArray<readonly number[]>): { text: string; pointers: SpanPointer[] } {
  const lines: string[] = [];
  const pointers: SpanPointer[] = [];
  items.forEach((item, i) => {
    const indices = selected[i]!;
    if (indices.length === 0) return;
    const words = itemWords[i]!;
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
    lines.push(ITEM_PREFIX + labelOf(item) + pieces.join(GAP));
  });
  return { text: lines.join('\n'), pointers };
}

/** `[label] ` before a memory's words, or nothing. */
function labelOf(item: CompressItem): string {
  return item.label ? `[${item.label}] ` : '';
}

function validateItems(items: readonly CompressItem[]): CompressItem[] {
  if (!Array.isArray(items)) throw fail('INVALID_INPUT', 'items must be an array of { memoryId, text, score }.');
  return items.filter((item, i) => {
    if (typeof item !== 'object' || item === null || typeof item.memoryId !== 'string' || typeof item.text !== 'string') {
      throw fail('INVALID_INPUT', `items[${i}] must have a string memoryId and text.`);
    }
    if (typeof item.score !== 'number' || !Number.isFinite(item.score)) throw fail('INVALID_INPUT', `items[${i}].score must be a finite number.`);
    if (item.label !== undefined && (typeof item.label !== 'string' || /[\r\n]/.test(item.label))) throw fail('INVALID_INPUT', `items[${i}].label must be a one-line string.`);
    return item.text.trim().length > 0;
  });
}

