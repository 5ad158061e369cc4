import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { ADD_JOURNAL_FILE, openAddJournal, type JournaledAdd } from './add-journal';

const entry = (n: number): JournaledAdd => ({
  ids: [`id-${n}`],
  scope: { userId: 'alice', sessionId: 's1' },
  turns: [{ text: `turn ${n}`, role: 'user', eventTime: Date.UTC(2024, 0, 1) + n, metadata: {} }],
});

describe('the add journal', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());
  const lines = () => readFileSync(join(dir.path, ADD_JOURNAL_FILE), 'utf8').split('\n').filter(Boolean);

  it('should give back every acknowledged add after a reopen, in order, until they are stored', () => {
    const journal = openAddJournal(dir.path, { durability: 'full' });
    [1, 2, 3].forEach((n) => journal.append(entry(n)));
    journal.close();
    const reopened = openAddJournal(dir.path, { durability: 'full' });
    expect(reopened.recovered).toBe(3);
    expect(reopened.pending).toEqual([entry(1), entry(2), entry(3)]);
    reopened.stored(1);
    expect(reopened.pending).toEqual([entry(2), entry(3)]);
    reopened.stored(2);
    expect(lines()).toEqual([]);
    reopened.close();
    expect(openAddJournal(dir.path, { durability: 'full' }).pending).toEqual([]);
  });

  it("should keep a stored add's line until SQLite's WAL no longer holds its commit", () => {
    const wal = join(dir.path, 'memory.db-wal');
    writeFileSync(wal, Buffer.alloc(8192));
    const journal = openAddJournal(dir.path, { durability: 'normal', walFile: wal });
    journal.append(entry(1));
    journal.stored(1);
    // Committed into the WAL only: a WAL deleted now would lose it, so the journal keeps it.
    expect(lines()).toHaveLength(1);
    writeFileSync(wal, Buffer.alloc(0));
    journal.append(entry(2));
    journal.stored(1);
    // The WAL was emptied into memory.db: the first line goes; the second's commit sits in an empty WAL too.
    expect(lines()).toEqual([]);
    journal.close();
  });

  it('should drop a last line a crash cut short, and append after it on a clean line', () => {
    const journal = openAddJournal(dir.path, { durability: 'normal' });
    journal.append(entry(1));
    journal.close();
    appendFileSync(join(dir.path, ADD_JOURNAL_FILE), '{"ids":["id-2"],"sco');
    const reopened = openAddJournal(dir.path, { durability: 'normal' });
    expect(reopened.pending).toEqual([entry(1)]);
    reopened.append(entry(3));
    reopened.close();
    expect(openAddJournal(dir.path, { durability: 'normal' }).pending).toEqual([entry(1), entry(3)]);
  });

  it('should keep a damaged journal aside and go on with the lines it can read', () => {
    writeFileSync(join(dir.path, ADD_JOURNAL_FILE), `${JSON.stringify(entry(1))}\nnot json\n{"ids":[1]}\n${JSON.stringify(entry(2))}\n`);
    const journal = openAddJournal(dir.path, { durability: 'full' });
    expect(journal.pending).toEqual([entry(1), entry(2)]);
    journal.close();
    const aside = readdirSync(dir.path).filter((name) => name.startsWith(`${ADD_JOURNAL_FILE}.damaged-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir.path, aside[0]!), 'utf8')).toContain('not json');
    expect(lines()).toHaveLength(2);
  });

  it('should rewrite the file once stored lines pile up behind a backlog that never empties', () => {
    const journal = openAddJournal(dir.path, { durability: 'normal' });
    const big = (n: number): JournaledAdd => ({ ...entry(n), turns: [{ ...entry(n).turns[0]!, text: 'x'.repeat(100_000) }] });
    journal.append(big(0));
    for (let n = 1; n <= 60; n++) {
      journal.append(big(n));
      journal.stored(1);
    }
    // 60 stored lines of 100 KB would be 6 MB: the file holds the one pending line and at most 4 MB of stored ones.
    expect(journal.pending.map((e) => e.ids[0])).toEqual(['id-60']);
    expect(readFileSync(join(dir.path, ADD_JOURNAL_FILE)).length).toBeLessThan(4.2 * 1024 * 1024);
    journal.close();
    expect(openAddJournal(dir.path, { durability: 'normal' }).pending.map((e) => e.ids[0])).toContain('id-60');
  });
});
