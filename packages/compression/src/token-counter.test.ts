import { getEncoding } from 'js-tiktoken';
import { createTiktokenCounter, wordTokens } from './token-counter';

const TEXTS = ['', 'Hello world, this is a test.', "I'd booked the flight to Lisbon for 14 June — it cost $420!", '東京で寿司を食べた 🍣', '   \n\n  spaces  and\ttabs  ', 'a'.repeat(2_000)];

describe('createTiktokenCounter', () => {
  it.each(['cl100k_base', 'o200k_base'] as const)("should count %s tokens exactly as js-tiktoken's full package does", (name) => {
    const counter = createTiktokenCounter(name);
    const reference = getEncoding(name);
    expect(counter.id).toBe(`tiktoken:${name}`);
    for (const text of TEXTS) expect(counter.count(text)).toBe(reference.encode(text).length);
  });

  it('should count a word as it sits inside a line, after a space', () => {
    const counter = createTiktokenCounter();
    expect(wordTokens(counter, 'Lisbon')).toBe(counter.count(' Lisbon'));
  });
});
