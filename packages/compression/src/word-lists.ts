/** Small closed word lists the keep features test words against. */
export const FILLERS = new Set(
  `hey hi hello wow oh ooh ah aw yeah yep yes ok okay lol haha hahaha omg cool awesome amazing great nice
  glad happy thanks thank congrats congratulations love sweet totally definitely really so just like um uh
  well anyway sure right cheers btw`.split(/\s+/),
);
export const TIME_WORDS = new Set(
  `yesterday today tomorrow tonight week weekend month year day days weeks months years ago last next since
  morning evening night january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday spring summer autumn fall winter recently before after`.split(/\s+/),
);
export const DECISION_WORDS = new Set(
  `decided decide will won't going plan planning planned promise promised agreed agree must need booked bought
  started start finished quit moved signed joined adopted accepted chose choose want wanted hope hoping try trying`.split(/\s+/),
);
export const NEGATIONS = new Set(['not', 'no', 'never', "n't", "don't", "didn't", "won't", "can't", "isn't", "wasn't"]);

/** Counts and frequencies spelled out: "three turtles", "twice a week". */
export const NUMBER_WORDS = new Set(
  `one two three four five six seven eight nine ten eleven twelve twenty thirty hundred thousand once twice
  few several couple dozen half first second third every`.split(/\s+/),
);
