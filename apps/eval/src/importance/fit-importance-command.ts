import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import type { Command } from 'commander';
import { selectConversations } from '../cli-folds';
import { loadLocomo } from '../locomo/load-locomo';
import { formatImportanceReport, runImportanceFit } from './run-importance-fit';

const fail = createErrorFactory('eval');

/** `neuromem-eval fit-importance`: Module 3's write-time importance model, fitted and compared held out. */
export function registerFitImportance(program: Command): void {
  program
    .command('fit-importance')
    .description("fit the write-time importance model (Module 3) on which turns LoCoMo's questions later cite, with cross-validation by conversation")
    .requiredOption('--data <file>', 'LoCoMo data file (data/locomo10.json format)')
    .option('--out <file>', 'where the model fitted on every conversation goes', 'packages/controller/src/default-importance.json')
    .option('--cv-out <dir>', 'also write one model per held-out conversation: <dir>/<sample_id>.json')
    .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
    .action((o: { data: string; out: string; cvOut?: string; conversations?: string }) => {
      const conversations = selectConversations(loadLocomo(o.data), o.conversations, o.data);
      if (conversations.length < 2) throw fail('INVALID_INPUT', 'fit-importance needs at least two conversations: each is held out from the fit in turn.');
      const report = runImportanceFit(conversations, { data: basename(o.data), labels: 'turns cited as evidence by any question' });
      writeFileSync(o.out, `${JSON.stringify(report.shipped, null, 1)}\n`);
      if (o.cvOut) {
        mkdirSync(o.cvOut, { recursive: true });
        for (const [id, model] of report.folds) writeFileSync(join(o.cvOut, `${id}.json`), `${JSON.stringify(model, null, 1)}\n`);
      }
      console.log(formatImportanceReport(report));
      console.log(`\nwrote ${o.out}${o.cvOut ? ` and folds in ${o.cvOut}` : ''}`);
    });
}
