import { defaultImportance } from './default-importance';
import { fitImportance, importanceOf, parseImportanceModel } from './importance-model';

describe('the importance model', () => {
  it('should ship a model that rates a stated fact above a question back and thanks', () => {
    const model = defaultImportance();
    const fact = importanceOf(model, 'I finally booked the flight to Lisbon for 14 June; it cost $420 and my sister Ana will meet me there.');
    const question = importanceOf(model, 'Oh nice, what are you going to do there?');
    const thanks = importanceOf(model, 'Thanks!');
    expect(fact).toBeGreaterThan(question);
    expect(fact).toBeGreaterThan(thanks);
    for (const p of [fact, question, thanks]) expect(p > 0 && p < 1).toBe(true);
    expect(model.fittedOn).toMatchObject({ data: 'locomo10-dev.json' });
  });

  it('should learn from labelled texts and refuse labels of one kind', () => {
    const examples = [
      ...['I moved to Oslo in 2021.', 'My brother Tom works at Siemens.', 'We bought a house in March.', 'I started a pottery class on Monday.'].map((text) => ({ text, needed: true })),
      ...['Haha yes!', 'What about you?', 'Thanks so much!', 'Wow, really?'].map((text) => ({ text, needed: false })),
    ];
    const model = fitImportance(examples, { l2: 0.1 });
    expect(importanceOf(model, 'I joined a choir in May.')).toBeGreaterThan(importanceOf(model, 'Really? Cool!'));
    expect(() => fitImportance(examples.slice(0, 4))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('should refuse a damaged model, naming the command that regenerates it', () => {
    const damaged = { ...JSON.parse(JSON.stringify(defaultImportance())), format: 'nope' };
    expect(() => parseImportanceModel(damaged, 'x.json')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('neuromem-eval fit-importance') }));
    const nan = JSON.parse(JSON.stringify(defaultImportance()));
    nan.model.bias = null;
    expect(() => parseImportanceModel(nan, 'x.json')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
