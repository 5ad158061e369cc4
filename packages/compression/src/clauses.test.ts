import { clauseRanges } from './clauses';
import { splitWords } from './words';

const clauses = (text: string) => {
  const words = splitWords(text);
  return clauseRanges(words).map(({ from, to }) =>
    words
      .slice(from, to)
      .map((word) => word.text)
      .join(' '),
  );
};

describe('clauseRanges', () => {
  it('should split after sentence ends, commas, semicolons, colons and dashes', () => {
    expect(clauses('Hey Jon! I went to Woodhaven, a small town; it was great - really. Loved it')).toEqual([
      'Hey Jon!',
      'I went to Woodhaven,',
      'a small town;',
      'it was great -',
      'really.',
      'Loved it',
    ]);
  });

  it('should keep a closing quote or bracket with its clause', () => {
    expect(clauses('I read "Becoming Nicole." [shares a photo of a book.] Great')).toEqual(['I read "Becoming Nicole."', '[shares a photo of a book.]', 'Great']);
  });

  it('should cover every word exactly once', () => {
    const words = splitWords('One, two; three. Four - five');
    const ranges = clauseRanges(words);
    expect(ranges[0]!.from).toBe(0);
    expect(ranges.at(-1)!.to).toBe(words.length);
    ranges.slice(1).forEach((range, i) => expect(range.from).toBe(ranges[i]!.to));
  });
});
