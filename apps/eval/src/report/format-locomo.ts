import { CATEGORY_NAMES, type Category } from '../locomo/load-locomo';
import type { LocomoReport } from '../locomo/run-locomo';

const pct = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(3));

/** Rows of the results table: one per system, recall@k overall, recall@10 per category, the rest. */
function rows(report: LocomoReport): { header: string[]; body: string[][] } {
  const categories = ([1, 2, 3, 4, 5] as Category[]).filter((c) => Object.values(report.systems).some((s) => s.byCategory[String(c)]));
  const header = [
    'system',
    ...report.ks.map((k) => `R@${k}`),
    ...categories.map((c) => `${CATEGORY_NAMES[c]}${c === 5 ? '*' : ''} R@10`),
    'session R@10',
    'NDCG@10',
    'MRR',
    'add p50/p95 ms',
    'search p50/p95 ms',
    'storage',
    'tokens top-10',
  ];
  const body = Object.entries(report.systems).map(([name, s]) => [
    name,
    ...report.ks.map((k) => pct(s.recall[String(k)])),
    ...categories.map((c) => pct(s.byCategory[String(c)]?.['10'])),
    pct(s.sessionRecall['10']),
    pct(s.ndcg10),
    pct(s.mrr),
    `${s.latencyMs.add.p50.toFixed(2)} / ${s.latencyMs.add.p95.toFixed(2)}`,
    `${s.latencyMs.search.p50.toFixed(2)} / ${s.latencyMs.search.p95.toFixed(2)}`,
    formatBytes(s.storageBytes),
    s.tokensTop10.toFixed(0),
  ]);
  const withAnswers = Object.values(report.systems).some((s) => s.answers);
  if (withAnswers) {
    header.push('F1', 'J');
    Object.values(report.systems).forEach((s, i) => body[i]!.push(pct(s.answers?.f1), pct(s.answers?.judge)));
  }
  return { header, body };
}

/** An aligned plain-text table for the terminal. */
export function formatLocomoTable(report: LocomoReport): string {
  const { header, body } = rows(report);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [
    `${report.dataset}: ${report.questions} questions (categories 1-4) over ${report.conversations.length} conversations; R@k = evidence recall@k`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    Object.values(report.systems).some((s) => s.byCategory['5']) ? '* adversarial (category 5) is reported apart and not included in R@k' : '',
    versionLinksLine(report),
  ]
    .filter(Boolean)
    .join('\n');
}

/** The version links each sleeping system's sleeps made, per stored turn (empty when none slept). */
function versionLinksLine(report: LocomoReport): string {
  const turns = report.turns;
  const linked = Object.entries(report.systems).filter(([, s]) => s.versionLinks !== undefined);
  if (linked.length === 0) return '';
  return `version links made by sleeps: ${linked.map(([name, s]) => `${name} ${s.versionLinks} (${(s.versionLinks! / Math.max(1, turns)).toFixed(3)} per turn)`).join(', ')}`;
}

/** The same table in Markdown, with the chart beside it. */
export function formatLocomoMarkdown(report: LocomoReport, chartFile: string | undefined, provenance: string): string {
  const { header, body } = rows(report);
  return [
    `# LoCoMo retrieval — ${report.dataset}`,
    '',
    `${report.questions} questions (categories 1-4), ${report.conversations.length} conversations (${report.conversations.join(', ')}). ${provenance}`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
    '',
    "R@k: LoCoMo evidence recall@k (share of a question's evidence turns among the first k distinct retrieved turns). Session R@10: share of evidence sessions hit by the top-10 turns. Latencies per add (one turn) and per search, timed after 10 untimed warm-up searches per conversation.",
    ...(chartFile ? ['', `![recall@10 by category](${chartFile})`] : []),
    '',
  ].join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
