import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A WordNet 3.0 database of a few synsets in the real file format (offsets are line keys here, not
 * byte offsets, which the reader does not need): beagle < dog < animal, puppy ~ pup < dog, buy ~
 * purchase, acquire above them, mouse with two senses.
 */
export function writeWordNetFixture(): string {
  const directory = mkdtempSync(join(tmpdir(), 'wordnet-'));
  const files: Record<string, string[]> = {
    'index.noun': [
      '  1 This software and database is being provided', // the license header WordNet's files start with
      'animal n 1 0 1 0 00000003',
      'beagle n 1 1 @ 1 0 00000001',
      'dog n 1 2 @ ~ 1 0 00000002',
      'mouse n 2 1 @ 2 0 00000005 00000006',
      'pup n 1 1 @ 1 0 00000004',
      'puppy n 1 1 @ 1 0 00000004',
    ],
    'data.noun': [
      '00000001 05 n 01 beagle 0 001 @ 00000002 n 0000 | a small hound',
      '00000002 05 n 02 dog 0 domestic_dog 0 002 @ 00000003 n 0000 ~ 00000001 n 0000 | a member of the genus Canis',
      '00000003 03 n 01 animal 0 000 | a living organism',
      '00000004 05 n 02 puppy 0 pup 0 001 @ 00000002 n 0000 | a young dog',
      '00000005 05 n 01 mouse 0 000 | a small rodent',
      '00000006 06 n 01 mouse 0 001 @ 00000007 n 0000 | a hand-operated pointing device',
    ],
    'index.verb': ['acquire v 1 0 1 0 00000008', 'buy v 1 1 @ 1 0 00000009', 'purchase v 1 1 @ 1 0 00000009'],
    'data.verb': ['00000008 40 v 01 acquire 0 000 | come into the possession of', '00000009 40 v 02 buy 0 purchase 0 001 @ 00000008 v 0000 | obtain by payment'],
    'index.adj': [],
    'data.adj': [],
    'index.adv': [],
    'data.adv': [],
    'noun.exc': ['mice mouse'],
    'verb.exc': ['bought buy'],
    'adj.exc': [],
    'adv.exc': [],
  };
  for (const [name, lines] of Object.entries(files)) writeFileSync(join(directory, name), lines.map((line) => `${line}\n`).join(''));
  return directory;
}
