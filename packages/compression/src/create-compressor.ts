import { clauseSimilarities, type ClauseSimilarity } from './clause-similarity';
import {
  createErrorFactory,
  createLruCache,
  validatePositiveInt,
  type ChatModel,
  type CompressedContext,
  type CompressItem,
  type Compressor,
  type SpanPointer,
  type TextEncoder,
} from '@neuromem/core';
import { clauseCandidates } from './clause-candidates';
import { cutLast, emptySelection, extendWithPrefix, selectClauses, type RankedClause, type Selection } from './clause-selection';
import { deduplicate } from './deduplicate';
import { DEFAULT_KEEP_MODEL } from './default-keep-model';
import { keepProbability, parseKeepModel, type KeepModel } from './keep-model';
import { createTiktokenCounter, wordTokens, type TokenCounter } from './token-counter';
import { splitWords, type Word } from './words';

const fail = createErrorFactory('compression');

export interface CompressorOptions {
  /** How tokens are counted. Default: js-tiktoken `cl100k_base`. */
  tokenCounter?: TokenCounter;
  /** The learned keep-or-drop model. Default: the one fitted on LoCoMo's dev split, shipped with this package. */
  keepModel?: KeepModel;
  /** Optional abstractive pass: the extractive result is rewritten by this model when it fits the budget. Never required. */
  chatModel?: ChatModel;
  /**
   * A sentence encoder for each clause's closeness in meaning to the question (the keep model's
   * `semantic` feature; 0 without one). Pass it with a keep model fitted with it
   * (`neuromem-eval fit-compressor --semantic`). The shipped model gives the feature no weight:
   * measured held out, it lifted retention at 10 % of the tokens (0.680 → 0.738) but not at 25 %
   * (0.898 → 0.889), and made a compression ~7 ms slower.
   */
  semantic?: TextEncoder;
}

const ITEM_PREFIX = '- ';
const GAP = ' … ';
/** Memories the compressor remembers for `expand`. */
const REMEMBERED = 10_000;
/** Tokens a clause costs beyond its words when it is ranked: about a new line or a " … " gap. */
const CLAUSE_OVERHEAD = 4;

/**
 * Fits memories into a token budget. Redundant memories go first; then every clause gets a keep
 * probability from the learned model (from its words' content types, the query's words and the kind
 * of answer the question asks for, its place and its memory's rank), and whole clauses claim the
 * budget by probability per token. So the ratio adapts per memory: a relevant, fact-dense turn keeps
 * most of its clauses, small talk keeps none, and a clause that answers the question can be kept
 * from the tenth memory while greetings of the first are dropped. Every kept span points back to
 * its memory and character range.
 */
export function createCompressor(options: CompressorOptions = {}): Compressor {
  const counter = options.tokenCounter ?? createTiktokenCounter();
  const model = options.keepModel === undefined ? DEFAULT_KEEP_MODEL : parseKeepModel(options.keepModel);
  const seen = createLruCache<string, string>({ maxCost: REMEMBERED });
  const wordCosts = createLruCache<string, number>({ maxCost: 50_000 });
  const costOf = (text: string) => {
    let cost = wordCosts.get(text);
    if (cost === undefined) wordCosts.set(text, (cost = wordTokens(counter, text)));
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
    const whole = render(
      kept,
      words,
      words.map((list) => list.map((_, i) => i)),
    );
    const wholeTokens = counter.count(whole.text);
    if (wholeTokens <= budget) return { ...whole, tokens: wholeTokens, dropped };

    const order = rankClauses(kept, words, query, options.semantic ? await clauseSimilarities(options.semantic, query, words) : undefined);
    // A line is a new line and "-" (2 cl100k tokens) before its label.
    const selection = emptySelection(kept.map((item) => 2 + (item.label ? counter.count(labelOf(item).trimEnd()) : 0)));
    selectClauses(order, budget, selection);
    const { result, tokens } = fitExactly(kept, words, order, selection, budget);
    const empty = selection.kept.map((set, i) => (set.size === 0 ? kept[i]!.memoryId : null)).filter((id): id is string => id !== null);
    const notice = tokens === 0 ? `a budget of ${budget} tokens holds no word of any memory; nothing was returned.` : fragmentNotice(kept, budget, wholeTokens);
    // Labels are context, the words are the memory: when a label alone overflows, the words go without it.
    if (tokens === 0 && kept.some((item) => item.label))
      return compress(
        valid.map(({ label: _label, ...item }) => item),
        { query, tokenBudget: budget },
      );
    const extractive: CompressedContext = { ...result, tokens, dropped: [...dropped, ...empty], ...(notice ? { notice } : {}) };
    return options.chatModel ? abstractive(extractive, query, budget) : extractive;
  }

  /**
   * Says so when the budget is below even the smallest memory. The smallest is never above the
   * average line (a token per line spared for BPE merges across lines), so the memories are only
   * re-tokenized when the budget is below that: not on every call.
   */
  function fragmentNotice(items: readonly CompressItem[], budget: number, wholeTokens: number): string | undefined {
    if (budget * items.length >= wholeTokens + items.length) return undefined;
    const smallest = Math.min(...items.map((item) => counter.count(ITEM_PREFIX + labelOf(item) + item.text)));
    return budget < smallest ? `a budget of ${budget} tokens is below the smallest memory (${smallest} tokens); returned the best fragment.` : undefined;
  }

  /** Every clause of every memory, by its keep probability per token, densest first. */
  function rankClauses(items: readonly CompressItem[], words: readonly Word[][], query: string, semantic: ClauseSimilarity | undefined): RankedClause[] {
    return clauseCandidates(
      words,
      query,
      items.map((item) => item.score),
      costOf,
      semantic,
    )
      .map(({ features, ...clause }) => {
        const probability = keepProbability(model, features);
        return { ...clause, probability, density: probability / (clause.cost + CLAUSE_OVERHEAD) };
      })
      .sort((x, y) => y.density - x.density || x.item - y.item || x.from - y.from);
  }

  /**
   * The selection was made on estimated tokens, which are close but not exact (BPE merges across
   * words, gaps that never open): cut the last-added words until the real count fits, then spend
   * what is left on the first words of the next clauses, in the same order, of memories already shown.
   */
  function fitExactly(items: readonly CompressItem[], words: readonly Word[][], order: readonly RankedClause[], selection: Selection, budget: number) {
    const renderSelection = () =>
      render(
        items,
        words,
        selection.kept.map((set) => [...set].sort((x, y) => x - y)),
      );
    let result = renderSelection();
    let tokens = counter.count(result.text);
    const trim = () => {
      while (tokens > budget && selection.added.length > 0) {
        cutLast(selection, Math.max(1, Math.ceil((tokens - budget) / 2)));
        result = renderSelection();
        tokens = counter.count(result.text);
      }
    };
    trim();
    for (const clause of order) {
      if (budget - tokens < 2) break;
      // A fragment of a memory not yet shown costs a new line and rarely says anything: only when nothing fits whole is it the best there is.
      if (selection.added.length > 0 && selection.kept[clause.item]!.size === 0) continue;
      if (extendWithPrefix(clause, budget - tokens, selection, (index) => costOf(words[clause.item]![index]!.text)) === 0) continue;
      result = renderSelection();
      tokens = counter.count(result.text);
      trim();
    }
    return { result, tokens };
  }

  async function abstractive(extractive: CompressedContext, query: string, budget: number): Promise<CompressedContext> {
    try {
      const { content } = await options.chatModel!.chat(
        [
          {
            role: 'system',
            content: `Rewrite the notes below in at most ${budget} tokens for answering: "${query}". Keep every name, number, date and decision; drop repetition. Output only the notes.`,
          },
          { role: 'user', content: extractive.text },
        ],
        { temperature: 0, maxTokens: budget },
      );
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
