/**
 * A first, dependency-free entity extractor: proper-name sequences, month/date phrases, years and
 * numbers with at least two digits. It only has to be good enough to link memories that mention the
 * same thing; a later NLP-based extractor replaces it behind the same `entities` field.
 */

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Capitalized words that start sentences or are too common to identify anything. */
const NOT_NAMES = new Set(
  `i i'm i've i'll i'd im a an the my your our their his her its this that these those there here it
  we you he she they me us them what when where why how who which yes no yeah yep nope oh ok okay hey
  hi hello thanks thank wow sure well so but and or if then also just really maybe please sorry
  great good nice cool awesome glad happy sounds that's it's what's there's let's don't can't won't
  didn't doesn't isn't wasn't aren't haven't i'd anyway actually definitely totally absolutely
  yesterday today tonight tomorrow last next this week weekend month year morning evening night
  monday tuesday wednesday thursday friday saturday sunday by the way btw lol omg
  after before during since because as at in on for from to with about into over under
  congrats congratulations love like been being have has had do does did was were is are am be
  not all any some every each both either neither many much more most other such only own same
  first second one two three`
    .split(/\s+/)
    .filter(Boolean),
);

const NAME_SEQUENCE = /\p{Lu}[\p{L}'’-]*(?:\s+(?:of|de|da|van|von|la|le)?\s*\p{Lu}[\p{L}'’-]*)*/gu;
const MONTH_PHRASE = new RegExp(`\\b(?:\\d{1,2}(?:st|nd|rd|th)?\\s+)?(${MONTHS.join('|')})(?:\\s+\\d{1,2}(?:st|nd|rd|th)?)?(?:,?\\s+(\\d{4}))?\\b`, 'giu');
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const NUMBER = /(?<![\p{L}\d.])(\d{2,}(?:[.,]\d+)?)(?![\p{L}\d])/gu;

/** The limit keeps a pathological text (a phone book) from linking to everything. */
const MAX_ENTITIES = 16;

/** Normalized entity keys (lower-case) in order of first mention, without duplicates. */
export function extractEntities(text: string): string[] {
  const found = new Set<string>();
  const add = (entity: string) => {
    if (found.size < MAX_ENTITIES && entity.length > 1) found.add(entity);
  };

  for (const match of text.matchAll(NAME_SEQUENCE)) {
    const words = match[0].split(/\s+/).map((word) => word.replace(/['’]s$/u, ''));
    while (words.length > 0 && NOT_NAMES.has(words[0]!.toLowerCase())) words.shift();
    while (words.length > 0 && NOT_NAMES.has(words[words.length - 1]!.toLowerCase())) words.pop();
    if (words.length === 0 || MONTHS.includes(words[0]!.toLowerCase())) continue;
    add(words.join(' ').toLowerCase());
  }
  for (const match of text.matchAll(MONTH_PHRASE)) {
    add(match[2] ? `${match[1]!.toLowerCase()} ${match[2]}` : match[1]!.toLowerCase());
  }
  for (const match of text.matchAll(ISO_DATE)) add(match[0]);
  for (const match of text.matchAll(NUMBER)) add(match[1]!.replace(',', '.'));
  return [...found];
}
