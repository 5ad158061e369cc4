import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import type { Command } from 'commander';
import { parseNameList, parseNonNegativeInt, parsePositiveInt } from '../cli-args';
import { foldModels, loadExtraData, selectConversations } from '../cli-folds';
import { loadLocomo } from '../locomo/load-locomo';
import { FITTED_VARIANTS, type NeuromemVariantName } from '../systems/neuromem-variants';
import { extractRankingExamples } from './extract-ranking-examples';
import { fitRankers, repeatExamples } from './fit-rankers';
import { formatRankerReport } from './format-ranker-report';
import { rewordQuestion } from './reword-question';
import { wordCloseness } from './word-closeness';
import { loadWordNet, type WordNet } from './wordnet';

const fail = createErrorFactory('eval');

/** `neuromem-eval fit-ranker`: the ranker's weights fitted on LoCoMo-format files, with folds held out by conversation. */
export function registerFitRanker(program: Command): void {
  program
    .command('fit-ranker')
    .description("fit NeuroMem's ranking weights on a LoCoMo-format file, with cross-validation by conversation")
    .requiredOption('--data <file>', 'LoCoMo data file (data/locomo10.json format)')
    .option('--out <file>', 'where the ranker fitted on every conversation goes', 'packages/retrieval/src/default-ranker.json')
    .option('--cv-out <dir>', 'also write one ranker per held-out conversation and variant: <dir>/<sample_id>/<variant>.json')
    .option('--variants <names>', 'NeuroMem variants to fit (ablations refit without their part)', FITTED_VARIANTS.join(','))
    .option('--heads-cv <dir>', 'compute factors with scale heads that never saw the conversation (as `locomo --heads-cv`)')
    .option('--semantic-cv <dir>', 'compute factors with semantic models that never saw the conversation (as `locomo --semantic-cv`)')
    .option('--importance-cv <dir>', 'store memories with importance models that never saw the conversation (as `locomo --importance-cv`)')
    .option('--echo-questions', "fit on each conversation twice: as it is, and with every other question stored as a user turn first (a chat keeps its user's questions)")
    .option(
      '--extra-data <files>',
      'also fit on these LoCoMo-format files (comma-separated; e.g. the paraphrase set), each conversation a fold of its own, stored with the shipped semantic and importance models',
    )
    .option('--extra-conversations <ids>', 'only these sample_ids of the --extra-data files (comma-separated; the rest stay held out)')
    .option('--extra-weight <n>', 'count each --extra-data question this many times in the fits (its held-out recall is unchanged)', '1')
    .option('--hidden <units>', 'tanh units beside the linear part (0: a linear ranker)', '16')
    .option('--threads <n>', 'fits at once, each on a worker thread (default: one per core)')
    .option('--self-queries <n>', "also ask every n-th turn's own text and a few of its words, labelled with that turn (0: none)", '0')
    .option(
      '--reword <wordnet-dir>',
      "also ask each LoCoMo question with the words it shares with its evidence replaced by WordNet's closest synonym or broader word (WordNet 3.0's files, e.g. /usr/share/wordnet)",
    )
    .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
    .option('--json <file>', 'write weights and held-out recall as JSON')
    .option('--quiet', 'no progress lines')
    .action(
      async (o: {
        data: string;
        out: string;
        cvOut?: string;
        variants: string;
        headsCv?: string;
        semanticCv?: string;
        importanceCv?: string;
        echoQuestions?: boolean;
        extraData?: string;
        extraConversations?: string;
        extraWeight: string;
        hidden: string;
        threads?: string;
        selfQueries: string;
        reword?: string;
        conversations?: string;
        json?: string;
        quiet?: boolean;
      }) => {
        const variants = parseNameList(o.variants, '--variants') as NeuromemVariantName[];
        const hidden = parseNonNegativeInt(o.hidden, '--hidden', 256);
        const selfQueries = parseNonNegativeInt(o.selfQueries, '--self-queries', 1_000_000);
        const extraWeight = parsePositiveInt(o.extraWeight, '--extra-weight', 100);
        const unknown = variants.filter((name) => !FITTED_VARIANTS.includes(name));
        if (unknown.length > 0) throw fail('INVALID_INPUT', `--variants: ${unknown.join(', ')} cannot be fitted; choose from ${FITTED_VARIANTS.join(', ')}.`);
        const conversations = selectConversations(loadLocomo(o.data), o.conversations, o.data);
        // Read before the long extraction, so that a wrong path fails at once.
        const extraSets = loadExtraData(o.extraData, o.extraConversations);
        const reword = o.reword ? rewordingWith(loadWordNet(o.reword)) : undefined;
        const started = performance.now();
        const extract = (echoQuestions: boolean) =>
          extractRankingExamples({
            conversations,
            variants,
            ...foldModels(o),
            echoQuestions,
            // Asked once, in the store without echoes.
            selfQueries: echoQuestions ? 0 : selfQueries,
            ...(reword && !echoQuestions ? { reword } : {}),
            onProgress: (line) => (o.quiet ? undefined : console.error(line)),
          });
        // With echoes, each conversation's questions are asked twice, with and without the stored
        // questions: the ranker learns to pass over an echo without losing the plain case.
        const examples = o.echoQuestions ? mergeExamples(await extract(false), await extract(true)) : await extract(false);
        // Sets like the paraphrase one were never seen by the fold models: the shipped ones serve them.
        for (const { file, conversations: extraConversations } of extraSets) {
          const extra = await extractRankingExamples({ conversations: extraConversations, variants, onProgress: (line) => (o.quiet ? undefined : console.error(line)) });
          for (const [variant, conversations] of extra)
            examples.get(variant)!.push(...conversations.map((conversation) => ({ ...repeatExamples(conversation, extraWeight), dataset: basename(file) })));
        }
        const result = await fitRankers(examples, {
          ...(o.cvOut ? { cvDirectory: o.cvOut } : {}),
          hidden,
          ...(o.threads ? { threads: parsePositiveInt(o.threads, '--threads', 64) } : {}),
          onProgress: (line) => (o.quiet ? undefined : console.error(line)),
          note: {
            data: basename(o.data),
            ...(extraSets.length > 0 ? { extraData: extraSets.map(({ file }) => basename(file)) } : {}),
            ...(o.extraConversations ? { extraConversations: extraSets.flatMap(({ conversations }) => conversations.map((c) => c.sampleId)) } : {}),
            headsCv: Boolean(o.headsCv),
            semanticCv: Boolean(o.semanticCv),
            importanceCv: Boolean(o.importanceCv),
            echoQuestions: Boolean(o.echoQuestions),
            ...(selfQueries > 0 ? { selfQueries } : {}),
            ...(reword ? { reworded: 'WordNet 3.0' } : {}),
            ...(extraWeight > 1 ? { extraWeight } : {}),
          },
        });
        const shipped = result.models.get(variants.includes('neuromem') ? 'neuromem' : variants[0]!)!;
        writeFileSync(o.out, `${JSON.stringify(shipped, null, 1)}\n`);
        console.log(formatRankerReport(result));
        console.log(`\nwrote ${o.out}${o.cvOut ? ` and folds in ${o.cvOut}` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        if (o.json) writeFileSync(o.json, `${JSON.stringify({ models: Object.fromEntries(result.models), heldOut: result.heldOut }, null, 2)}\n`);
      },
    );
}

/** Two extractions of the same conversations and variants, each conversation's examples joined. */
function mergeExamples(a: Awaited<ReturnType<typeof extractRankingExamples>>, b: Awaited<ReturnType<typeof extractRankingExamples>>) {
  return new Map(
    [...a].map(([variant, conversations]) => [variant, conversations.map((conversation, i) => ({ ...conversation, examples: [...conversation.examples, ...b.get(variant)![i]!.examples] }))]),
  );
}

/** Questions reworded with WordNet's alternatives, the closest by the default lexicon's word vectors. */
function rewordingWith(wordnet: WordNet): (question: string, evidence: readonly string[]) => string | undefined {
  const closeness = wordCloseness();
  return (question, evidence) => rewordQuestion(question, evidence, wordnet, closeness);
}
