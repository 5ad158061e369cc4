import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import type { UtilityModel } from '@neuromem/controller';
import type { Command } from 'commander';
import { parseChoiceList } from '../cli-args';
import { foldModels, selectConversations, type ConversationRunFlags } from '../cli-folds';
import { loadLocomo } from '../locomo/load-locomo';
import { formatTiersTable, runTiers, TIER_POLICIES } from './run-tiers';

const fail = createErrorFactory('eval');

/** `neuromem-eval tiers`: storage tiers, the recall each policy keeps as fewer memories keep their vectors. */
export function registerTiers(program: Command): void {
  program
    .command('tiers')
    .description('storage tiers: evidence recall@10 and bytes per memory as a policy (random, recency, length, learned importance) turns memories cold (no vectors), against keep-all')
    .requiredOption('--data <file>', 'LoCoMo data file (data/locomo10.json format)')
    .option('--shares <list>', 'shares of memories that keep their vectors', '0.75,0.5,0.25,0')
    .option('--policies <names>', `comma-separated policies (${TIER_POLICIES.join(', ')})`, TIER_POLICIES.join(','))
    .option(
      '--replay',
      "ask the first half of each conversation's questions first (their results count as accesses), measure the second half, and add the utility policy (age, accesses, importance; fitted on the other conversations)",
    )
    .option('--seed <n>', 'seed of the random policy', '1')
    .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
    .option('--ranker-cv <dir>', 'the ranker never saw the conversation')
    .option('--semantic-cv <dir>', 'embed with semantic models that never saw the conversation')
    .option('--importance-cv <dir>', 'importance (the learned policy) from models that never saw the conversation')
    .option('--utility-out <file>', 'with --replay and the utility policy: write the utility model fitted on every conversation (the shipped one is packages/controller/src/default-utility.json)')
    .option('--json <file>', 'write the results as JSON')
    .option('--quiet', 'no progress lines')
    .action(async (o: ConversationRunFlags & { shares: string; policies: string; replay?: boolean; utilityOut?: string }) => {
      const shares = o.shares.split(',').map((item) => Number(item.trim()));
      if (shares.length === 0 || !shares.every((share) => share >= 0 && share < 1)) throw fail('INVALID_INPUT', `--shares must be comma-separated numbers in [0, 1), got ${JSON.stringify(o.shares)}.`);
      const policies = parseChoiceList(o.policies, '--policies', TIER_POLICIES, 'policy');
      const seed = Number(o.seed);
      if (!Number.isSafeInteger(seed)) throw fail('INVALID_INPUT', `--seed must be an integer, got ${JSON.stringify(o.seed)}.`);
      if (o.utilityOut !== undefined && !(o.replay && policies.includes('utility')))
        throw fail('INVALID_INPUT', '--utility-out needs --replay and the utility policy (the accesses it learns from come from the replay).');
      const conversations = selectConversations(loadLocomo(o.data), o.conversations, o.data);
      const started = performance.now();
      const report = await runTiers({
        conversations,
        warmShares: shares,
        policies,
        replay: o.replay === true,
        seed,
        ...foldModels(o),
        onProgress: (line) => (o.quiet ? undefined : console.error(line)),
      });
      console.log(formatTiersTable(report));
      console.log(`\n${conversations.length} conversations, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      if (o.utilityOut !== undefined && report.utility) {
        const model: UtilityModel = {
          format: 'neuromem.utility/v1',
          model: report.utility,
          fittedOn: { data: basename(o.data), conversations: conversations.map((c) => c.sampleId), memories: report.memories, questions: report.questions },
        };
        writeFileSync(o.utilityOut, `${JSON.stringify(model, null, 1)}\n`);
        console.log(`utility model written to ${o.utilityOut}`);
      }
      if (o.json) writeFileSync(o.json, `${JSON.stringify({ data: o.data, ...report }, null, 2)}\n`);
    });
}
