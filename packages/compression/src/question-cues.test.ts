import { questionCues } from './question-cues';

describe('questionCues', () => {
  it('should ask for a date when the question asks when', () => {
    expect(questionCues('When did Caroline go to the LGBTQ support group?')).toMatchObject({ time: true, count: false, name: false });
  });

  it('should ask for a number when the question asks how many, how often or how long', () => {
    for (const question of ['How many turtles does Nate have?', 'How often does John see sunsets?', 'How long has she been painting?']) {
      expect(questionCues(question).count).toBe(true);
    }
  });

  it('should ask for a name when the question asks who, where, which or what named thing', () => {
    for (const question of ['Who performed at the concert?', 'Where did Joanna go?', 'Which team did John sign with?', 'What book did Caroline recommend?']) {
      expect(questionCues(question).name).toBe(true);
    }
    expect(questionCues('What did Melanie paint?').name).toBe(false);
  });

  it('should ask for a quality when the question asks how someone feels or describes something', () => {
    expect(questionCues('How does Jon feel about the opening night?').quality).toBe(true);
  });

  it('should ask for nothing in particular for an empty query', () => {
    expect(questionCues('  ')).toEqual({ time: false, count: false, name: false, quality: false });
  });
});
