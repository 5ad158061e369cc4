import type { LocomoConversation } from '../locomo/load-locomo';
import { createSemanticSystem } from './semantic-system';

const turn = (diaId: string, speaker: string, text: string) => ({ diaId, speaker, text, session: 1, time: Date.UTC(2023, 2, 4) });

describe('the semantic system', () => {
  it('should find a turn asked in other words, by meaning alone', async () => {
    const system = await createSemanticSystem({ conversation: { sampleId: 'para' } as LocomoConversation, directory: '/nonexistent' });
    for (const t of [
      turn('D1:1', 'Tom', 'I spent the whole weekend grading chemistry lab reports.'),
      turn('D1:2', 'Maya', 'Big news on my end: we finally got a puppy, a little beagle called Biscuit.'),
      turn('D1:3', 'Maya', 'They moved me to the night shift in the emergency department.'),
    ])
      await system.add(t);
    expect(await system.search('What animal joined the household?', 1, 0)).toEqual(['D1:2']);
    expect(await system.search('Where does Maya work nights?', 1, 0)).toEqual(['D1:3']);
    expect(await system.storageBytes()).toBeGreaterThan(0);
    await system.close();
  });
});
