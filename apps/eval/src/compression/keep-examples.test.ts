import { CLAUSE_FEATURES } from '@neuromem/compression';
import { createSemanticEncoder } from '@neuromem/embeddings';
import type { LocomoQuestion, LocomoTurn } from '../locomo/load-locomo';
import { keepExamples } from './keep-examples';

const turn = (diaId: string, text: string): LocomoTurn => ({ diaId, text, speaker: 'Joanna', session: 1, time: 0 });
const ask = (question: string, answer: string): LocomoQuestion => ({ question, answer, category: 1, evidence: [] });

describe('keepExamples', () => {
  it('should label the clause that holds the answer, and no other clause', async () => {
    const question = ask('Where did Joanna go?', 'Woodhaven');
    const examples = await keepExamples([
      {
        question,
        turns: [
          { turn: turn('D1:1', 'Thanks Nate! I went to Woodhaven, a small town.'), score: 0.9 },
          { turn: turn('D1:2', 'Sounds fun!'), score: 0.5 },
        ],
      },
    ]);
    expect(examples.map((e) => e.keep)).toEqual([false, true, false, false]);
    expect(examples.every((e) => e.features.length === CLAUSE_FEATURES.length)).toBe(true);
  });

  it('should label every clause an answer spans', async () => {
    const question = ask('Where did Tim suggest?', 'Edinburgh, Scotland');
    const examples = await keepExamples([{ question, turns: [{ turn: turn('D1:1', 'Edinburgh, Scotland would be great. Go!'), score: 1 }] }]);
    expect(examples.map((e) => e.keep)).toEqual([true, true, false]);
  });

  it('should give only negatives when the answer was not retrieved', async () => {
    const question = ask('What pet?', 'guinea pig');
    expect((await keepExamples([{ question, turns: [{ turn: turn('D1:1', 'I love pets.'), score: 1 }] }])).some((e) => e.keep)).toBe(false);
  });

  it('should give each clause its closeness in meaning to the question when an encoder is given', async () => {
    const question = ask('Which pet does Joanna have?', 'a dog');
    const encoder = createSemanticEncoder();
    const [close, far] = await keepExamples([{ question, turns: [{ turn: turn('D1:1', 'We adopted a puppy. The weather was rainy.'), score: 1 }] }], encoder);
    const semantic = CLAUSE_FEATURES.indexOf('semantic');
    expect(close!.features[semantic]).toBeGreaterThan(far!.features[semantic]!);
    const [plain] = await keepExamples([{ question, turns: [{ turn: turn('D1:1', 'We adopted a puppy.'), score: 1 }] }]);
    expect(plain!.features[semantic]).toBe(0);
  });
});
