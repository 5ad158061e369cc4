import { isNeuroMemError } from './errors';
import type { NewMemory } from './memory-store';
import { normalizeBatch, normalizePatch } from './store-input';

const rules = { vectorScales: { turn: 2, token: 2 }, maxTextChars: 1000, now: Date.UTC(2024, 0, 1), generateId: () => 'generated' };
const memory = (extra: Record<string, unknown> = {}): NewMemory => ({ text: 'hello there', scope: { userId: 'u' }, ...extra }) as NewMemory;
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return isNeuroMemError(error) ? error.code : `raw ${String(error)}`;
  }
};

describe('normalizeBatch', () => {
  it('should accept a plain memory and fill in its defaults', () => {
    expect(normalizeBatch([memory({ role: 'Caroline' })], rules)[0]).toMatchObject({ id: 'generated', role: 'Caroline', kind: 'episodic', importance: 0.5 });
  });

  it.each([
    ['a role with a lone surrogate, which SQLite would store as U+FFFD', [memory({ role: 'Caro\uD800line' })]],
    ['an entity with a lone surrogate', [memory({ entities: ['name:\uDC00'] })]],
    ['a source ref with a lone surrogate', [memory({ source: { type: 'api', ref: 'r\uD800' } })]],
    ['a hole in the batch, which map would skip', [, memory()]],
    ['a hole among the token vectors', [memory({ tokens: [, [1, 0]] })]],
    ['a hole among the entities', [memory({ entities: [, 'name:x'] })]],
    ['an id with a lone surrogate', [memory({ id: 'id\uD800' })]],
    ['metadata nested 5,000 levels deep', [memory({ metadata: JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`) })]],
  ])('should reject %s with INVALID_INPUT', (_label, items) => {
    expect(codeOf(() => normalizeBatch(items as NewMemory[], rules))).toBe('INVALID_INPUT');
  });
});

describe('normalizePatch', () => {
  it('should reject patches that are not objects', () => {
    for (const patch of [null, 'text', 5]) expect(codeOf(() => normalizePatch(patch as never, rules))).toBe('INVALID_INPUT');
  });
});
