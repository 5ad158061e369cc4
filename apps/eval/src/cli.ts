import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Presets, SingleBar } from 'cli-progress';
import { Command, CommanderError } from 'commander';
import { createErrorFactory } from '@neuromem/core';
import { createOpenAIChatModel } from 'neuromem';
import { createLlmAnswerer } from './answer/create-llm-answerer';
import { formatBenchTable, runBench } from './bench/run-bench';
import { createPhaseProgress } from './phase-progress';
import { CHAOS_CHECKS } from './chaos/chaos-checks';
import { formatChaosTable, runChaos } from './chaos/run-chaos';
import { formatScaleTable, runScale } from './scale/run-scale';
import type { ScaleReport } from './scale/scale-report';
import { parseScaleFlags, type ScaleFlags } from './scale/scale-options';
import { registerReopen } from './scale/reopen-command';
import { parseIntList, parseNameList, parsePositiveInt } from './cli-args';
import { loadLocomo } from './locomo/load-locomo';
import { embeddingVariants } from './embeddings/embedding-variants';
import { formatEmbeddingTable } from './embeddings/format-embedding-table';
import { evaluateEmbedder, type EmbeddingVariantResult } from './embeddings/run-embedding-eval';
import type { LocomoReport } from './locomo/run-locomo';
import { runLocomoWithProgress } from './locomo/run-locomo-with-progress';
import { runParaphrase } from './paraphrase/run-paraphrase';
import { registerPreloadBench } from './preload-bench/preload-bench-command';
import { registerSleepBench } from './sleep-bench/sleep-bench-command';
import { registerUpdates } from './updates/updates-command';
import { formatLocomoMarkdown, formatLocomoTable } from './report/format-locomo';
import { recallChartSvg } from './report/recall-chart-svg';
import { DEFAULT_SYSTEMS, resolveSystems } from './systems/registry';
import { parseStoreChoice } from './systems/store-choice';
import { registerScaleOut } from './scale-out/scale-out-command';
import { foldModels, selectConversations } from './cli-folds';
import { registerEmbedSpeed } from './embeddings/embed-speed-command';
import { registerColdStart } from './cold-start/cold-start-command';
import { registerFitImportance } from './importance/fit-importance-command';
import { registerFitFactPairs } from './fact-pairs/fit-fact-pairs-command';
import { registerRelevance } from './relevance/relevance-command';
import { registerFitRanker } from './ranker/fit-ranker-command';
import { registerCompression } from './compression/compression-commands';
import { registerAdapt } from './adapt/adapt-command';
import { registerTiers } from './tiers/tiers-command';
import { registerMem0Compat } from './mem0-compat/mem0-compat-command';
import { asObservationMemories } from './locomo/observation-memories';

const fail = createErrorFactory('eval');

const program = new Command().name('neuromem-eval').description('Benchmarks for NeuroMem: LoCoMo retrieval and performance.').version('0.1.0').exitOverride();

program
  .command('locomo')
  .description('evidence recall on a LoCoMo-format file for NeuroMem and baselines')
  .requiredOption('--data <file>', 'LoCoMo data file (data/locomo10.json format)')
  .option('--systems <names>', 'comma-separated systems', DEFAULT_SYSTEMS.join(','))
  .option('--k <list>', 'cut-offs for recall@k', '1,5,10,20')
  .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
  .option('--json <file>', 'write the results as JSON')
  .option('--report <file>', 'write a Markdown report (and an SVG chart beside it)')
  .option('--heads-cv <dir>', 'cross-validation: NeuroMem uses <dir>/<sample_id>/ heads, trained without that conversation')
  .option('--ranker-cv <dir>', 'cross-validation: NeuroMem variants use <dir>/<sample_id>/<variant>.json rankers, fitted without that conversation')
  .option('--semantic-cv <dir>', 'cross-validation: NeuroMem uses <dir>/<sample_id>/semantic-model.json, trained without that conversation')
  .option('--importance-cv <dir>', 'cross-validation: NeuroMem uses <dir>/<sample_id>.json importance models, fitted without that conversation')
  .option('--context', "also measure each question's context() of the top 10, uncompressed: its tokens and the evidence it states (NeuroMem systems)")
  .option('--echo-questions', "store every other question as a user turn before any is asked (a chat keeps its user's questions): measures whether they crowd out the facts")
  .option(
    '--facts',
    "store each conversation's observations (short facts distilled from the turns, as a fact-extracting app keeps) instead of its turns; an observation that cites an evidence turn is evidence",
  )
  .option('--llm <baseURL>', 'OpenAI-compatible server: also answer each question and score F1 and an LLM judge')
  .option('--model <name>', 'model name for --llm')
  .option('--store <kind>', 'the store NeuroMem runs on: sqlite, postgres (in-process PGlite with pgvector) or a postgres:// URL', 'sqlite')
  .option('--quiet', 'no progress bar')
  .action(
    async (o: {
      data: string;
      systems: string;
      k: string;
      conversations?: string;
      json?: string;
      report?: string;
      headsCv?: string;
      rankerCv?: string;
      semanticCv?: string;
      importanceCv?: string;
      echoQuestions?: boolean;
      facts?: boolean;
      context?: boolean;
      llm?: string;
      model?: string;
      store: string;
      quiet?: boolean;
    }) => {
      const ks = parseIntList(o.k, '--k', 1000);
      const systems = resolveSystems(parseNameList(o.systems, '--systems'));
      if (o.llm && !o.model) throw fail('INVALID_INPUT', '--llm needs --model <name>.');
      const selected = selectConversations(loadLocomo(o.data), o.conversations, o.data);
      if (o.facts && selected.every((conversation) => conversation.observations.length === 0))
        throw fail('INVALID_INPUT', `--facts needs observations, and ${o.data} has none (LoCoMo's data/locomo10.json does).`);
      const conversations = o.facts ? selected.map(asObservationMemories) : selected;
      const answerer = o.llm ? createLlmAnswerer({ chatModel: createOpenAIChatModel({ baseURL: o.llm, model: o.model! }) }) : undefined;
      const store = parseStoreChoice(o.store);
      const report = await runLocomoWithProgress({
        dataset: o.facts ? `${basename(o.data)} (observations as memories)` : basename(o.data),
        conversations,
        systems,
        ks,
        ...foldModels(o),
        ...(o.echoQuestions ? { echoQuestions: true } : {}),
        ...(o.context ? { context: true } : {}),
        ...(answerer ? { answerer } : {}),
        store,
        quiet: o.quiet,
      }).finally(() => store.close());
      printRecall(report, o.json);
      if (o.report) {
        const chart = `${o.report.replace(/\.md$/i, '')}.svg`;
        writeFileSync(chart, recallChartSvg(report));
        writeFileSync(o.report, formatLocomoMarkdown(report, basename(chart), provenance()));
      }
    },
  );

program
  .command('paraphrase')
  .description('evidence recall when every question is worded differently from the turn that answers it (the LoCoMo protocol on a paraphrase set)')
  .option('--data <file>', 'LoCoMo-format file (default: the shipped data/paraphrase-v1.json)')
  .option('--systems <names>', 'comma-separated systems', DEFAULT_SYSTEMS.join(','))
  .option('--k <list>', 'cut-offs for recall@k', '1,5,10')
  .option('--ranker-cv <dir>', 'rankers fitted without each conversation (`fit-ranker --extra-data <this set> --cv-out <dir>`): the shipped ranker was fitted on this set too')
  .option('--json <file>', 'write the results as JSON')
  .option('--quiet', 'no progress bar')
  .action(async (o: { data?: string; systems: string; k: string; rankerCv?: string; json?: string; quiet?: boolean }) => {
    const report = await runParaphrase({
      ...(o.data ? { data: o.data } : {}),
      systems: parseNameList(o.systems, '--systems'),
      ks: parseIntList(o.k, '--k', 1000),
      quiet: o.quiet,
      ...foldModels({ ...(o.rankerCv ? { rankerCv: o.rankerCv } : {}) }),
    });
    printRecall(report, o.json);
  });

program
  .command('embeddings')
  .description('Module 1: hierarchical consistency and recall per scale for each embedder variant')
  .requiredOption('--data <file>', 'LoCoMo data file (data/locomo10.json format)')
  .option('--heads-dir <dir>', 'trained scale heads to evaluate (default: the shipped ones)')
  .option('--heads-cv <dir>', 'cross-validation folds (<dir>/<sample_id>/): heads that never saw that conversation')
  .option('--model-dir <dir>', 'also evaluate a transformers.js model directory')
  .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
  .option('--json <file>', 'write the results as JSON')
  .action(async (o: { data: string; headsDir?: string; headsCv?: string; modelDir?: string; conversations?: string; json?: string }) => {
    const conversations = selectConversations(loadLocomo(o.data), o.conversations, o.data);
    const variants = await embeddingVariants({ ...(o.headsDir ? { headsDir: o.headsDir } : {}), ...(o.headsCv ? { headsCvDir: o.headsCv } : {}), ...(o.modelDir ? { modelDir: o.modelDir } : {}) });
    const results: Array<[string, EmbeddingVariantResult]> = [];
    for (const [name, embedderFor] of variants) {
      process.stderr.write(`evaluating ${name}...\n`);
      results.push([name, await evaluateEmbedder(conversations, embedderFor)]);
    }
    console.log(formatEmbeddingTable(basename(o.data), results));
    if (o.json) writeFileSync(o.json, `${JSON.stringify({ dataset: basename(o.data), variants: Object.fromEntries(results) }, null, 2)}\n`);
  });

registerEmbedSpeed(program);
registerColdStart(program);

program
  .command('bench')
  .description('vector store and end-to-end performance on seeded synthetic data')
  .option('--n <list>', 'memory counts', '10000,100000')
  .option('--dim <n>', 'vector dimensions', '384')
  .option('--queries <n>', 'queries per size', '1000')
  .option('--seed <n>', 'random seed', '42')
  .option('--json <file>', 'write the results as JSON')
  .option('--quiet', 'no progress output')
  .action(async (o: { n: string; dim: string; queries: string; seed: string; json?: string; quiet?: boolean }) => {
    const ns = parseIntList(o.n, '--n', 10_000_000);
    exposeGc();
    const progress = createPhaseProgress({ quiet: o.quiet });
    const report = await runBench({
      ns,
      dim: parsePositiveInt(o.dim, '--dim', 65_536),
      queries: parsePositiveInt(o.queries, '--queries', 1_000_000),
      seed: parsePositiveInt(o.seed, '--seed', 2 ** 31),
      onProgress: progress.onProgress,
    });
    progress.stop();
    console.log(formatBenchTable(report));
    if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
  });

program
  .command('scale')
  .description('createMemory() as one store grows to N memories across U users: search (random users and a probe user that never grows), adds, references, reopen, disk and memory')
  .option('--sizes <list>', 'checkpoints: total memories, increasing', '1000,10000,50000')
  .option('--users <n>', 'regular users; sessions go to them in turn', '100')
  .option('--session-turns <n>', 'turns per session, one add() per session', '20')
  .option('--probe-memories <n>', 'memories of the probe user, ingested first, never growing', '500')
  .option('--queries <n>', 'timed queries per measure and checkpoint', '200')
  .option('--adds <n>', 'timed single-turn adds per checkpoint (they count toward its size)', '100')
  .option('--long-session <turns>', 'also add this many single turns to one session in a separate store (0 = off)', '0')
  .option('--seed <n>', 'seed of every random choice', '42')
  .option('--durability <mode>', "the store's commits: full (fsync each, the default) or normal", 'full')
  .option('--dir <dir>', 'parent directory of the run (default: the OS temp dir)')
  .option('--keep', 'keep the stores and print where they are')
  .option('--json <file>', 'write the results as JSON')
  .option('--quiet', 'no progress bar')
  .action(async (o: ScaleFlags & { json?: string; quiet?: boolean }) => {
    const options = parseScaleFlags(o);
    exposeGc();
    const progress = createPhaseProgress({ quiet: o.quiet, eta: true });
    let report: ScaleReport;
    try {
      // With --json, the report so far is written after every checkpoint: a long run stopped midway keeps its numbers.
      const onCheckpoint = o.json ? (partial: ScaleReport) => writeFileSync(o.json!, `${JSON.stringify(partial, null, 2)}\n`) : undefined;
      report = await runScale({ ...options, onProgress: progress.onProgress, ...(onCheckpoint ? { onCheckpoint } : {}) });
    } finally {
      progress.stop();
    }
    console.log(formatScaleTable(report));
    if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    if (report.directory) console.error(`kept the stores in ${report.directory}`);
  });

registerFitRanker(program);
registerCompression(program);
registerFitImportance(program);
registerFitFactPairs(program);
registerUpdates(program);
registerSleepBench(program);
registerPreloadBench(program);
registerRelevance(program);
registerAdapt(program);
registerTiers(program);
registerMem0Compat(program);

program
  .command('chaos')
  .description('reliability: randomized index workload, SIGKILLs, storage faults, lock races, fuzzing and tenant isolation; exits non-zero on any failure')
  .option('--quick', 'the same checks with small counts (a few minutes)')
  .option('--only <names>', `comma-separated checks (${CHAOS_CHECKS.map(([name]) => name).join(', ')})`)
  .option('--seed <n>', 'seed of every random choice', '1')
  .option('--json <file>', 'write the results as JSON')
  .option('--quiet', 'no progress bar')
  .action(async (o: { quick?: boolean; only?: string; seed: string; json?: string; quiet?: boolean }) => {
    const names = o.only ? parseNameList(o.only, '--only') : CHAOS_CHECKS.map(([name]) => name);
    const unknown = names.filter((name) => !CHAOS_CHECKS.some(([known]) => known === name));
    if (unknown.length > 0) throw fail('INVALID_INPUT', `--only: unknown check(s) ${unknown.join(', ')}; the checks are ${CHAOS_CHECKS.map(([name]) => name).join(', ')}.`);
    const bar = o.quiet ? undefined : new SingleBar({ format: 'chaos {check} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
    let current = '';
    let barStarted = false;
    const report = await runChaos({
      checks: CHAOS_CHECKS.filter(([name]) => names.includes(name)),
      quick: o.quick === true,
      seed: parsePositiveInt(o.seed, '--seed', 2 ** 31),
      onCheck: (name) => {
        if (barStarted) bar?.stop();
        [current, barStarted] = [name, false];
      },
      onProgress: (done, total) => {
        if (bar && !barStarted) bar.start(total, done, { check: current });
        else bar?.update(done);
        barStarted = true;
      },
    });
    if (barStarted) bar?.stop();
    console.log(formatChaosTable(report));
    if (o.json) writeFileSync(o.json, `${JSON.stringify({ ...report, provenance: provenance() }, null, 2)}\n`);
    if (report.rows.some((row) => row.failures > 0)) process.exitCode = 1;
  });

/** The recall table on stdout and, with `--json`, the whole report. */
function printRecall(report: LocomoReport, json: string | undefined): void {
  console.log(formatLocomoTable(report));
  const withContext = Object.entries(report.systems).filter(([, result]) => result.context);
  if (withContext.length > 0) {
    console.log('\ncontext() of the top 10, uncompressed: mean tokens and the share of evidence turns it states in full');
    for (const [name, result] of withContext) console.log(`${name.padEnd(24)} tokens ${result.context!.tokens.toFixed(1).padStart(7)}   evidence ${result.context!.recall.toFixed(3)}`);
  }
  if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
}

/** Memory readings are only honest after a full collection; enable gc() without asking for node flags. */
function exposeGc(): void {
  if (typeof (globalThis as { gc?: unknown }).gc === 'function') return;
  setFlagsFromString('--expose-gc');
  (globalThis as { gc?: unknown }).gc = runInNewContext('gc');
}

function provenance(): string {
  let commit = 'unknown commit';
  try {
    commit = `commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()}`;
  } catch {
    // Not a git checkout: the date alone still dates the table.
  }
  return `Measured ${new Date().toISOString().slice(0, 10)} at ${commit}.`;
}

registerScaleOut(program);
registerReopen(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  const message = error instanceof Error ? error.message.replace(/^\[neuromem\](?: \[[^\]]+\])? /, '') : String(error);
  console.error(`neuromem-eval: ${message.split('\n')[0]}`);
  process.exitCode = 1;
});
