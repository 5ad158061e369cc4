/**
 * Weak causal cues between a turn and the turn before it in the same session. "So I was late"
 * follows from the previous turn; "Because the car broke down" explains it. Returns the direction
 * and a strength below 1, because a cue word is evidence, not proof.
 */
export interface CausalCue {
  /** `consequence`: previous turn causes this one. `explanation`: this turn causes the previous one. */
  direction: 'consequence' | 'explanation';
  weight: number;
}

const CONSEQUENCE = /^\W*(so|so that's why|that's why|which is why|therefore|as a result|because of (?:that|this)|after that|and then|then|thus|hence|consequently|that led to)\b/i;
const EXPLANATION = /^\W*(because|since|cause|'cause|due to|it was because|that was because)\b/i;

export function detectCausalCue(text: string): CausalCue | null {
  if (CONSEQUENCE.test(text)) return { direction: 'consequence', weight: 0.5 };
  if (EXPLANATION.test(text)) return { direction: 'explanation', weight: 0.4 };
  return null;
}
