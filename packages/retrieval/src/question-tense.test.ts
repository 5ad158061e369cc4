import { parseQueryTime, type QueryTime } from './query-time';

/** Thursday 14 March 2024, 23:30 UTC. */
const REF = Date.UTC(2024, 2, 14, 23, 30);

describe('parseQueryTime: the tense of a question', () => {
  it('should read the tense of the first auxiliary: an event in the past, a state in the present', () => {
    const cases: Array<[string, QueryTime['tense']]> = [
      ['What car did Priya buy?', 'past'],
      ['Where was Sam living in 2020?', 'past'],
      ['What car does Priya drive?', 'present'],
      ['Where is Sam working these days?', 'present'],
      ["What's Priya's job?", 'present'],
      ["Which of Jamal's podcasts did he like?", 'past'],
      ["Priya's job?", null],
      ['Which teams do they support?', 'present'],
      ['What books has Melanie read?', null],
      ['Would Sam still move if he could?', null],
      ['Priya car', null],
    ];
    for (const [query, tense] of cases) expect({ query, tense: parseQueryTime(query, REF).tense }).toEqual({ query, tense });
  });
});
