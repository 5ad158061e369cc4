import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseNameList } from '../cli-args';
import { UPDATES_DATA } from '../updates/updates-command';
import { fitFactPairsOn, NEGATIVE_WEIGHT } from './fit-fact-pairs';

/** The conversations of `data/updates-v1.json` the shipped model is fitted on; the rest are held out. */
export const FACT_PAIR_TRAIN = ['updates-01', 'updates-02', 'updates-03', 'updates-04', 'updates-05'];

/** `neuromem-eval fit-fact-pairs`: Module 3's "same fact" model, fitted and compared with baselines held out. */
export function registerFitFactPairs(program: Command): void {
  program
    .command('fit-fact-pairs')
    .description('fit the model that tells when two memories are about the same fact (Module 3), on pairs retrieved together, and compare it held out')
    .option('--data <file>', 'knowledge-update set (default: the shipped data/updates-v1.json)')
    .option('--train <ids>', 'conversations to fit on (the rest are held out)', FACT_PAIR_TRAIN.join(','))
    .option('--out <file>', 'where the model goes', 'packages/controller/src/default-fact-pairs.json')
    .option('--negatives <file>', 'LoCoMo-format conversations whose co-retrieved pairs are added as different facts (e.g. the LoCoMo dev split)')
    .option('--negative-weight <w>', `what each of those pairs counts for (default ${NEGATIVE_WEIGHT})`, Number)
    .option('--changes-out <file>', 'also write the change model (did the value change, or was it said again?) there, e.g. packages/controller/src/default-fact-changes.json')
    .option('--json <file>', 'write the held-out comparison as JSON')
    .action(async (o: { data?: string; train: string; out: string; negatives?: string; negativeWeight?: number; changesOut?: string; json?: string }) => {
      const report = await fitFactPairsOn(o.data ?? UPDATES_DATA, parseNameList(o.train, '--train'), {
        ...(o.negatives ? { negatives: o.negatives } : {}),
        ...(o.negativeWeight !== undefined ? { negativeWeight: o.negativeWeight } : {}),
      });
      writeFileSync(o.out, `${JSON.stringify(report.model, null, 1)}\n`);
      console.log(`fitted on ${report.train.join(', ')} (${String(report.model.fittedOn?.pairs)} pairs); held out: ${report.test.join(', ')}`);
      console.log('| judge | AUC | precision @0.5 | recall @0.5 |\n|---|---|---|---|');
      for (const row of report.evaluation) console.log(`| ${row.judge} | ${row.auc.toFixed(3)} | ${row.precision.toFixed(3)} | ${row.recall.toFixed(3)} |`);
      if (report.negativeLinks) {
        const { heldOut, withoutNegatives, pairs } = report.negativeLinks;
        console.log(
          `\nnegative pairs a sleep would link (P >= 0.5), ${pairs} pairs: ${(withoutNegatives * 100).toFixed(1)} % fitted without negatives, ${(heldOut * 100).toFixed(1)} % fitted with the other conversations' (held out by conversation)`,
        );
      }
      const { changes } = report;
      if ('skipped' in changes) console.log(`\nchange model not fitted: ${changes.skipped}`);
      else {
        console.log(`\nchange model, on ${String(changes.model.fittedOn?.pairs)} same-fact pairs (${String(changes.model.fittedOn?.changed)} changed): held-out changed value vs restated`);
        console.log('| judge | AUC |\n|---|---|');
        for (const row of changes.evaluation) console.log(`| ${row.judge} | ${row.auc.toFixed(3)} |`);
      }
      if (o.json) {
        const comparison = { train: report.train, test: report.test, evaluation: report.evaluation, changes: 'skipped' in changes ? changes : changes.evaluation, negativeLinks: report.negativeLinks };
        writeFileSync(o.json, `${JSON.stringify(comparison, null, 2)}\n`);
      }
      const written = [o.out];
      if (o.changesOut && !('skipped' in changes)) {
        writeFileSync(o.changesOut, `${JSON.stringify(changes.model, null, 1)}\n`);
        written.push(o.changesOut);
      }
      console.log(`\nwrote ${written.join(' and ')}`);
    });
}
