import { expandQuery, personalAdjustments, personalFeatures, SUBJECT_PRIOR, VOCABULARY_PRIOR, type AdaptationCandidate } from './adaptation-features';
import { timeAffinities } from './personal-affinities';
import { learnFromFeedback } from './learn-from-feedback';
import { adaptationEarned } from './track-record';
import { ADAPTATION_LIMITS, emptyAdaptation, parseAdaptation, type UserAdaptation } from './user-adaptation';

const DAY = 86_400_000;
const candidate = (text: string, day: number, similarity: number): AdaptationCandidate & { logit: number } => ({
  text,
  eventTime: day * DAY,
  factors: { turnSimilarity: similarity },
  logit: 4 * similarity,
});
/** A candidate with an id (judgements and affinities are kept per memory), all alike but for their words. */
const memory = (id: string, text: string) => ({ ...candidate(text, 1, 0.5), id });

describe('learnFromFeedback', () => {
  it('should learn to rank the newest of equally similar memories first when the user keeps choosing it', () => {
    let state = emptyAdaptation();
    for (let i = 0; i < 40; i++) {
      // The same words in all three: only their time tells them apart.
      const list = [candidate(`note ${i}`, 1, 0.6), candidate(`note ${i}`, 50, 0.6), candidate(`note ${i}`, 100, 0.6)];
      state = learnFromFeedback(state, { query: `q ${i}`, target: list[2]!, useful: true, others: [list[0]!, list[1]!] });
    }
    const fresh = [candidate('a', 10, 0.5), candidate('b', 300, 0.5)];
    const [older, newer] = personalAdjustments(state, 'anything', fresh);
    expect(newer!).toBeGreaterThan(older! + 0.5);
    expect(state.interactions).toBe(40);
  });

  it('should score each useful judgement before learning it, and trust an adaptation that keeps ranking them higher', () => {
    let state = emptyAdaptation();
    for (let i = 0; i < 20; i++) {
      // The newest a little less similar: the global model ranks it last.
      const list = [candidate(`note ${i}`, 1, 0.6), candidate(`note ${i}`, 50, 0.6), candidate(`note ${i}`, 100, 0.55)];
      state = learnFromFeedback(state, { query: `q ${i}`, target: list[2]!, useful: true, others: [list[0]!, list[1]!] });
    }
    expect(state.trackRecord.better).toBeGreaterThan(5);
    expect(state.trackRecord.worse).toBe(0);
    expect(adaptationEarned(state.trackRecord)).toBe(true);
  });

  it('should record an adaptation that sinks the memories a user found useful as doing worse', () => {
    let state = emptyAdaptation();
    // Taught that the newest is wanted, then the user keeps choosing the oldest.
    for (let i = 0; i < 20; i++) {
      const list = [candidate(`note ${i}`, 1, 0.6), candidate(`note ${i}`, 100, 0.55)];
      state = learnFromFeedback(state, { query: `q ${i}`, target: list[1]!, useful: true, others: [list[0]!] });
    }
    const before = state.trackRecord.worse;
    for (let i = 0; i < 10; i++) {
      // The oldest the more similar: the global model ranks it first, the adaptation below the newest.
      const list = [candidate(`note ${i}`, 1, 0.6), candidate(`note ${i}`, 100, 0.55)];
      state = learnFromFeedback(state, { query: `q ${i}`, target: list[0]!, useful: true, others: [list[1]!] });
    }
    expect(state.trackRecord.worse).toBeGreaterThan(before + 3);
  });

  it('should push a memory marked not useful below the results shown with it', () => {
    const list = [candidate('the wrong one', 1, 0.9), candidate('another', 2, 0.5)];
    const state = learnFromFeedback(emptyAdaptation(), { query: 'q', target: list[0]!, useful: false, others: [list[1]!] });
    const [wrong, other] = personalAdjustments(state, 'q', list);
    expect(wrong!).toBeLessThan(other!);
  });

  it('should learn less from a memory marked not useful than from one marked useful, as much as asked', () => {
    const list = [candidate('the wrong one', 1, 0.9), candidate('another', 2, 0.5)];
    const newer = (useful: boolean, options = {}) => learnFromFeedback(emptyAdaptation(), { query: 'q', target: list[0]!, useful, others: [list[1]!] }, options).weights.newer ?? 0;
    // The wrong one is the older: pushing it down moves `newer` up, a quarter as far as at full weight.
    expect(newer(false)).toBeGreaterThan(0);
    expect(newer(false)).toBeCloseTo(newer(false, { negativeWeight: 1 }) / 4, 4);
    expect(newer(false, { negativeWeight: 0 })).toBe(0);
    // A useful judgement keeps its full weight whatever negativeWeight says.
    expect(newer(true, { negativeWeight: 0 })).toBe(newer(true));
    expect(newer(true)).toBeLessThan(0);
  });

  it("should learn a word only once it recurs with the same meaning, and expand the user's queries with it", () => {
    let state = emptyAdaptation();
    const target = (text: string) => candidate(text, 1, 0.2);
    state = learnFromFeedback(state, { query: 'snorf squirrels', target: target('The beagle chased squirrels'), useful: true, others: [] });
    expect(expandQuery(state, 'snorf nap')).toBe('snorf nap');
    state = learnFromFeedback(state, { query: 'snorf leash', target: target('A red leash for the beagle'), useful: true, others: [] });
    // No memory says "snorf": it can match nothing, so its meaning takes its place.
    expect(expandQuery(state, 'Where does snorf nap?')).toBe('Where does nap? beagle');
    // Its meaning said as well: the word goes, the meaning is not said twice.
    expect(expandQuery(state, 'snorf the beagle')).toBe('the beagle');
    expect(expandQuery(state, 'lunch today')).toBe('lunch today');
  });

  it("should keep a word of the user's own that their memories say, and add its meaning", () => {
    let state = emptyAdaptation();
    // "pup" is said by a memory shown beside the useful ones.
    const others = [candidate('My pup Rex hates baths', 3, 0.5)];
    state = learnFromFeedback(state, { query: 'pup squirrels', target: candidate('The beagle chased squirrels', 1, 0.2), useful: true, others });
    state = learnFromFeedback(state, { query: 'pup leash', target: candidate('A red leash for the beagle', 2, 0.2), useful: true, others });
    expect(expandQuery(state, 'pup nap')).toBe('pup nap beagle');
  });

  it('should keep a word as asked when the query has no room left for its meaning', () => {
    let state = emptyAdaptation();
    const letters = 'abcdefghi'.split('');
    for (const letter of letters) {
      for (const day of [1, 2]) state = learnFromFeedback(state, { query: `snorf${letter}`, target: candidate(`beagle${letter} day${day}`, day, 0.2), useful: true, others: [] });
    }
    const asked = letters.map((letter) => `snorf${letter}`).join(' ');
    // Eight meanings at most: the first eight words give way to theirs, the ninth stays.
    expect(expandQuery(state, asked)).toBe(
      `snorfi ${letters
        .slice(0, 8)
        .map((letter) => `beagle${letter}`)
        .join(' ')}`,
    );
  });

  it('should expand a word with one meaning: the one said most with it, then the most specific of equals', () => {
    let state = emptyAdaptation();
    // "beagle" and "walk" are in both useful memories; the other memories shown say "walk" too.
    const others = [candidate('A long walk by the river', 5, 0.5), candidate('Our walk to school', 6, 0.5)];
    state = learnFromFeedback(state, { query: 'snorf squirrels', target: candidate('A walk with the beagle and squirrels', 1, 0.2), useful: true, others });
    state = learnFromFeedback(state, { query: 'snorf leash', target: candidate('The beagle pulls the leash on a walk', 2, 0.2), useful: true, others });
    expect(expandQuery(state, 'snorf nap')).toBe('nap beagle');
  });

  it("should lift the memories that hold what a user's own word means, before any weight is learned", () => {
    let state = emptyAdaptation();
    for (const [query, text] of [
      ['snorf squirrels', 'The beagle chased squirrels'],
      ['snorf leash', 'A red leash for the beagle'],
    ] as const) {
      state = learnFromFeedback(state, { query, target: candidate(text, 1, 0.2), useful: true, others: [] });
    }
    // No other result was shown, so no weight was learned: only the meaning of "snorf" is.
    expect(state.weights).toEqual({});
    const memories = [candidate('The beagle sleeps on the sofa', 5, 0.3), candidate('My sister visited from Ohio', 6, 0.3)];
    const [beagle, sister] = personalAdjustments(state, 'where does snorf nap', memories);
    // "snorf" is one of the query's two content words and means "beagle" 2 times in 3: 1 x (2/3) / 2,
    // shared out around the candidates' median.
    expect(beagle! - sister!).toBeCloseTo(VOCABULARY_PRIOR / 3, 5);
    expect(beagle!).toBeGreaterThan(0);
    // A query without the word: nothing moves.
    expect(personalAdjustments(state, 'where does the dog nap', memories)).toEqual([0, 0]);
  });

  it('should take words every object inherits ("constructor") as plain words', () => {
    let state = emptyAdaptation();
    for (const query of ['constructor toString', 'constructor hasOwnProperty']) {
      state = learnFromFeedback(state, { query, target: candidate('The constructor built the bridge', 1, 0.5), useful: true, others: [candidate('lunch', 2, 0.1)] });
    }
    state = learnFromFeedback(state, { query: 'snorf', target: candidate('constructor of the bridge', 1, 0.5), useful: true, others: [] });
    state = learnFromFeedback(state, { query: 'snorf again', target: candidate('the constructor again', 1, 0.5), useful: true, others: [] });
    expect(expandQuery(state, 'snorf')).toBe('constructor');
    expect(personalAdjustments(state, 'constructor', [candidate('constructor', 1, 0.2), candidate('other', 2, 0.2)]).every(Number.isFinite)).toBe(true);
    expect(parseAdaptation(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('should keep every weight and adjustment within its bounds whatever the feedback says', () => {
    let state = emptyAdaptation();
    for (let i = 0; i < 500; i++) {
      const list = [candidate(`x ${i}`, i, i % 2), candidate(`y ${i}`, 500 - i, 1 - (i % 2))];
      state = learnFromFeedback(state, { query: `q ${i % 7}`, target: list[i % 2]!, useful: i % 3 !== 0, others: [list[1 - (i % 2)]!] }, { learningRate: 10 });
    }
    expect(Object.values(state.weights).every((w) => Math.abs(w) <= ADAPTATION_LIMITS.maxWeight)).toBe(true);
    expect(Object.keys(state.vocabulary).length).toBeLessThanOrEqual(ADAPTATION_LIMITS.vocabularyWords);
    const adjustments = personalAdjustments(state, 'q 1', [candidate('z', 0, 1), candidate('w', 9, 0)]);
    expect(adjustments.every((a) => Math.abs(a) <= ADAPTATION_LIMITS.maxAdjustment)).toBe(true);
  });

  it('should prefer memories from the stretch of time a user keeps finding useful, and only there', () => {
    // 300 days of memories; every search shows five from anywhere, and the one the user means is
    // always from the last 60 days.
    const memory = (day: number) => ({ ...candidate(`day ${day}`, day, 0.5), id: `m${day}` });
    let state = emptyAdaptation();
    for (let i = 0; i < 60; i++) {
      const shown = [0, 1, 2, 3].map((k) => memory((i * 37 + k * 71) % 300));
      state = learnFromFeedback(state, { query: `q ${i}`, target: memory(240 + ((i * 13) % 60)), useful: true, others: shown });
    }
    const [early, middle, late] = timeAffinities(state.usefulTimes!, state.seenTimes!, [memory(30), memory(150), memory(270)]);
    expect(late!).toBeGreaterThan(0.5);
    expect(early!).toBeLessThan(-0.5);
    expect(middle!).toBeLessThan(0);
    // The learned weight puts a late memory above an equally similar early one.
    const [earlyAdjustment, lateAdjustment] = personalAdjustments(state, 'anything', [memory(30), memory(270)]);
    expect(lateAdjustment!).toBeGreaterThan(earlyAdjustment! + 0.5);
  });

  it('should find no time preference in a user who finds memories from any time useful', () => {
    const memory = (day: number) => ({ ...candidate(`day ${day}`, day, 0.5), id: `m${day}` });
    let state = emptyAdaptation();
    for (let i = 0; i < 60; i++) {
      const shown = [0, 1, 2, 3].map((k) => memory((i * 37 + k * 71) % 300));
      state = learnFromFeedback(state, { query: `q ${i}`, target: memory((i * 53) % 300), useful: true, others: shown });
    }
    const affinities = timeAffinities(state.usefulTimes!, state.seenTimes!, [30, 90, 150, 210, 270].map(memory));
    expect(affinities.every((a) => Math.abs(a) < 0.35)).toBe(true);
  });

  it("should not take a memory's own judgements for evidence about its time", () => {
    const memory = (id: string, day: number) => ({ ...candidate(id, day, 0.5), id });
    let state = emptyAdaptation();
    for (let i = 0; i < 20; i++) state = learnFromFeedback(state, { query: 'q', target: memory('favourite', 250), useful: true, others: [memory('a', 10), memory('b', 120)] });
    const [itself, neighbour] = personalFeatures(state, 'q', [memory('favourite', 250), memory('neighbour', 251)]).map((row) => row.timeAffinity);
    expect(itself).toBe(0);
    expect(neighbour!).toBeGreaterThan(0.5);
  });

  it('should keep the differences between candidates when a weight lifts every one of them', () => {
    // Every candidate is important, so a weight on importance lifts them all alike; only `newer` tells them apart.
    const state: UserAdaptation = { ...emptyAdaptation(), interactions: 50, weights: { importance: 2, newer: 2 } };
    const memories = [10, 100, 200, 300].map((day) => ({ ...candidate(`day ${day}`, day, 0.5), factors: { turnSimilarity: 0.5, importance: 1 } }));
    const adjustments = personalAdjustments(state, 'q', memories);
    // Summed, the newest three would all stand at the cap of 3; centred, each is above the one before.
    for (let i = 1; i < adjustments.length; i++) expect(adjustments[i]!).toBeGreaterThan(adjustments[i - 1]! + 0.5);
    expect(adjustments[1]! + adjustments[2]!).toBeCloseTo(0, 5);
  });

  it("should lift memories about the subjects a user keeps finding useful, whatever the query's words", () => {
    const chatter = ['Really great to hear from you today', 'That sounds great, see you soon', 'Work was busy again this week', 'We had pasta for dinner tonight'];
    let state = emptyAdaptation();
    for (let i = 0; i < 30; i++) {
      const subject = memory(`kiln ${i}`, `The pottery kiln fired my ${['bowl', 'vase', 'mug'][i % 3]} really well number ${i}`);
      state = learnFromFeedback(state, { query: `q ${i}`, target: subject, useful: true, others: chatter.map((text, k) => memory(`c${i}-${k}`, text)) });
    }
    const [pottery, dinner] = personalFeatures(state, 'what happened', [memory('new', 'A new glaze for the kiln arrived'), memory('other', 'We had soup for dinner tonight')]).map(
      (row) => row.wordAffinity!,
    );
    expect(pottery!).toBeGreaterThan(1);
    expect(dinner!).toBeLessThan(0.3);
  });

  it('should weigh a subject against every candidate of the judged queries, not only those shown', () => {
    const learn = (rest: (i: number) => AdaptationCandidate[]) => {
      let state = emptyAdaptation();
      for (let i = 0; i < 20; i++) {
        const subject = memory(`kiln ${i}`, `The pottery kiln fired my piece number ${i}`);
        state = learnFromFeedback(state, { query: `q ${i}`, target: subject, useful: true, others: [memory(`c${i}`, `Lunch was fine on day ${i}`)], rest: rest(i) });
      }
      return personalFeatures(state, 'what happened', [memory('new', 'A new glaze for the kiln arrived'), memory('x', 'Soup tonight')])[0]!.wordAffinity!;
    };
    // Searches that rank little else about kilns: the kiln stands out. Searches that rank kiln
    // memories everywhere: finding one useful says less.
    const rare = learn((i) => Array.from({ length: 20 }, (_, k) => memory(`r${i}-${k}`, `Errand ${k} on the list`)));
    const everywhere = learn((i) => Array.from({ length: 20 }, (_, k) => memory(`r${i}-${k}`, `The kiln schedule item ${k}`)));
    expect(rare).toBeGreaterThan(everywhere + 1);
  });

  it('should take no subject from a word only one useful judgement held', () => {
    const rest = (tag: string) => Array.from({ length: 10 }, (_, k) => memory(`${tag}${k}`, `Errand ${k} on the list`));
    const state = learnFromFeedback(emptyAdaptation(), { query: 'q', target: memory('z', 'The zeppelin landed'), useful: true, others: [memory('o', 'Lunch was fine')], rest: rest('a') });
    expect(personalFeatures(state, 'what happened', [memory('t', 'Zeppelin tours'), memory('s', 'Soup tonight')]).map((row) => row.wordAffinity!)).toEqual([0, 0]);
  });

  /**
   * A zeppelin's affinity after 30 useful judgements, ten errands ranked beside each: the judged
   * memories are `distinct` memories taken in turn, and the zeppelin is in `zeppelins` of the 30.
   */
  const zeppelinAffinity = ({ zeppelins, distinct = 30 }: { zeppelins: number; distinct?: number }) => {
    let state = emptyAdaptation();
    for (let i = 0; i < 30; i++) {
      const which = i % distinct;
      const target = memory(`t${which}`, which < (zeppelins * distinct) / 30 ? `The zeppelin flew over on day ${which}` : `The parcel came on day ${which}`);
      const rest = Array.from({ length: 10 }, (_, k) => memory(`r${i}-${k}`, `Errand ${k} on the list`));
      state = learnFromFeedback(state, { query: `q ${i}`, target, useful: true, others: [memory(`o${i}`, `Lunch was fine on day ${i}`)], rest });
    }
    return personalFeatures(state, 'what happened', [memory('new', 'Zeppelin tours'), memory('s', 'Soup tonight')])[0]!.wordAffinity!;
  };

  it('should take a subject only from a word found useful more often than chance explains', () => {
    // Twice in 30: rare among what the searches ranked, yet two of 30 is within chance of a word that rare.
    expect(zeppelinAffinity({ zeppelins: 2 })).toBe(0);
    expect(zeppelinAffinity({ zeppelins: 12 })).toBeGreaterThan(1);
  });

  it('should count a memory found useful again and again as one observation of its subject', () => {
    // Six of 30 judgements: over 30 memories once each, or over 10 memories three times each.
    expect(zeppelinAffinity({ zeppelins: 6 })).toBeGreaterThan(1);
    expect(zeppelinAffinity({ zeppelins: 6, distinct: 10 })).toBe(0);
  });

  it('should lift memories about a subject by itself, before any weight is learned', () => {
    let state = emptyAdaptation();
    for (let i = 0; i < 30; i++) {
      const target = memory(`t${i}`, i % 2 === 0 ? `The zeppelin flew over on day ${i}` : `The parcel came on day ${i}`);
      state = learnFromFeedback(state, { query: `q ${i}`, target, useful: true, others: [memory(`o${i}`, `Lunch was fine on day ${i}`)] });
    }
    const fresh = [memory('z', 'Zeppelin tours'), memory('s', 'Soup tonight')];
    const [subject, other] = personalFeatures(state, 'what happened', fresh).map((row) => row.wordAffinity!);
    const [lifted, plain] = personalAdjustments({ ...state, weights: {} }, 'what happened', fresh);
    expect(subject!).toBeGreaterThan(other!);
    expect(lifted! - plain!).toBeCloseTo(SUBJECT_PRIOR * (subject! - other!), 5);
  });

  it("should not take a memory's own judgements for evidence about its subject", () => {
    let state = emptyAdaptation();
    // Found useful 20 times, and nothing else: its own judgements say nothing about its subject.
    for (let i = 0; i < 20; i++)
      state = learnFromFeedback(state, { query: 'q', target: memory('favourite', 'The kiln fired my bowl'), useful: true, others: [memory(`o${i}`, `Lunch was fine on day ${i}`)] });
    const affinities = () => personalFeatures(state, 'q', [memory('favourite', 'The kiln fired my bowl'), memory('else', 'A glaze for the kiln')]).map((row) => row.wordAffinity!);
    expect(affinities()[0]).toBe(0);
    // Ten other kiln memories found useful: now the kiln is a subject, and the favourite's own 20
    // judgements lift it no higher than a kiln memory never judged.
    for (let i = 0; i < 10; i++)
      state = learnFromFeedback(state, { query: `k${i}`, target: memory(`kiln ${i}`, `The kiln fired pot ${i}`), useful: true, others: [memory(`p${i}`, `Dinner was fine on day ${i}`)] });
    const [itself, other] = affinities();
    expect(other!).toBeGreaterThan(0.3);
    expect(itself!).toBeLessThanOrEqual(other!);
  });

  it('should change nothing for an empty adaptation, and leave the given state untouched', () => {
    const state = emptyAdaptation();
    expect(personalAdjustments(state, 'q', [candidate('a', 1, 0.3), candidate('b', 2, 0.9)])).toEqual([0, 0]);
    learnFromFeedback(state, { query: 'q', target: candidate('a', 1, 0.3), useful: true, others: [candidate('b', 2, 0.9)] });
    expect(state).toEqual(emptyAdaptation());
  });
});

describe('parseAdaptation', () => {
  it('should read back what was learned, through JSON', () => {
    let state: UserAdaptation = emptyAdaptation();
    const vector = new Float32Array([0.5, 0.5, 0]);
    state = learnFromFeedback(state, { query: 'q', target: { ...candidate('a', 1, 0.3), vector }, useful: true, others: [candidate('b', 2, 0.9)] });
    expect(parseAdaptation(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(state.profile).toEqual({ vectors: [[0.5, 0.5, 0]] });
  });

  it('should read a document written before times, shown words and the track record were kept as one without them', () => {
    const { usefulTimes, seenTimes, seenWords, trackRecord, ...older } = emptyAdaptation();
    expect([usefulTimes, seenTimes, seenWords, trackRecord]).toEqual([[], [], { memories: 0, words: {} }, { better: 0, worse: 0 }]);
    expect(parseAdaptation({ ...older, interactions: 3 })).toEqual({ ...emptyAdaptation(), interactions: 3 });
  });

  it('should refuse a damaged document, naming how to reset it', () => {
    for (const bad of [
      null,
      {},
      { ...emptyAdaptation(), interactions: -1 },
      { ...emptyAdaptation(), weights: { recency: 99 } },
      { ...emptyAdaptation(), profile: { vectors: [['x']] } },
      { ...emptyAdaptation(), vocabulary: { a: { asked: 0, means: {} } } },
      { ...emptyAdaptation(), usefulTimes: [{ memoryId: 'm1', eventTime: 'yesterday' }] },
      { ...emptyAdaptation(), seenWords: { memories: 1, words: { kiln: 2 } } },
      { ...emptyAdaptation(), trackRecord: { better: Number.NaN, worse: 0 } },
      { ...emptyAdaptation(), trackRecord: { better: 3, worse: -1 } },
      { ...emptyAdaptation(), trackRecord: 'ahead' },
      { ...emptyAdaptation(), seenTimes: Array.from({ length: ADAPTATION_LIMITS.seenTimes + 1 }, (_, i) => ({ memoryId: `m${i}`, eventTime: i })) },
    ]) {
      expect(() => parseAdaptation(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('resetAdaptation') }));
    }
  });
});
