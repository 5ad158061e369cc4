import { CATEGORY_NAMES, type Category } from '../locomo/load-locomo';
import type { LocomoReport } from '../locomo/run-locomo';

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7'];
const escapeXml = (text: string) => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** A grouped bar chart of recall@10 per category (groups) and system (bars), as a standalone SVG. */
export function recallChartSvg(report: LocomoReport): string {
  const systems = Object.keys(report.systems);
  const groups = [...([1, 2, 3, 4] as Category[]).map((c) => ({ label: CATEGORY_NAMES[c], key: String(c) })), { label: 'overall (1-4)', key: 'overall' }];
  const value = (system: string, key: string) => (key === 'overall' ? report.systems[system]!.recall['10'] : report.systems[system]!.byCategory[key]?.['10']) ?? 0;
  const bar = 18;
  const gap = 28;
  const groupWidth = systems.length * bar + gap;
  const [left, top, plotHeight] = [48, 40, 240];
  const width = left + groups.length * groupWidth + 20;
  const height = top + plotHeight + 60 + systems.length * 18;
  const y = (v: number) => top + plotHeight * (1 - v);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${left}" y="20" font-size="14">LoCoMo evidence recall@10 by category — ${escapeXml(report.dataset)}</text>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`, `<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick.toFixed(2)}</text>`);
  }
  groups.forEach((group, g) => {
    const x0 = left + g * groupWidth + gap / 2;
    systems.forEach((system, s) => {
      const v = value(system, group.key);
      parts.push(
        `<rect x="${x0 + s * bar}" y="${y(v)}" width="${bar - 2}" height="${plotHeight * v}" fill="${PALETTE[s % PALETTE.length]}"><title>${escapeXml(system)} ${escapeXml(group.label)}: ${v.toFixed(3)}</title></rect>`,
      );
    });
    parts.push(`<text x="${x0 + (systems.length * bar) / 2}" y="${top + plotHeight + 16}" text-anchor="middle">${escapeXml(group.label)}</text>`);
  });
  systems.forEach((system, s) => {
    const ly = top + plotHeight + 40 + s * 18;
    parts.push(`<rect x="${left}" y="${ly - 10}" width="12" height="12" fill="${PALETTE[s % PALETTE.length]}"/>`, `<text x="${left + 18}" y="${ly}">${escapeXml(system)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
