import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import type { Command } from 'commander';
import { foldModels, loadDataFiles, loadExtraData, selectConversations } from '../cli-folds';
import { loadLocomo } from '../locomo/load-locomo';
import { collectRelevanceExamples } from './collect-relevance-examples';
import { chooseGate, fitShippedRelevance, formatRelevanceReport, runRelevanceEval } from './run-relevance-eval';

const fail = createErrorFactory('eval');

/** `neuromem-eval relevance`: Module 3's calibrated relevance and "nothing relevant" gate, measured held out and fitted. */
export function registerRelevance(program: Command): void {
  program
    .command('relevance')
    .description('calibrated relevance and the "nothing relevant" gate: ECE, reliability, AUC of answerable vs unanswerable questions, held out by conversation')
    .requiredOption('--data <file>', 'LoCoMo data file (data/locomo10.json format)')
    .option('--ranker-cv <dir>', 'retrieve with rankers that never saw the conversation')
    .option('--semantic-cv <dir>', 'embed with semantic models that never saw the conversation')
    .option('--importance-cv <dir>', 'store memories with importance models that never saw the conversation')
    .option('--echo-questions', 'ask each conversation twice: as it is, and with every other question (answerable or not) stored as a user turn first')
    .option(
      '--small-stores',
      "also ask each answerable question of a small store (its evidence and 2-24 other turns: a new user's memory), with a question of the same conversation the store cannot answer",
    )
    .option('--threshold <p>', 'the threshold the abstention figures are read at', '0.5')
    .option(
      '--gate-keep <share>',
      'choose the gate as the largest that still passes this share of answerable questions (e.g. 0.95, the rule until session 59) instead of where the shares gated and passed are equal',
    )
    .option('--fit <file>', 'also write the relevance model fitted on every conversation (what ships: packages/controller/src/default-relevance.json)')
    .option(
      '--extra-data <files>',
      'also fit on these LoCoMo-format files (comma-separated; e.g. the paraphrase set), each conversation a fold of its own (as `fit-ranker --extra-data`), stored with the shipped semantic and importance models; unanswerable questions come from the same file',
    )
    .option(
      '--test-data <files>',
      "LoCoMo-format files only ever held out (comma-separated): scored by models fitted without any of their conversations, never fitted on, left out of the gate's choice and of the pooled figures, and reported alone",
    )
    .option('--conversations <ids>', 'only these sample_ids (comma-separated); unanswerable questions still come from the whole file')
    .option('--json <file>', 'write the results as JSON')
    .option('--examples <file>', "write every question with its results' features and labels as JSON (to study other scorers)")
    .option('--quiet', 'no progress lines')
    .action(
      async (o: {
        data: string;
        rankerCv?: string;
        semanticCv?: string;
        importanceCv?: string;
        echoQuestions?: boolean;
        smallStores?: boolean;
        threshold: string;
        gateKeep?: string;
        fit?: string;
        extraData?: string;
        testData?: string;
        conversations?: string;
        json?: string;
        examples?: string;
        quiet?: boolean;
      }) => {
        const threshold = Number(o.threshold);
        if (!(threshold > 0 && threshold < 1)) throw fail('INVALID_INPUT', `--threshold must be a probability strictly between 0 and 1, got ${o.threshold}.`);
        const keep = o.gateKeep === undefined ? undefined : Number(o.gateKeep);
        if (keep !== undefined && !(keep > 0 && keep < 1)) throw fail('INVALID_INPUT', `--gate-keep must be a share strictly between 0 and 1, got ${o.gateKeep}.`);
        const all = loadLocomo(o.data);
        const conversations = selectConversations(all, o.conversations, o.data);
        if (conversations.length < 2) throw fail('INVALID_INPUT', 'relevance needs at least two conversations: each is held out from the fit in turn.');
        const started = performance.now();
        const { rankerFor, semanticFor, importanceFor } = foldModels(o);
        // Read before the long collection, so that a wrong path fails at once.
        const extraSets = loadExtraData(o.extraData);
        const testSets = loadDataFiles(o.testData, '--test-data');
        const collect = async (echoQuestions: boolean) => {
          const onProgress = (line: string) => (o.quiet ? undefined : console.error(line));
          const main = await collectRelevanceExamples({
            conversations,
            sources: all,
            ...(rankerFor ? { rankerFor } : {}),
            ...(semanticFor ? { semanticFor } : {}),
            ...(importanceFor ? { importanceFor } : {}),
            echoQuestions,
            // Once: a small store's questions do not change with the chat's stored questions.
            smallStores: Boolean(o.smallStores) && !echoQuestions,
            onProgress,
          });
          // Sets like the paraphrase one were never seen by the fold semantic and importance models:
          // the shipped ones serve them. The fold rankers held each of their conversations out.
          for (const [sets, heldOutOnly] of [
            [extraSets, false],
            [testSets, true],
          ] as const) {
            for (const { file, conversations: extraConversations } of sets) {
              const extra = await collectRelevanceExamples({ conversations: extraConversations, ...(rankerFor ? { rankerFor } : {}), echoQuestions, unnamedQuestions: true, onProgress });
              main.push(...extra.map((conversation) => ({ ...conversation, dataset: basename(file), ...(heldOutOnly ? { heldOutOnly } : {}) })));
            }
          }
          return main;
        };
        // With echoes, each conversation is asked twice, with and without the stored questions, as fit-ranker fits.
        const plain = await collect(false);
        const data = o.echoQuestions ? (await collect(true)).map((echoed, i) => ({ ...echoed, questions: [...plain[i]!.questions, ...echoed.questions] })) : plain;
        if (o.examples) writeFileSync(o.examples, `${JSON.stringify(data)}\n`);
        const report = runRelevanceEval(data, { threshold });
        console.log(formatRelevanceReport(report, keep === undefined ? {} : { keep }));
        if (o.fit) {
          const gate = chooseGate(report.scorers.at(-1)!, keep);
          const model = fitShippedRelevance(
            data,
            {
              data: basename(o.data),
              rankerCv: Boolean(o.rankerCv),
              semanticCv: Boolean(o.semanticCv),
              importanceCv: Boolean(o.importanceCv),
              echoQuestions: Boolean(o.echoQuestions),
              smallStores: Boolean(o.smallStores),
              ...(extraSets.length > 0 ? { extraData: extraSets.map(({ file }) => basename(file)) } : {}),
              ...(testSets.length > 0 ? { testData: testSets.map(({ file }) => basename(file)) } : {}),
              gateRule:
                keep === undefined
                  ? 'where the shares of held-out unanswerable questions gated and of answerable ones with retrieved evidence passed are equal (small stores left out)'
                  : `largest that passes ${keep} of held-out answerable questions with retrieved evidence`,
            },
            gate,
          );
          writeFileSync(o.fit, `${JSON.stringify(model, null, 1)}\n`);
          console.log(`\nwrote ${o.fit}`);
        }
        console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        if (o.json) writeFileSync(o.json, `${JSON.stringify(report)}\n`);
      },
    );
}
