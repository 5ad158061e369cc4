import { join } from 'node:path';
import { loadExtraData } from './cli-folds';

const FIXTURE = join(__dirname, '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');
const UPDATES = join(__dirname, '..', 'data', 'updates-v1.json');

describe('loadExtraData', () => {
  it('should read every conversation of every file, or only those --extra-conversations names', () => {
    const all = loadExtraData(`${FIXTURE},${UPDATES}`);
    expect(all.map((set) => set.conversations.length)).toEqual([expect.any(Number), 10]);
    const dev = loadExtraData(`${FIXTURE},${UPDATES}`, 'updates-01,updates-02');
    // A file none of whose conversations were named adds nothing.
    expect(dev.map(({ file, conversations }) => [file, conversations.map((c) => c.sampleId)])).toEqual([[UPDATES, ['updates-01', 'updates-02']]]);
  });

  it('should refuse a conversation no file holds, naming it', () => {
    expect(() => loadExtraData(UPDATES, 'updates-01,updates-99')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('updates-99') }));
  });
});
