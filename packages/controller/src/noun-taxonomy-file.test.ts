import { decodeNounTaxonomy, encodeNounTaxonomy, TAXONOMY_FORMAT_VERSION, type NounTaxonomySource } from './noun-taxonomy-file';

/** entity <- animal <- dog, two words. */
const SOURCE: NounTaxonomySource = {
  parents: [[], [0], [1]],
  descendants: [2, 1, 0],
  words: [
    { word: 'animal', senses: [1], mostlyNoun: true },
    { word: 'dog', senses: [2], mostlyNoun: false },
  ],
};

const invalid = (message: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });

describe('the noun taxonomy file (format 3)', () => {
  it('should give back what was written, as views of the bytes', () => {
    const file = encodeNounTaxonomy(SOURCE);
    const tables = decodeNounTaxonomy(file);
    expect(tables.synsets).toBe(3);
    expect(tables.words).toBe(2);
    expect([...tables.parentStart]).toEqual([0, 0, 1, 2]);
    expect([...tables.parents]).toEqual([0, 1]);
    expect([...tables.descendants]).toEqual([2, 1, 0]);
    expect(Buffer.from(tables.wordBytes).toString('utf8')).toBe('animaldog');
    expect([...tables.wordStart]).toEqual([0, 6, 9]);
    expect([...tables.senses]).toEqual([1, 2]);
    expect([...tables.otherUse]).toEqual([0, 1]);
    expect(tables.parents.buffer).toBe(file.buffer);
    expect(new DataView(file.buffer).getUint32(4, true)).toBe(TAXONOMY_FORMAT_VERSION);
  });

  it('should be the same bytes for the same taxonomy', () => {
    expect(Buffer.from(encodeNounTaxonomy(SOURCE)).equals(Buffer.from(encodeNounTaxonomy(SOURCE)))).toBe(true);
  });

  it('should refuse to write what it could not read back', () => {
    expect(() => encodeNounTaxonomy({ ...SOURCE, words: [...SOURCE.words].reverse() })).toThrow(invalid(/sorted/));
    expect(() => encodeNounTaxonomy({ ...SOURCE, parents: [[], [0], [7]] })).toThrow(invalid(/not a synset/));
    expect(() => encodeNounTaxonomy({ ...SOURCE, words: [{ word: 'dog', senses: [3], mostlyNoun: true }] })).toThrow(invalid(/not a synset/));
    expect(() => encodeNounTaxonomy({ ...SOURCE, descendants: [0] })).toThrow(invalid(/descendant/));
    expect(() => encodeNounTaxonomy({ ...SOURCE, words: [{ word: 'x'.repeat(256), senses: [0], mostlyNoun: true }] })).toThrow(invalid(/longer than 255/));
  });

  it('should reject a damaged file with INVALID_INPUT, naming the command that remakes it', () => {
    const file = encodeNounTaxonomy(SOURCE);
    const damaged = (change: (bytes: Uint8Array) => void) => {
      const copy = file.slice();
      change(copy);
      return copy;
    };
    expect(() => decodeNounTaxonomy(new Uint8Array(0))).toThrow(invalid(/build-noun-taxonomy/));
    expect(() => decodeNounTaxonomy(file.subarray(0, 12))).toThrow(invalid(/12 bytes/));
    expect(() => decodeNounTaxonomy(file.subarray(0, file.byteLength - 1))).toThrow(invalid(/bytes where the header says/));
    expect(() => decodeNounTaxonomy(damaged((bytes) => (bytes[0] = 0)))).toThrow(invalid(/no NMNT header/));
    expect(() => decodeNounTaxonomy(damaged((bytes) => new DataView(bytes.buffer).setUint32(4, 2, true)))).toThrow(invalid(/format 2/));
    expect(() => decodeNounTaxonomy(damaged((bytes) => new DataView(bytes.buffer).setUint32(8, 0x04030201, true)))).toThrow(invalid(/byte order/));
    // A synset's parent count (the first byte after the u32 tables) that no longer adds up.
    expect(() => decodeNounTaxonomy(damaged((bytes) => (bytes[(8 + 2 + 3 + 2) * 4] = 9)))).toThrow(invalid(/add up/));
  });
});
