import type { CausalCue } from '@neuromem/core';

const CONSEQUENCE = /^\W*(so|so that's why|that's why|which is why|therefore|as a result|because of (?:that|this)|after that|and then|then|thus|hence|consequently|that led to)\b/i;
const EXPLANATION = /^\W*(because|since|cause|'cause|due to|it was because|that was because)\b/i;

/**
 * The weak causal cue a turn opens with, linking it to the turn before it in the same session: "So I
 * was late" follows from the previous turn; "Because the car broke down" explains it.
 */
export function detectCausalCue(text: string): CausalCue | null {
  if (CONSEQUENCE.test(text)) return { direction: 'consequence', weight: 0.5 };
  if (EXPLANATION.test(text)) return { direction: 'explanation', weight: 0.4 };
  return null;
}
