import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fitRanker, scoreWithRanker, type FitRankerOptions, type RankerModel, type RankingExample } from 'neuromem';
import { FEATURES, type Feature } from 'neuromem';
import { NEUROMEM_VARIANTS, type NeuromemVariantName } from '../systems/neuromem-variants';
import type { ConversationExamples } from './extract-ranking-examples';

export interface FoldResult {
  variant: NeuromemVariantName;
  /** The file the held-out conversations come from (LoCoMo, or an `--extra-data` set). */
  dataset: string;
  /** Held-out evidence recall@k over categories 1-4 (ranking the extracted candidates). */
  recall: Record<number, number>;
}

export interface FitResult {
  /** Fitted on every conversation: what ships. */
  models: Map<NeuromemVariantName, RankerModel>;
  /** Per variant: recall of the held-out conversation's ranking, pooled over folds. */
  heldOut: FoldResult[];
}

const KS = [1, 5, 10, 20];

/**
 * Fits each variant's ranker on all conversations (the shipped model) and, for cross-validation,
 * once per conversation without it; the fold models go to `<cvDirectory>/<conversation>/<variant>.json`.
 * The fits run on one worker thread per core when the built worker is at hand (a hidden layer
 * makes each take minutes), else one after another in this thread; either way the models are the same.
 */
export async function fitRankers(
  byVariant: ReadonlyMap<NeuromemVariantName, ConversationExamples[]>,
  options: { cvDirectory?: string; note?: Record<string, unknown>; hidden?: number; onProgress?: (message: string) => void; threads?: number },
): Promise<FitResult> {
  const models = new Map<NeuromemVariantName, RankerModel>();
  const heldOut: FoldResult[] = [];
  for (const [variant, conversations] of byVariant) {
    const features = featuresOf(variant);
    const shape = { features, ...(options.hidden ? { hidden: options.hidden } : {}) };
    const jobs: FitJob[] = [
      { leaveOut: -1, options: { ...shape, note: { conversations: conversations.map((c) => c.conversationId), ...options.note } } },
      ...conversations.map((fold, i) => ({ leaveOut: i, options: { ...shape, note: { heldOut: fold.conversationId, ...options.note } } })),
    ].filter((job) => conversations.some((_, i) => i !== job.leaveOut));
    const fitted = await runFits(
      conversations.map((c) => c.examples),
      jobs,
      options.threads ?? availableParallelism(),
      (job) => options.onProgress?.(`${variant}: fitted ${job.leaveOut < 0 ? 'on every conversation' : `without ${conversations[job.leaveOut]!.conversationId}`}`),
    );
    const hits = new Map<string, { hits: number[]; questions: number }>();
    jobs.forEach((job, j) => {
      const model = fitted[j]!;
      if (job.leaveOut < 0) return void models.set(variant, model);
      const fold = conversations[job.leaveOut]!;
      const dataset = fold.dataset ?? 'locomo';
      const tallyOf = (name: string) => {
        const tally = hits.get(name) ?? { hits: KS.map(() => 0), questions: 0 };
        hits.set(name, tally);
        return tally;
      };
      if (options.cvDirectory) {
        mkdirSync(join(options.cvDirectory, fold.conversationId), { recursive: true });
        writeFileSync(join(options.cvDirectory, fold.conversationId, `${variant}.json`), `${JSON.stringify(model, null, 1)}\n`);
      }
      // Self-supervised examples (category 0) teach; only questions are scored, reworded ones apart.
      for (const example of fold.examples.filter((e) => e.category !== 0)) {
        const tally = tallyOf(example.reworded ? `${dataset}, reworded` : dataset);
        const order = example.candidates.map((candidate, i) => ({ id: example.ids[i]!, score: scoreWithRanker(model, candidate).logit })).sort((a, b) => b.score - a.score);
        KS.forEach((k, j) => {
          const top = new Set(order.slice(0, k).map((entry) => entry.id));
          tally.hits[j]! += example.evidence.filter((id) => top.has(id)).length / example.evidence.length;
        });
        tally.questions++;
      }
    });
    for (const [dataset, tally] of hits) if (tally.questions > 0) heldOut.push({ variant, dataset, recall: Object.fromEntries(KS.map((k, j) => [k, tally.hits[j]! / tally.questions])) });
  }
  return { models, heldOut };
}

/**
 * The conversation with each question counted `times` times: the listwise loss sums over questions,
 * so a set this small (the paraphrase one) weighs `times` as much in a fit. Held-out recall, a mean
 * over questions, is unchanged.
 */
export function repeatExamples(conversation: ConversationExamples, times: number): ConversationExamples {
  return times === 1 ? conversation : { ...conversation, examples: conversation.examples.flatMap((example) => Array.from({ length: times }, () => example)) };
}

/** One fit: every conversation but `leaveOut` (-1: all of them). */
interface FitJob {
  leaveOut: number;
  options: FitRankerOptions;
}

/** The built worker beside the CLI bundle (`dist/fit-ranker-worker.js`); absent when running from source. */
const WORKER = new URL('./fit-ranker-worker.js', import.meta.url);

async function runFits(conversations: RankingExample[][], jobs: readonly FitJob[], threads: number, onDone: (job: FitJob) => void): Promise<RankerModel[]> {
  const fit = (job: FitJob) => fitRanker(conversations.filter((_, i) => i !== job.leaveOut).flat(), job.options);
  if (threads <= 1 || jobs.length <= 1 || !existsSync(fileURLToPath(WORKER))) {
    return jobs.map((job) => {
      const model = fit(job);
      onDone(job);
      return model;
    });
  }
  const results: RankerModel[] = new Array(jobs.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(threads, jobs.length) }, () => new Worker(WORKER));
  try {
    await Promise.all(
      workers.map(async (worker) => {
        worker.postMessage({ examples: conversations });
        while (next < jobs.length) {
          const id = next++;
          results[id] = await new Promise<RankerModel>((resolve, reject) => {
            const fail = (error: unknown) => reject(error instanceof Error ? error : new Error(`fit-ranker worker exited (${String(error)})`));
            worker.once('error', fail);
            worker.once('exit', fail);
            worker.once('message', (message: { id: number; model: RankerModel }) => {
              worker.off('error', fail);
              worker.off('exit', fail);
              resolve(message.model);
            });
            worker.postMessage({ id, leaveOut: jobs[id]!.leaveOut, options: jobs[id]!.options });
          });
          onDone(jobs[id]!);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

/** A variant's ranker reads every factor its retrieval computes. */
export function featuresOf(variant: NeuromemVariantName): Feature[] {
  const excluded = new Set<Feature>(NEUROMEM_VARIANTS[variant].exclude);
  return FEATURES.filter((name) => !excluded.has(name));
}
