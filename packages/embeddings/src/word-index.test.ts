import { createWordIndex } from './word-index';

const block = (words: readonly string[]) => new TextEncoder().encode(words.join('\n'));

describe('createWordIndex', () => {
  it('finds every word at its row, as a Map of the split words would', () => {
    const words = ['the', 'café', 'naïve', '東京', '🙂', 'a', 'x_y', 'dog'];
    const index = createWordIndex(block(words), words.length)!;
    expect(index.size).toBe(words.length);
    words.forEach((word, row) => expect(index.find(word)).toBe(row));
  });

  it('answers -1 for a word it does not have, a prefix, an extension and the empty string', () => {
    const index = createWordIndex(block(['cat', 'category']), 2)!;
    for (const word of ['ca', 'cats', 'categor', 'dog', '', 'Cat']) expect(index.find(word)).toBe(-1);
  });

  it('keeps the last row of a repeated word', () => {
    expect(createWordIndex(block(['a', 'b', 'a']), 3)!.find('a')).toBe(2);
  });

  it('holds many words, long ones too, with no collisions lost', () => {
    const words = Array.from({ length: 5_000 }, (_, i) => `w${i.toString(36)}${'z'.repeat(i % 40)}`);
    const index = createWordIndex(block(words), words.length)!;
    expect(words.every((word, row) => index.find(word) === row)).toBe(true);
    expect(index.find(`${words[10]}q`)).toBe(-1);
  });

  it('refuses a block whose words disagree with the count, or that holds an empty word', () => {
    expect(createWordIndex(block(['a', 'b']), 3)).toBeUndefined();
    expect(createWordIndex(block(['a', 'b', 'c']), 2)).toBeUndefined();
    expect(createWordIndex(new TextEncoder().encode('a\n\nb'), 3)).toBeUndefined();
    expect(createWordIndex(new TextEncoder().encode('a\n'), 1)).toBeUndefined();
  });

  it('indexes no words in an empty block', () => {
    expect(createWordIndex(new Uint8Array(0), 0)!.find('a')).toBe(-1);
    expect(createWordIndex(block(['a']), 0)).toBeUndefined();
  });
});
