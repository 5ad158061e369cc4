import { countLinks, emptyLinkCounts, missCause, turnsOfFacts } from './update-misses';
import type { UpdateQuestion } from './run-updates';

const question = (update: UpdateQuestion['update'], evidence: string[], text = 'Where does Liam live now?'): UpdateQuestion => ({
  conversation: 'c1',
  question: text,
  evidence,
  update,
  fact: 'city',
});

const questions = [question('current', ['D4:1']), question('previous', ['D1:1'], 'Where did Liam live before?'), { ...question('static', ['D2:3']), fact: 'sister' }];
const texts: Record<string, string> = {
  'D1:1': 'Best thing about living in Sydney is the surf.',
  'D4:1': 'Newcastle suits me, the rent is cheaper.',
  'D2:3': 'My sister lives with Jack.',
  'D3:5': "Kevin's going to live with Jack.",
};
const context = { turnsOfFact: turnsOfFacts(questions), textOf: (id: string) => texts[id] };

describe('missCause', () => {
  it('is undefined when a statement of the asked value comes first', () => {
    expect(missCause(questions[0]!, ['D4:1', 'D1:1'], context)).toBeUndefined();
  });

  it('blames the order when another value of the same fact comes first', () => {
    expect(missCause(questions[0]!, ['D1:1', 'D4:1'], context)).toEqual({ cause: 'order', sharesWord: false });
  });

  it('blames relevance when something else comes first, and says whether the value shares a word with the question', () => {
    // "live" is in the question and (as a stem) in D3:5, not in D4:1: finding D4:1 takes meaning.
    expect(missCause(questions[0]!, ['D3:5', 'D4:1'], context)).toEqual({ cause: 'relevance', sharesWord: false });
    expect(missCause(questions[1]!, ['D3:5', 'D1:1'], context)).toEqual({ cause: 'relevance', sharesWord: true });
  });

  it('calls a value never in the first ten absent', () => {
    expect(missCause(questions[0]!, ['D3:5', 'D2:3'], context)).toEqual({ cause: 'absent', sharesWord: false });
  });

  it('treats a statement of another fact first as relevance, not order', () => {
    expect(missCause(questions[0]!, ['D2:3', 'D4:1'], context)?.cause).toBe('relevance');
  });
});

describe('countLinks', () => {
  it('sorts version links into one fact, two facts, and links to a turn no question cites', () => {
    const counts = emptyLinkCounts();
    countLinks(
      [
        ['D4:1', 'D1:1'],
        ['D4:1', 'D2:3'],
        ['D3:5', 'D2:3'],
      ],
      context.turnsOfFact,
      counts,
    );
    expect(counts).toEqual({ total: 3, oneFact: 1, differentFacts: 1, uncited: 1 });
  });
});
