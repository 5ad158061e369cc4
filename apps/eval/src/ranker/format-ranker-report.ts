import { FEATURES } from 'neuromem';
import type { FitResult } from './fit-rankers';

/** The fitted weights per variant (per standardized factor) and the held-out recall of each. */
export function formatRankerReport(result: FitResult): string {
  const variants = [...result.models.keys()];
  const lines = [`| factor | ${variants.join(' | ')} |`, `|---|${variants.map(() => '---:|').join('')}`];
  for (const feature of FEATURES) {
    const cells = variants.map((variant) => {
      const model = result.models.get(variant)!;
      const i = model.features.indexOf(feature);
      return i < 0 ? '—' : model.weights[i]!.toFixed(3);
    });
    lines.push(`| ${feature} | ${cells.join(' | ')} |`);
  }
  lines.push(`| (bias) | ${variants.map((variant) => result.models.get(variant)!.bias.toFixed(3)).join(' | ')} |`);
  const hidden = variants.filter((variant) => result.models.get(variant)!.hidden);
  if (hidden.length > 0) lines.push('', `(${hidden.join(', ')}: plus a hidden layer of ${result.models.get(hidden[0]!)!.hidden!.output.length} tanh units, in the JSON)`);
  lines.push('', '| variant (held-out conversations) | data | R@1 | R@5 | R@10 | R@20 |', '|---|---|---:|---:|---:|---:|');
  for (const { variant, dataset, recall } of result.heldOut) lines.push(`| ${variant} | ${dataset} | ${[1, 5, 10, 20].map((k) => (recall[k] ?? 0).toFixed(3)).join(' | ')} |`);
  return lines.join('\n');
}
