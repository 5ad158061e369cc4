import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fitKeepModel, type KeepExample } from '@neuromem/compression';
import type { Command } from 'commander';
import { parsePositiveInt } from '../cli-args';
import { clauseEncoder, foldKeepModel, foldModels, selectConversations } from '../cli-folds';
import { loadLocomo, type LocomoConversation } from '../locomo/load-locomo';
import { keepExamples } from './keep-examples';
import { retrieveTopTurns, type RetrievedQuestion } from './retrieve-top-turns';
import { formatCompressionTable, runCompressionEval } from './run-compression-eval';

/** `neuromem-eval fit-compressor` and `compression`: Module 4's keep model, fitted and measured. */
export function registerCompression(program: Command): void {
  program
    .command('fit-compressor')
    .description("fit the compressor's keep-or-drop model on which clauses of the retrieved LoCoMo turns hold the answer, with cross-validation by conversation")
    .requiredOption('--data <file>', 'LoCoMo data file (data/locomo10.json format)')
    .option('--out <file>', 'where the model fitted on every conversation goes', 'packages/compression/src/default-keep-model.json')
    .option('--cv-out <dir>', 'also write one model per held-out conversation: <dir>/<sample_id>.json')
    .option('--heads-cv <dir>', 'retrieve with scale heads that never saw the conversation')
    .option('--ranker-cv <dir>', 'retrieve with rankers that never saw the conversation')
    .option('--semantic', 'give the keep model its semantic clause feature, with the shipped semantic encoder (off: the feature is 0, as context() runs)')
    .option('--semantic-cv <dir>', 'the same, with semantic models that never saw the conversation')
    .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
    .option('--quiet', 'no progress lines')
    .action(async (o: { data: string; out: string; cvOut?: string; headsCv?: string; rankerCv?: string; semantic?: boolean; semanticCv?: string; conversations?: string; quiet?: boolean }) => {
      const conversations = selectConversations(loadLocomo(o.data), o.conversations, o.data);
      const started = performance.now();
      const retrieved = await retrieveAll(conversations, o, o.quiet);
      const encoderFor = clauseEncoder(o);
      const examples = new Map<string, KeepExample[]>();
      for (const c of conversations) examples.set(c.sampleId, await keepExamples(retrieved.get(c.sampleId)!, await encoderFor?.(c.sampleId)));
      const all = [...examples.values()].flat();
      const note = { data: basename(o.data), conversations: conversations.map((c) => c.sampleId), supervision: 'clauses of top-10 turns, kept when they hold (part of) the gold answer' };
      writeFileSync(o.out, `${JSON.stringify(fitKeepModel(all, { note }), null, 1)}\n`);
      if (o.cvOut) {
        mkdirSync(o.cvOut, { recursive: true });
        for (const held of conversations) {
          const training = conversations.filter((c) => c !== held).flatMap((c) => examples.get(c.sampleId)!);
          writeFileSync(join(o.cvOut, `${held.sampleId}.json`), `${JSON.stringify(fitKeepModel(training, { note: { ...note, heldOut: held.sampleId } }), null, 1)}\n`);
        }
      }
      console.log(
        `fitted on ${all.length} clauses (${all.filter((e) => e.keep).length} kept); wrote ${o.out}${o.cvOut ? ` and folds in ${o.cvOut}` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    });

  program
    .command('compression')
    .description('answer retention of compressed top-10 contexts at 50 / 25 / 10 % of their tokens: NeuroMem vs truncation vs random dropping')
    .requiredOption('--data <file>', 'LoCoMo data file (data/locomo10.json format)')
    .option('--keep-model-cv <dir>', 'held out: compress each conversation with <dir>/<sample_id>.json, fitted without it')
    .option('--heads-cv <dir>', 'retrieve with scale heads that never saw the conversation')
    .option('--ranker-cv <dir>', 'retrieve with rankers that never saw the conversation')
    .option('--semantic', 'give the keep model its semantic clause feature, with the shipped semantic encoder (off: the feature is 0, as context() runs)')
    .option('--semantic-cv <dir>', 'the same, with semantic models that never saw the conversation')
    .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
    .option('--seed <n>', 'seed of the random baseline', '7')
    .option('--json <file>', 'write the results as JSON')
    .option('--quiet', 'no progress lines')
    .action(
      async (o: {
        data: string;
        keepModelCv?: string;
        headsCv?: string;
        rankerCv?: string;
        semantic?: boolean;
        semanticCv?: string;
        conversations?: string;
        seed: string;
        json?: string;
        quiet?: boolean;
      }) => {
        const conversations = selectConversations(loadLocomo(o.data), o.conversations, o.data);
        const retrieved = await retrieveAll(conversations, o, o.quiet);
        const keepModelFor = o.keepModelCv ? foldKeepModel(o.keepModelCv) : undefined;
        const semanticFor = clauseEncoder(o);
        const report = await runCompressionEval({
          dataset: basename(o.data),
          conversations,
          retrieved,
          ...(keepModelFor ? { keepModelFor } : {}),
          ...(semanticFor ? { semanticFor } : {}),
          seed: parsePositiveInt(o.seed, '--seed', 2 ** 31),
        });
        console.log(formatCompressionTable(report));
        if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
      },
    );
}

/** Top-10 turns per question for every conversation, retrieved by NeuroMem (optionally with held-out models). */
async function retrieveAll(conversations: readonly LocomoConversation[], o: { headsCv?: string; rankerCv?: string }, quiet?: boolean) {
  // Retrieval takes the fold heads and rankers only, as the compression folds were made with.
  const folds = foldModels({ ...(o.headsCv ? { headsCv: o.headsCv } : {}), ...(o.rankerCv ? { rankerCv: o.rankerCv } : {}) });
  const retrieved = new Map<string, RetrievedQuestion[]>();
  for (const conversation of conversations) {
    retrieved.set(conversation.sampleId, await retrieveTopTurns(conversation, { k: 10, ...folds }));
    if (!quiet) console.error(`${conversation.sampleId}: retrieved the top 10 turns of ${retrieved.get(conversation.sampleId)!.length} questions`);
  }
  return retrieved;
}
