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

  it('should not end a clause at initials or a title before a name', () => {
    expect(clauses('I love J.K. Rowling. Dr. Patel said so, really')).toEqual(['I love J.K. Rowling.', 'Dr. Patel said so,', 'really']);
    expect(clauses('John F. Kennedy spoke. Nobody else did but I. Then we left')).toEqual(['John F. Kennedy spoke.', 'Nobody else did but I.', 'Then we left']);
  });

  it('should keep a list whole, commas and all', () => {
    expect(clauses('Hey Jon, it had salads, sandwiches, and homemade desserts. It was about loss, identity, and connection!')).toEqual([
      'Hey Jon,',
      'it had salads, sandwiches, and homemade desserts.',
      'It was about loss, identity, and connection!',
    ]);
    expect(clauses('Aragorn is brave, selfless, down-to-earth and kind.')).toEqual(['Aragorn is brave, selfless, down-to-earth and kind.']);
    expect(clauses('It stands for love, faith and strength. Thanks, Mel!')).toEqual(['It stands for love, faith and strength.', 'Thanks,', 'Mel!']);
  });

  it('should still split clauses that are not a list', () => {
    expect(clauses('I went to Woodhaven, a small town, and it was great.')).toEqual(['I went to Woodhaven,', 'a small town,', 'and it was great.']);
  });

  it('should cover every word exactly once', () => {
    const words = splitWords('One, two; three. Four - five, six, and seven. J.K. Rowling, yes');
    const ranges = clauseRanges(words);
    expect(ranges[0]!.from).toBe(0);
    expect(ranges.at(-1)!.to).toBe(words.length);
    ranges.slice(1).forEach((range, i) => expect(range.from).toBe(ranges[i]!.to));
  });
});
