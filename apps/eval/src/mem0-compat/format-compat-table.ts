import type { CompatReport } from './run-mem0-compat';

const pad = (value: string | number, width: number) => String(value).padStart(width);

/** The pass table, then what was left out and what failed, each with its reason. */
export function formatCompatTable(report: CompatReport): string {
  const { mem0, suite } = report;
  const target = report.target === 'mem0' ? 'neuromem/mem0' : 'createMemory() (the construction line changed to it; it cannot take a Mem0 config)';
  const lines = [
    `Mem0 ${mem0.version} (commit ${mem0.commit.slice(0, 12)}) open-source Memory tests against ${target}`,
    '',
    `${'file'.padEnd(40)}${pad('cases', 7)}${pad('left out', 10)}${pad('passed', 8)}${pad('failed', 8)}`,
  ];
  const row = (name: string, r: { cases: number; leftOut: number; passed: number; failed: number }, tail = '') =>
    `${name.padEnd(40)}${pad(r.cases, 7)}${pad(r.leftOut, 10)}${pad(r.passed, 8)}${pad(r.failed, 8)}${tail}`;
  for (const file of report.files.filter((f) => f.kind === 'api')) lines.push(row(file.file, file, file.error ? `  did not load: ${file.error}` : ''));
  lines.push(row('Memory API suite', suite, `  ${(suite.passRate * 100).toFixed(1)} % of ${suite.counted} pass`));
  const internals = report.files.filter((f) => f.kind === 'internals');
  if (internals.length > 0) {
    lines.push('', "not counted (they replace or spy on Mem0's private parts):");
    for (const file of internals) lines.push(row(file.file, file, file.error ? `  did not load: ${file.error}` : ''));
  }
  const leftOut = report.cases.filter((c) => c.status === 'left out' && report.files.find((f) => f.file === c.file)?.kind === 'api');
  if (leftOut.length > 0) lines.push('', "left out (they need Mem0's LLM):", ...leftOut.map((c) => `  ${c.file}: ${c.test} — ${c.note}`));
  const failed = report.cases.filter((c) => c.status === 'failed' && report.files.find((f) => f.file === c.file)?.kind === 'api');
  if (failed.length > 0) lines.push('', 'failed:', ...failed.map((c) => `  ${c.file}: ${c.test} — ${c.note}`));
  const q = report.quickstart;
  lines.push(
    '',
    `Node quickstart (only its import changed): ${q.exitCode === 0 ? `ran, printed ${q.results} memories` : `failed (exit ${q.exitCode}): ${q.output.split('\n').find((l) => l.trim()) ?? ''}`}`,
  );
  return lines.join('\n');
}
