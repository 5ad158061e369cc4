import { extractEntities } from './extract-entities';
import { detectCausalCue } from './detect-causal-cue';
import { resolveTimeWindows } from './query-time';

const EVENT_TIME = Date.UTC(2023, 4, 8, 13, 56); // Monday 8 May 2023
const at = (text: string) => extractEntities(text, { eventTime: EVENT_TIME });

describe('extractEntities', () => {
  it('should find people, places and organizations as names, but not greetings or sentence starters', () => {
    expect(at('Hey Caroline! I met John Smith in New York.')).toEqual(['name:caroline', 'name:john smith', 'name:new york']);
    expect(at('Melanie works at Google and Microsoft; the United Nations met in Geneva.')).toEqual(['name:melanie', 'name:google', 'name:microsoft', 'name:united nations', 'name:geneva']);
    expect(at('Wow, that sounds great! Awesome. Congrats on the job! Thanks so much.')).toEqual([]);
  });

  it('should strip possessives, titles and dots from names and keep hyphenated names whole', () => {
    expect(at("Melanie's kids love Pixar")).toEqual(['name:melanie', 'name:pixar']);
    expect(at('Jean-Luc Picard met Dr. Smith in St. Louis.')).toEqual(['name:jean-luc picard', 'name:smith', 'name:st louis']);
  });

  it('should not read shouted words as names', () => {
    expect(at('THAT IS GREAT NEWS. NASA launched the rocket.')).toEqual(['name:nasa']);
  });

  it('should resolve dates relative to the event time, at the precision the text gives', () => {
    expect(at('Yesterday I met Caroline.')).toEqual(['date:2023-05-07', 'name:caroline']);
    expect(at('We are going next Friday.')).toEqual(['date:2023-05-19']);
    expect(at('Last month was busy, and May 2023 even more.')).toEqual(['month:2023-04', 'month:2023-05']);
    expect(at('I was born in 1987 and moved 10 years ago.')).toEqual(['year:1987', 'year:2013']);
  });

  it('should resolve a date in a memory as a question names it: one resolver for both', () => {
    for (const phrase of ['yesterday', 'last Friday', 'in May 2023', 'last week', 'two years ago', 'on 3 March 2021']) {
      const [key] = at(`We met ${phrase}.`).filter((entity) => /^(date|week|month|year):/.test(entity));
      const [window] = resolveTimeWindows(`what happened ${phrase}?`, EVENT_TIME);
      expect([phrase, key !== undefined, window !== undefined]).toEqual([phrase, true, true]);
      const [unit, value] = key!.split(/:(.*)/);
      const start = Date.parse(`${unit === 'year' ? `${value}-01-01` : unit === 'month' ? `${value}-01` : value}T00:00:00Z`);
      expect([phrase, start]).toEqual([phrase, window!.from]);
    }
  });

  it('should name the Monday of the week for spans that talk in weeks', () => {
    expect(at('Last week was long.')).toEqual(['week:2023-05-01']);
    expect(at('I saw her two weeks ago.')).toEqual(['week:2023-04-24']);
  });

  it('should keep absolute dates with or without an event time, and drop relative ones without it', () => {
    expect(at('On 8 May, 2023 we met; see 2023-05-09.')).toEqual(['date:2023-05-08', 'date:2023-05-09']);
    expect(extractEntities('On 8 May, 2023 we met; see 2023-05-09.')).toEqual(['date:2023-05-08', 'date:2023-05-09']);
    expect(extractEntities('Yesterday, last week and in July.')).toEqual([]);
    expect(at('Christmas was fun this morning at 5pm.')).toEqual([]);
  });

  it('should read the date in UTC whatever the time of day', () => {
    expect(extractEntities('yesterday', { eventTime: Date.UTC(2023, 4, 8, 0, 30) })).toEqual(['date:2023-05-07']);
    expect(extractEntities('yesterday', { eventTime: Date.UTC(2023, 4, 8, 23, 30) })).toEqual(['date:2023-05-07']);
  });

  it('should find multi-digit and decimal numbers without thousands separators', () => {
    expect(at('I ran 10 km, 1,250.50 meters more and 0.5 more, with 3 friends.')).toEqual(['number:10', 'number:1250.5', 'number:0.5']);
    expect(at('I have 3 cats and three dogs.')).toEqual([]);
  });

  it('should find money with its currency, and percentages', () => {
    expect(at('I paid $1,250.50, then $2 million, $5k, €20 and 20 euros.')).toEqual(['money:$1250.5', 'money:$2000000', 'money:$5000', 'money:€20']);
    expect(at('The rent rose 15% this year, and 3.5 percent last year.')).toEqual(['percent:15', 'year:2023', 'percent:3.5', 'year:2022']);
  });

  it('should skip times of day, durations, e-mails and URLs', () => {
    expect(at('At 5:30 pm I waited 52 minutes; mail a@b.com or see https://x.com.')).toEqual([]);
  });

  it('should return nothing for empty text or text in another script, without throwing', () => {
    expect(at('')).toEqual([]);
    expect(at('   \n ')).toEqual([]);
    expect(at('Привет, Мария! Как дела в Москве?')).toEqual([]);
    expect(at('昨日、東京でカロラインに会いました。')).toEqual([]);
    expect(at('\u0000😀👍🏽 ﬁ İ ß')).toEqual([]);
  });

  it('should keep at most 16 entities, in order of first mention, without duplicates', () => {
    const many = Array.from({ length: 40 }, (_, i) => `${100 + i}`).join(' and ');
    expect(at(many)).toEqual(Array.from({ length: 16 }, (_, i) => `number:${100 + i}`));
    expect(at('Caroline met Melanie. Caroline left.')).toEqual(['name:caroline', 'name:melanie']);
  });

  it('should stay bounded on a 50 KB text', () => {
    const turn = 'Yesterday Caroline told me she paid $1,250 for a trip to Lisbon with Melanie in May 2023. ';
    const long = turn.repeat(Math.ceil(50_000 / turn.length)).slice(0, 50_000);
    expect(at(long)).toEqual(['date:2023-05-07', 'name:caroline', 'money:$1250', 'name:lisbon', 'name:melanie', 'month:2023-05']);
    const names = Array.from({ length: 5000 }, (_, i) => `Person${String.fromCharCode(65 + (i % 26))}${i}`)
      .join(', ')
      .slice(0, 50_000);
    expect(at(names)).toHaveLength(16);
    expect(at(`${'a quiet line of words. '.repeat(2_000)}Then I met Caroline.`)).toEqual(['name:caroline']); // read past the first piece
    for (const text of ['1'.repeat(50_000), 'Caroline '.repeat(5_000), 'a'.repeat(50_000)]) {
      const keys = at(text);
      expect(keys.length).toBeLessThanOrEqual(16);
      keys.forEach((key) => expect(key.length).toBeLessThanOrEqual(100));
    }
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
