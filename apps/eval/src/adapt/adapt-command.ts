import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseChoiceList, parseIntList, parsePositiveInt, parseShare } from '../cli-args';
import { foldModels, selectConversations, type ConversationRunFlags } from '../cli-folds';
import { loadLocomo } from '../locomo/load-locomo';
import { formatAdaptTable, runAdapt } from './run-adapt';
import { PATTERNS } from './simulated-users';

/** `neuromem-eval adapt`: Module 3's online adaptation, as learning curves of simulated users against a frozen model. */
export function registerAdapt(program: Command): void {
  program
    .command('adapt')
    .description(
      'online adaptation: simulated users whose questions follow a pattern (recent, old, topic, vocabulary; none as control) give feedback; recall@5 over their first interactions against a frozen model',
    )
    .requiredOption('--data <file>', 'LoCoMo data file: each conversation is one user’s memory')
    .option('--patterns <names>', `comma-separated patterns (${PATTERNS.join(', ')})`, PATTERNS.join(','))
    .option('--interactions <n>', 'interactions each user learns from', '100')
    .option('--test <n>', 'held-out test questions per user', '40')
    .option('--checkpoints <list>', 'after how many interactions recall is measured (and before any)', '10,25,50,75,100')
    .option('--seed <n>', 'seed of the simulated users', '1')
    .option('--conversations <ids>', 'only these sample_ids (comma-separated)')
    .option('--ranker-cv <dir>', 'the global ranker never saw the conversation')
    .option('--semantic-cv <dir>', 'embed with semantic models that never saw the conversation')
    .option('--importance-cv <dir>', 'store memories with importance models that never saw the conversation')
    .option('--negative-weight <w>', 'how much a "not useful" judgement teaches beside a useful one, 0-1 (default: the library\'s, 0.25)')
    .option('--json <file>', 'write the curves as JSON')
    .option('--quiet', 'no progress lines')
    .action(async (o: ConversationRunFlags & { patterns: string; interactions: string; test: string; checkpoints: string; negativeWeight?: string }) => {
      const patterns = parseChoiceList(o.patterns, '--patterns', PATTERNS, 'pattern');
      const negativeWeight = o.negativeWeight === undefined ? undefined : parseShare(o.negativeWeight, '--negative-weight');
      const training = parsePositiveInt(o.interactions, '--interactions', 10_000);
      const conversations = selectConversations(loadLocomo(o.data), o.conversations, o.data);
      const started = performance.now();
      const report = await runAdapt({
        conversations,
        patterns,
        training,
        test: parsePositiveInt(o.test, '--test', 10_000),
        checkpoints: [0, ...parseIntList(o.checkpoints, '--checkpoints', training)],
        seed: parsePositiveInt(o.seed, '--seed', 1_000_000),
        ...foldModels(o),
        ...(negativeWeight !== undefined ? { learning: { negativeWeight } } : {}),
        onProgress: (line) => (o.quiet ? undefined : console.error(line)),
      });
      console.log(formatAdaptTable(report));
      console.log(`\n${conversations.length} conversations, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      if (o.json) writeFileSync(o.json, `${JSON.stringify({ data: o.data, ...report }, null, 2)}\n`);
    });
}
