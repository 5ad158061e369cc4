import { extractEntities } from './extract-entities';
import { detectCausalCue } from './detect-causal-cue';

describe('extractEntities', () => {
  it('should find people and places but not sentence starters', () => {
    expect(extractEntities('Yesterday I met Caroline in New York.')).toEqual(['caroline', 'new york']);
    expect(extractEntities('Thanks! That sounds great.')).toEqual([]);
  });

  it('should find dates, years and multi-digit numbers', () => {
    const entities = extractEntities('On 8 May, 2023 I ran 10 km in 52 minutes; see 2023-05-09.');
    expect(entities).toEqual(expect.arrayContaining(['may 2023', '2023-05-09', '10', '52']));
    expect(extractEntities('I have 3 cats')).toEqual([]);
  });

  it('should strip possessives and keep at most 16 entities', () => {
    expect(extractEntities("Melanie's kids love Pixar")).toEqual(['melanie', 'pixar']);
    const many = Array.from({ length: 40 }, (_, i) => `${100 + i}`).join(' ');
    expect(extractEntities(many)).toHaveLength(16);
  });
});

describe('detectCausalCue', () => {
  it('should read a turn-initial consequence cue as caused by the previous turn', () => {
    expect(detectCausalCue('So I missed the interview.')).toEqual({ direction: 'consequence', weight: 0.5 });
    expect(detectCausalCue("That's why I moved.")).toMatchObject({ direction: 'consequence' });
  });

  it('should read a turn-initial "because" as explaining the previous turn', () => {
    expect(detectCausalCue('Because the train was cancelled.')).toMatchObject({ direction: 'explanation' });
  });

  it('should ignore cue words in the middle of a turn', () => {
    expect(detectCausalCue('I stayed home because it rained.')).toBeNull();
    expect(detectCausalCue('Hello there')).toBeNull();
  });
});
