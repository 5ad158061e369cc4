/**
 * LoCoMo's answer normalization, ported from `normalize_answer` in snap-research/locomo
 * `task_eval/evaluation.py` (commit 92286325). It is not SQuAD's: LoCoMo first deletes every comma
 * and also drops the word "and" along with the articles. Order, as in the Python:
 * delete commas -> lower -> remove punctuation -> remove a/an/the/and -> collapse white space.
 */

// Python's `string.punctuation`: ASCII only, so curly quotes and dashes survive as in LoCoMo.
const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

// Python's `regex` module makes `\b` Unicode-aware; JS `\b` is ASCII-only, so "the" in "éthe"
// would split differently. Explicit Unicode word-character lookarounds keep the Python result.
const ARTICLES = /(?<![\p{L}\p{N}\p{M}\p{Pc}])(?:a|an|the|and)(?![\p{L}\p{N}\p{M}\p{Pc}])/gu;

// Python's `str.split()` also splits on the ASCII information separators, which JS `\s` does not.
const WHITE_SPACE = /[\s\x1c-\x1f]+/;

export function normalizeAnswer(text: string): string {
  const lowered = text.replaceAll(',', '').toLowerCase();
  const withoutPunctuation = lowered.replace(ASCII_PUNCTUATION, '');
  const withoutArticles = withoutPunctuation.replace(ARTICLES, ' ');
  return withoutArticles
    .split(WHITE_SPACE)
    .filter((word) => word !== '')
    .join(' ');
}
