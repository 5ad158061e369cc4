import { createTimeOrderedId } from './time-ordered-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createTimeOrderedId', () => {
  it('should make RFC 9562 version-7 UUIDs that carry their millisecond', () => {
    const id = createTimeOrderedId(() => Date.UTC(2026, 11, 1))();
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 1));
  });

  it('should sort ids in the order they were made, within one millisecond and across many', () => {
    let ms = 1_700_000_000_000;
    const next = createTimeOrderedId(() => ms);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 3_000 === 0) ms++;
      ids.push(next());
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it('should keep increasing when the clock steps back', () => {
    let ms = 2_000_000_000_000;
    const next = createTimeOrderedId(() => ms);
    const first = next();
    ms -= 60_000;
    expect(next() > first).toBe(true);
  });
});
