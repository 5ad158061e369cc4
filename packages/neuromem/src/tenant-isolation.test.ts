import { createManualClock } from '@neuromem/core';
import { createMemory, type Memory } from './create-memory';
import type { EntityIds } from './types';

const NOW = Date.UTC(2024, 5, 1);

/** The error a call rejects with, with the id it named blanked out (null when it resolved). */
const errorOf = (call: Promise<unknown>, id: string) =>
  call.then(
    () => null,
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message.split(id).join('<id>') }),
  );

describe('tenant isolation', () => {
  let memory: Memory;
  let anaId: string;
  let benId: string;
  const ana: EntityIds = { userId: 'ana' };
  const ben: EntityIds = { userId: 'ben' };

  describe('by default', () => {
    beforeEach(async () => {
      memory = await createMemory({ clock: createManualClock(NOW, { tick: 1 }) });
      // Same agent and same run id: only the user tells them apart.
      [anaId] = (await memory.add('My locker code is 4512', { userId: 'ana', agentId: 'coach', runId: 'r1' })).results.map((r) => r.id) as [string];
      [benId] = (await memory.add('My locker code is 9021', { userId: 'ben', agentId: 'coach', runId: 'r1' })).results.map((r) => r.id) as [string];
    });
    afterEach(() => memory.close());

    it('should give the owner its memory by id when it passes its scope', async () => {
      expect((await memory.get(anaId, ana))!.memory).toBe('My locker code is 4512');
      expect((await memory.get(anaId, { userId: 'ana', agentId: 'coach', runId: 'r1' }))!.memory).toBe('My locker code is 4512');
      await memory.update(anaId, 'My locker code is 7777', ana);
      expect((await memory.history(anaId, ana)).map((h) => h.action)).toEqual(['ADD', 'UPDATE']);
      await memory.delete(anaId, ana);
      expect(await memory.get(anaId, ana)).toBeNull();
    });

    it("should answer another user's id as if it did not exist", async () => {
      expect(await memory.get(anaId, ben)).toBeNull();
      expect(await memory.history(anaId, ben)).toEqual([]);
      for (const attempt of [(id: string) => memory.update(id, 'hijacked', ben), (id: string) => memory.delete(id, ben)]) {
        const foreign = await errorOf(attempt(anaId), anaId);
        expect(foreign).toMatchObject({ code: 'NOT_FOUND' });
        expect(foreign).toEqual(await errorOf(attempt('no-such-id'), 'no-such-id'));
      }
      expect((await memory.get(anaId, ana))!.memory).toBe('My locker code is 4512');
      expect((await memory.history(anaId, ana)).map((h) => h.action)).toEqual(['ADD']);
    });

    it("should keep a deleted memory's history from other users", async () => {
      await memory.delete(anaId, ana);
      expect(await memory.history(anaId, ben)).toEqual([]);
      expect((await memory.history(anaId, ana)).map((h) => h.action)).toEqual(['ADD', 'DELETE']);
    });

    it('should let an agent-only or run-only scope span every user that shares it', async () => {
      const byAgent = await memory.getAll({ agentId: 'coach' });
      expect(byAgent.results.map((r) => r.userId).sort()).toEqual(['ana', 'ben']);
      expect((await memory.getAll({ runId: 'r1' })).results).toHaveLength(2);
      expect((await memory.get(anaId, { agentId: 'coach' }))!.userId).toBe('ana');
      // With the user named, the same agent stays within one user.
      expect((await memory.getAll({ userId: 'ben', agentId: 'coach' })).results.map((r) => r.id)).toEqual([benId]);
      expect(await memory.get(anaId, { userId: 'ben', agentId: 'coach' })).toBeNull();
    });

    it('should still find a memory by id alone when no scope is passed (Mem0 compatible)', async () => {
      expect((await memory.get(anaId))!.userId).toBe('ana');
    });

    it('should refuse a scope that is not an object, has an empty id or a misspelt key', async () => {
      await expect(memory.get(anaId, 'ben' as unknown as EntityIds)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(memory.get(anaId, { userId: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(memory.get(anaId, { user_id: 'ben' } as unknown as EntityIds)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });
  });

  describe('with requireScope: true', () => {
    beforeEach(async () => {
      memory = await createMemory({ clock: createManualClock(NOW, { tick: 1 }), requireScope: true });
      [anaId] = (await memory.add('My locker code is 4512', { userId: 'ana', agentId: 'coach', runId: 'r1' })).results.map((r) => r.id) as [string];
      [benId] = (await memory.add('My locker code is 9021', { userId: 'ben', agentId: 'coach', runId: 'r1' })).results.map((r) => r.id) as [string];
    });
    afterEach(() => memory.close());

    it('should refuse every call that does not name a user, saying what to pass', async () => {
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['get()', () => memory.get(anaId)],
        ['get()', () => memory.get(anaId, { agentId: 'coach' })],
        ['update()', () => memory.update(anaId, 'changed')],
        ['delete()', () => memory.delete(anaId, { runId: 'r1' })],
        ['history()', () => memory.history(anaId)],
        ['add()', () => memory.add('hello', { agentId: 'coach' })],
        ['search()', () => memory.search('locker code', { agentId: 'coach' })],
        ['context()', () => memory.context('locker code', { runId: 'r1' })],
        ['getAll()', () => memory.getAll({ agentId: 'coach' })],
        ['deleteAll()', () => memory.deleteAll({ runId: 'r1' })],
      ];
      for (const [name, call] of calls) {
        const error = await errorOf(call(), anaId);
        expect(error).toMatchObject({ code: 'INVALID_INPUT' });
        expect(error!.message).toContain(`${name} needs a userId`);
      }
      expect((await memory.get(anaId, ana))!.memory).toBe('My locker code is 4512');
      expect((await memory.getAll({ userId: 'ana' })).results).toHaveLength(1);
      expect((await memory.getAll({ userId: 'ben' })).results).toHaveLength(1);
    });

    it('should serve each user only its own memories', async () => {
      expect((await memory.search('locker code', { userId: 'ben', agentId: 'coach' })).results.map((r) => r.id)).toEqual([benId]);
      expect((await memory.context('locker code', { userId: 'ben' })).sources.map((s) => s.id)).toEqual([benId]);
      expect(await memory.get(anaId, ben)).toBeNull();
      await expect(memory.delete(anaId, ben)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await memory.deleteAll({ userId: 'ben', agentId: 'coach' });
      expect((await memory.getAll({ userId: 'ana', agentId: 'coach' })).results.map((r) => r.id)).toEqual([anaId]);
    });

    it('should refuse a requireScope that is not a boolean', async () => {
      await expect(createMemory({ requireScope: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });
  });
});
