import { casual, type ParsedResult } from 'chrono-node/en';

/** What chrono's `parse` loop asks of a parser (`Chrono.executeParser`). */
interface ChronoParser {
  pattern(context: unknown): RegExp;
  extract(context: unknown, match: RegExpExecArray): unknown;
}

/** Patterns longer than this are the time-unit ones (800+ characters; the next longest without capitals is ~300). */
const COSTLY_PATTERN_CHARS = 600;

const lowerAscii = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/**
 * chrono's English casual parser with the same readings and a fraction of its start-up cost.
 *
 * chrono's patterns are all case-insensitive, and V8 compiles a case-insensitive pattern into far
 * larger native code. Its time-unit patterns ("two and a half weeks ago", "within a few days") spell
 * out every number word and unit, and compiling them cost a process ~250-300 ms at its second time
 * question (the first runs them interpreted). Those patterns have no upper-case letters, so a
 * case-sensitive copy run over the text with its ASCII letters lower-cased matches exactly where the
 * original matches (lower-casing ASCII keeps every index); the match reports the original text. The
 * other parsers are left as they are: some read capitals ("AD", "BC", "T", "Z").
 */
const timeParser = casual.clone();
timeParser.parsers = (timeParser.parsers as unknown as ChronoParser[]).map((parser) => (isCostlyCaseFree(parser) ? caseFolded(parser) : parser)) as typeof timeParser.parsers;

/** Time expressions in `text`, as `casual.parse` finds them. */
export function parseTimeExpressions(text: string, reference: Date): ParsedResult[] {
  return timeParser.parse(text, reference, { forwardDate: false });
}

function isCostlyCaseFree(parser: ChronoParser): boolean {
  let pattern: RegExp;
  try {
    pattern = parser.pattern({ option: {}, refDate: new Date(0) });
  } catch {
    return false;
  }
  // Escapes (\W, \S, \b) are not letters of the text.
  return pattern.flags.includes('i') && pattern.source.length > COSTLY_PATTERN_CHARS && !/[A-Z]/.test(pattern.source.replace(/\\./g, ''));
}

function caseFolded(parser: ChronoParser): ChronoParser {
  const folded = new WeakMap<RegExp, RegExp>();
  const foldedOf = (pattern: RegExp) => {
    let copy = folded.get(pattern);
    if (!copy) folded.set(pattern, (copy = new RegExp(pattern.source, pattern.flags.replace('i', ''))));
    return copy;
  };
  return {
    pattern(context) {
      const pattern = foldedOf(parser.pattern(context));
      // chrono only calls `exec` on a parser's pattern.
      return {
        exec(text: string) {
          const match = pattern.exec(lowerAscii(text));
          if (match) match[0] = text.slice(match.index, match.index + match[0].length);
          return match;
        },
      } as RegExp;
    },
    extract: (context, match) => parser.extract(context, match),
  };
}
