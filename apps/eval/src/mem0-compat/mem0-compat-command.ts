import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseChoiceList } from '../cli-args';
import { currentCommit } from '../scale/scale-measures';
import { formatCompatTable } from './format-compat-table';
import { runMem0Compat, type CompatTarget } from './run-mem0-compat';

/** `neuromem-eval mem0-compat`: Mem0's own open-source Memory tests and Node quickstart, run against neuromem/mem0. */
export function registerMem0Compat(program: Command): void {
  program
    .command('mem0-compat')
    .description("Mem0 drop-in: Mem0 3.x's own open-source Memory tests (only their imports changed) and its Node quickstart, against neuromem/mem0")
    .requiredOption('--mem0 <path>', 'a Mem0 checkout (git clone https://github.com/mem0ai/mem0) or its git directory')
    .option('--target <name>', "mem0 (neuromem/mem0) or createMemory (the baseline: Mem0's config passed to createMemory())", 'mem0')
    .option('--json <file>', 'write the report (every case, its status and reason) as JSON')
    .option('--keep', 'keep the work directory with the rewritten tests and their output')
    .action((o: { mem0: string; target: string; json?: string; keep?: boolean }) => {
      const [target] = parseChoiceList<CompatTarget>(o.target, '--target', ['mem0', 'createMemory'], 'target');
      const report = runMem0Compat({ mem0: o.mem0, target: target!, keep: o.keep ?? false });
      console.log(formatCompatTable(report));
      if (report.workDirectory) console.log(`\nwork directory kept: ${report.workDirectory}`);
      if (o.json) writeFileSync(o.json, `${JSON.stringify({ ...report, commit: currentCommit(), measuredAt: new Date().toISOString() }, null, 2)}\n`);
    });
}
