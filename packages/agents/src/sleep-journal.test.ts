import { createReferenceStore, type AgentAction } from '@neuromem/core';
import { createSleepJournal, SLEEP_OWNER } from './sleep-journal';

const tierActions = (n: number): AgentAction[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'tier', memoryId: `0192f0a1-${String(i).padStart(4, '0')}-7000-8000-${(i * 7919).toString(16).padStart(12, '0')}`, tier: 'cold' }));

describe('the sleep journal', () => {
  it('should keep a long step deflated and give back every action, and a short one as it is', async () => {
    const store = createReferenceStore({ vectorScales: { turn: 3 } });
    const journal = createSleepJournal(store);
    const long = { agent: 'forgetting', userId: 'alice', actions: tierActions(500) };
    const short = { agent: 'consolidation', userId: 'alice', actions: tierActions(2) };
    await journal.appendStep('run-1', long);
    await journal.appendStep('run-1', short);
    expect(await journal.steps('run-1')).toEqual([long, short]);
    const stored = await store.readUserState!(SLEEP_OWNER, 'run:run-1:0');
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(long).length / 2);
    expect(await store.readUserState!(SLEEP_OWNER, 'run:run-1:1')).toEqual(short);
  });

  it('should call a step whose packed actions are damaged a damaged journal', async () => {
    const store = createReferenceStore({ vectorScales: { turn: 3 } });
    for (const packed of ['not base64 deflate!', Buffer.from('{"not":"a list"}').toString('base64'), 42]) {
      await store.writeUserState!(SLEEP_OWNER, 'run:run-2:0', { agent: 'forgetting', userId: 'alice', packed });
      await expect(createSleepJournal(store).steps('run-2')).rejects.toMatchObject({ code: 'STORAGE', details: { journal: 'damaged' } });
    }
  });
});
