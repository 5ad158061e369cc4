import type { LocomoConversation, LocomoQuestion } from '../locomo/load-locomo';
import { neverSaidQuestions, unanswerableQuestions } from './unanswerable-questions';

const conversation = (sampleId: string, speakers: [string, string], turns: string[], questions: Array<Partial<LocomoQuestion>> = []): LocomoConversation => ({
  sampleId,
  speakers,
  sessions: [{ n: 1, time: 0, turns: turns.map((text, i) => ({ diaId: `D1:${i + 1}`, speaker: speakers[i % 2]!, text, session: 1, time: 0 })) }],
  questions: questions.map((q) => ({ question: '', answer: 'x', evidence: [], category: 1, ...q })),
  observations: [],
});

describe('unanswerableQuestions', () => {
  const target = conversation('t', ['Jon', 'Gina'], ['I opened a dance studio downtown.', 'Gina loves her books and reads every night.']);
  const source = conversation(
    's',
    ['Caroline', 'Melanie'],
    [],
    [
      { question: 'What instrument does Melanie play?', answer: 'clarinet' },
      { question: 'What books has Melanie read?', answer: 'Charlotte’s Web' },
      { question: 'When did Caroline go camping in July?', answer: 'last week' },
      { question: 'What is the capital of France?', answer: 'Paris' },
      { question: 'Where did Caroline open her studio?', answer: 'downtown' },
      { question: 'Why did Melanie sell the guitar?', answer: null, category: 5 },
    ],
  );

  it("should ask another conversation's questions about the target's people, keeping only facts the target never states", () => {
    expect(unanswerableQuestions(target, [target, source])).toEqual([
      // "instrument" and "play" never come up in the target.
      { question: 'What instrument does Gina play?', source: 's' },
      // "camping" never comes up either; the month alone would not count.
      { question: 'When did Jon go camping in July?', source: 's' },
    ]);
  });

  it('should cap the questions taken from each source', () => {
    expect(unanswerableQuestions(target, [source], { perSource: 1 })).toHaveLength(1);
  });

  it('should ask questions that name no one as they are only when told to, under the same checks', () => {
    const unnamed = conversation(
      'u',
      ['Maya', 'Tom'],
      [],
      [
        { question: 'What animal joined the household?', answer: 'a beagle' },
        { question: 'Which books are on the nightstand?', answer: 'her books' },
        { question: 'Where is the new studio?', answer: 'downtown' },
      ],
    );
    expect(unanswerableQuestions(target, [unnamed])).toEqual([]);
    // "books" and "studio" questions hinge on nothing the target never says, or their answer is said there.
    expect(unanswerableQuestions(target, [unnamed], { unnamed: true })).toEqual([{ question: 'What animal joined the household?', source: 'u' }]);
  });
});

describe('neverSaidQuestions', () => {
  it("should take the questions a conversation lists as never said (category 5, no answer, no evidence), not LoCoMo's adversarial ones", () => {
    const chat = conversation(
      'fp',
      ['Ada', 'Assistant'],
      ['My beagle is called Biscuit.', 'Lovely name.'],
      [
        { question: 'What is my dog called?', answer: 'Biscuit', evidence: ['D1:1'], category: 4 },
        { question: "What is my brother's name?", answer: null, evidence: [], category: 5 },
        // LoCoMo's category 5: an answer and evidence of its own, so not a fact never said.
        { question: 'What did Ada name her cat?', answer: 'Biscuit is a dog', evidence: ['D1:1'], category: 5 },
      ],
    );
    expect(neverSaidQuestions(chat)).toEqual([{ question: "What is my brother's name?", source: 'fp' }]);
    expect(neverSaidQuestions(conversation('t', ['Jon', 'Gina'], ['hi']))).toEqual([]);
  });
});
