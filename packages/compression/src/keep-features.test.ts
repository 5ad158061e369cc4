import { KEEP_FEATURES, keepFeatures, type KeepFeature } from './keep-features';
import { wordContexts } from './word-contexts';
import { splitWords } from './words';

const feature = (name: KeepFeature) => KEEP_FEATURES.indexOf(name);

function featuresOf(text: string, query: string, word: string) {
  const words = splitWords(text);
  const [context] = wordContexts([words], query, [1]);
  return keepFeatures(
    words.findIndex((w) => w.text.startsWith(word)),
    context!,
  );
}

describe('keepFeatures', () => {
  it('should mark a date, and its whole clause, when the question asks when', () => {
    const text = 'Hey Sam! We moved to Denver on 3 March 2021, and I love my new job.';
    expect(featuresOf(text, 'When did they move?', '2021')[feature('timeCue')]).toBe(1);
    expect(featuresOf(text, 'When did they move?', 'Denver')[feature('clauseCue')]).toBe(1);
    expect(featuresOf(text, 'What did they eat?', '2021')[feature('timeCue')]).toBe(0);
    expect(featuresOf(text, 'When did they move?', 'love')[feature('clauseCue')]).toBe(0);
  });

  it('should mark a name that the question does not already hold when it asks who or where', () => {
    const text = 'It was Matt Patterson, at the park.';
    expect(featuresOf(text, 'Who performed at the concert?', 'Matt')[feature('nameCue')]).toBe(1);
    expect(featuresOf(text, 'Who did Matt see at the park?', 'Matt')[feature('nameCue')]).toBe(0);
  });

  it('should meet the query word in another form ("reminder" and "reminds")', () => {
    expect(featuresOf('The colors are awesome, it reminds me of art.', 'What is the bowl a reminder of?', 'reminds')[feature('inQuery')]).toBe(1);
  });

  it('should mark greetings, questions and photo captions as such', () => {
    const text = 'Hey Jon! How was it? [shares a photo of a cup]';
    expect(featuresOf(text, 'cup', 'Hey')[feature('greetingClause')]).toBe(1);
    expect(featuresOf(text, 'cup', 'was')[feature('clauseQuestion')]).toBe(1);
    expect(featuresOf(text, 'cup', 'photo')[feature('caption')]).toBe(1);
    expect(featuresOf(text, 'cup', 'Hey')[feature('caption')]).toBe(0);
  });
});
