import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { requireBuild } from '../test-support';
import { addedId, neuromem } from './cli-test-client';

// Each step starts the CLI (about a second: it loads the NLP model and the trained heads).
jest.setTimeout(90_000);

/** The longest prefix every id shares. */
const sharedPrefix = (ids: readonly string[]) => {
  let n = 0;
  while (ids.every((id) => id[n] === ids[0]![n])) n++;
  return ids[0]!.slice(0, n);
};

describe('neuromem get, history, update and delete', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeAll(requireBuild);
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it("should take a unique prefix of the user's own ids, list the matches of an ambiguous one, and update and delete by it", async () => {
    const db = join(dir.path, 'db');
    const first = addedId(await neuromem(db, 'add', 'I moved to Denver in May', '--user', 'alice'));
    const second = addedId(await neuromem(db, 'add', 'My sister Ana lives in Porto', '--user', 'alice'));
    const bobs = addedId(await neuromem(db, 'add', 'my PIN is 4512', '--user', 'bob'));
    // Time-ordered ids written a second apart share their first hex digits (bob's usually too).
    const shared = sharedPrefix([first, second]);
    expect(shared.length).toBeGreaterThanOrEqual(4);

    const ambiguous = await neuromem(db, '--json', 'get', shared, '--user', 'alice');
    expect(ambiguous.code).toBe(2);
    expect(JSON.parse(ambiguous.stdout)).toEqual({
      error: { code: 'INVALID_INPUT', message: expect.stringContaining(`the id prefix ${shared} is ambiguous: 2 memories`), details: { field: 'id', matches: [first, second] } },
    });

    // Just long enough to tell alice's two apart: it names one memory of hers, and none of bob's.
    const short = first.slice(0, shared.length + 1);
    const updated = await neuromem(db, '--json', 'update', short, 'I moved to Boulder in June', '--user', 'alice', '--metadata', '{"topic":"home"}');
    expect(JSON.parse(updated.stdout)).toMatchObject({ id: first, message: 'Memory updated successfully!', memory: { memory: 'I moved to Boulder in June', metadata: { topic: 'home' } } });
    // A prefix of bob's id alone reads to alice as one that matches nothing.
    const foreign = await neuromem(db, 'get', bobs.slice(0, -2), '--user', 'alice');
    const unknown = await neuromem(db, 'get', 'ffffffff', '--user', 'alice');
    expect(foreign.code).toBe(3);
    expect(foreign.stderr.replace(bobs.slice(0, -2), '<id>')).toBe(unknown.stderr.replace('ffffffff', '<id>'));

    expect((await neuromem(db, 'delete', short, '--user', 'alice')).stdout.trim()).toBe(`deleted ${first}`);
    expect((await neuromem(db, 'get', short, '--user', 'alice')).code).toBe(3);
    // A deleted memory keeps its history, and its prefix still finds it there.
    const history = await neuromem(db, 'history', short, '--user', 'alice');
    expect(history.stdout).toMatch(/ADD\s+I moved to Denver in May\n.*UPDATE\s+I moved to Boulder in June\n.*DELETE\s+I moved to Boulder in June/);
  });

  it('should refuse an update that changes nothing before opening the memory', async () => {
    const db = join(dir.path, 'db');
    const refused = await neuromem(db, 'update', 'abcd', '--user', 'alice');
    expect(refused).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^neuromem: update needs the new text, --metadata <json>, or both/) });
  });
});
