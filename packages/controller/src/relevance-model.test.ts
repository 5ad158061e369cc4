import { defaultRelevance } from './default-relevance';
import { QUESTION_FEATURES, RESULT_FEATURES } from './relevance-features';
import { parseRelevanceModel } from './relevance-model';

describe('relevance models', () => {
  it('should ship a model that reads known features and gates at a probability', () => {
    const model = defaultRelevance();
    expect(model.result.features.every((f) => (RESULT_FEATURES as readonly string[]).includes(f))).toBe(true);
    expect(model.answerable.features.every((f) => (QUESTION_FEATURES as readonly string[]).includes(f))).toBe(true);
    expect(model.gate).toBeGreaterThan(0);
    expect(model.gate).toBeLessThan(1);
    expect(model.fittedOn).toMatchObject({ data: 'locomo10-dev.json', rankerCv: true, semanticCv: true });
    expect(parseRelevanceModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  it.each([
    ['another format', (m: Record<string, unknown>) => ({ ...m, format: 'neuromem.ranker/v1' })],
    ['a gate above 1', (m: Record<string, unknown>) => ({ ...m, gate: 1.5 })],
    ['a gate that is not a number', (m: Record<string, unknown>) => ({ ...m, gate: '0.5' })],
    ['no answerability part', (m: Record<string, unknown>) => ({ ...m, answerable: undefined })],
    ['a result part with a NaN bias', (m: Record<string, unknown>) => ({ ...m, result: { ...(m.result as object), bias: Number.NaN } })],
  ])('should refuse a model with %s, naming the command that regenerates it', (_name, damage) => {
    const broken = damage(JSON.parse(JSON.stringify(defaultRelevance())));
    expect(() => parseRelevanceModel(broken, 'my-model.json')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/my-model\.json.*neuromem-eval relevance/s) }));
  });
});
