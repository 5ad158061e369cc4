/** One bin of a reliability table: what the model said on average, and how often it was right. */
export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Share of useful results in the bin. */
  observed: number;
}

/** Predictions grouped into `bins` equal-width probability bins (empty bins are left out). */
export function reliabilityTable(probabilities: readonly number[], labels: readonly boolean[], bins = 10): ReliabilityBin[] {
  const table = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, count: 0, predicted: 0, observed: 0 }));
  probabilities.forEach((p, i) => {
    const bin = table[Math.min(bins - 1, Math.floor(p * bins))]!;
    bin.count++;
    bin.predicted += p;
    bin.observed += labels[i] ? 1 : 0;
  });
  return table.filter((bin) => bin.count > 0).map((bin) => ({ ...bin, predicted: bin.predicted / bin.count, observed: bin.observed / bin.count }));
}

/** Expected calibration error: the count-weighted mean gap between predicted and observed per bin. */
export function expectedCalibrationError(probabilities: readonly number[], labels: readonly boolean[], bins = 10): number {
  const total = probabilities.length;
  if (total === 0) return 0;
  return reliabilityTable(probabilities, labels, bins).reduce((sum, bin) => sum + (bin.count / total) * Math.abs(bin.predicted - bin.observed), 0);
}

/** Area under the ROC curve: the chance a random positive scores above a random negative (ties count half). */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = scores.map((score, i) => ({ score, positive: positive[i]! })).sort((a, b) => a.score - b.score);
  let positives = 0;
  let negatives = 0;
  let rankSum = 0;
  // Average ranks over ties (Mann-Whitney U).
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.score === order[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (order[k]!.positive) {
        positives++;
        rankSum += averageRank;
      } else negatives++;
    }
    i = j;
  }
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
