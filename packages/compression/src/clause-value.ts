/**
 * How much a clause is worth keeping, from its words' keep probabilities. The model is fitted
 * class-balanced, so its mean probability over a clause ranks clauses but is not their chance of
 * holding the answer; its odds, squared, spread the sure clauses from the maybes (measured on
 * LoCoMo dev, held out by conversation: plain means under-weight the few clauses that matter and
 * let many middling ones crowd them out of a small budget).
 */
export function clauseValue(probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += probabilities[i]!;
  const mean = Math.min(sum / probabilities.length, 0.999);
  return (mean / (1 - mean)) ** 2;
}

/** Tokens a clause costs beyond its words, charged when ranking: about a new line or a " … " gap. */
const CLAUSE_OVERHEAD = 4;

/** Value per token: the order in which clauses claim the budget. */
export function clauseDensity(value: number, cost: number): number {
  return value / (cost + CLAUSE_OVERHEAD);
}
