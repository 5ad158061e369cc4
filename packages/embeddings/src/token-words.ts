import { ENGLISH_STOP_WORDS } from '@neuromem/core';

/**
 * Whether a word (NFKC-folded, lower case) gets a token vector. Function words get none: a token
 * vector is a unit vector whatever the word's weight, so in MaxSim the "my" and "is" of "What is my
 * job?" found their twins in "My favourite food is ramen." and outscored "I work as a nurse". A
 * text made only of function words still gets one token, for the whole of it. Both shipped
 * encoders use this one rule, so a hybrid's parts keep pairing their tokens word by word.
 */
export const isTokenWord = (folded: string): boolean => !ENGLISH_STOP_WORDS.has(folded);
