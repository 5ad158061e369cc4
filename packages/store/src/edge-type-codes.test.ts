import BetterSqlite3 from 'better-sqlite3';
import { EDGE_TYPES } from '@neuromem/core';
import { EDGE_TYPE_CODE_SQL, EDGE_TYPE_CODES, EDGE_TYPE_NAME_SQL, edgeTypeOf } from './edge-type-codes';

describe('edge type codes', () => {
  it('should give every edge type its own code, counted from 0 without gaps', () => {
    expect(Object.keys(EDGE_TYPE_CODES).sort()).toEqual([...EDGE_TYPES].sort());
    expect(Object.values(EDGE_TYPE_CODES).sort((a, b) => a - b)).toEqual(EDGE_TYPES.map((_, i) => i));
  });

  it('should keep the codes files were written with', () => {
    expect(EDGE_TYPE_CODES).toMatchObject({ next: 0, part_of: 1, same_entity: 2, causes: 3, supersedes: 4, consolidates: 5, related: 6 });
  });

  it('should read a code back as its type, in code and in SQL', () => {
    const db = new BetterSqlite3(':memory:');
    for (const type of EDGE_TYPES) {
      const code = EDGE_TYPE_CODES[type];
      expect(edgeTypeOf(code)).toBe(type);
      expect(db.prepare(`SELECT ${EDGE_TYPE_NAME_SQL('?')} AS type`).get(code)).toEqual({ type });
      expect(db.prepare(`SELECT ${EDGE_TYPE_CODE_SQL('?')} AS code`).get(type)).toEqual({ code });
    }
    expect(db.prepare(`SELECT ${EDGE_TYPE_CODE_SQL('?')} AS code`).get('unknown')).toEqual({ code: null });
    db.close();
  });
});
