import type { Memory } from 'neuromem';
import type { ChildLine } from './child-process';

/** What an acknowledged history says a memory must be now. */
interface Expected {
  text: string;
  deleted: boolean;
  /** History actions, oldest first: one per acknowledged add, update and delete. */
  actions: string[];
  /** Round of the last acknowledged change, to attribute a loss. */
  round: number;
}

/** A crash child's `begin` or `ack` line. */
interface CallLine {
  op: string;
  /** Texts sent (begin) or memories returned (ack) by add. */
  texts?: string[];
  ids?: string[];
  id?: string;
  text?: string;
}

/** A call that had started but not returned when its child was killed: it may or may not have committed. */
interface InFlight {
  round: number;
  op: string;
  session: string;
  texts?: string[];
  id?: string;
  text?: string;
}

export interface Finding {
  round: number;
  kind: 'lost' | 'partial' | 'index' | 'history' | 'unexpected';
  message: string;
}

/** Sampled per verification besides the memories changed since the last one. */
const HISTORY_SAMPLE = 50;

/**
 * The state acknowledged writes promise, kept by the crash harness and checked against a reopened
 * memory. A call in flight at a kill is resolved on the next check (all of it or none of it), and
 * its target is kept out of later rounds until then. After a finding the model takes what it found,
 * so one loss is counted once.
 */
export function createCrashModel(userId: string) {
  const memories = new Map<string, Expected>();
  const inFlight: InFlight[] = [];
  const inDoubt = new Set<string>();
  const changed = new Set<string>();
  let unexpected = 0;

  const set = (id: string, expected: Expected) => {
    memories.set(id, expected);
    changed.add(id);
  };
  const change = (id: string, round: number, action: string, patch: Partial<Expected>) => {
    const current = memories.get(id)!;
    set(id, { ...current, ...patch, actions: [...current.actions, action], round });
  };

  return {
    /** Up to `size` current memories the next child may update or delete. */
    pool(random: () => number, size: number): Array<[string, string]> {
      const candidates = [...memories].filter(([id, m]) => !m.deleted && !inDoubt.has(id));
      for (let i = candidates.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
      }
      return candidates.slice(0, size).map(([id, m]) => [id, m.text]);
    },

    /** Applies a child's `ack` line (after its `begin`); returns a finding when the call itself broke a promise. */
    acknowledge(ack: ChildLine, begin: ChildLine, round: number): Finding | undefined {
      const { op, id, text, ids = [], texts = [] } = ack as unknown as CallLine;
      if (op === 'add' || op === 'batch') {
        ids.forEach((newId, i) => set(newId, { text: texts[i]!, deleted: false, actions: ['ADD'], round }));
        const sent = (begin as unknown as CallLine).texts ?? [];
        if (texts.join('\n') !== sent.join('\n')) return { round, kind: 'partial', message: `add of ${sent.length} messages returned [${texts.join(' | ')}]` };
      } else if (op === 'update') change(id!, round, 'UPDATE', { text: text! });
      else if (op === 'delete') change(id!, round, 'DELETE', { deleted: true });
      return undefined;
    },

    /** Records the call a killed child had started but not finished. */
    interrupted(line: ChildLine, round: number, session: string): void {
      const call: InFlight = { round, session, ...(line as unknown as CallLine) };
      if (call.op === 'close') return;
      inFlight.push(call);
      if (call.id !== undefined) inDoubt.add(call.id);
    },

    /** Compares the reopened memory with every acknowledged write. */
    async verify(memory: Memory, random: () => number): Promise<Finding[]> {
      const findings: Finding[] = [];
      for (const call of inFlight.splice(0)) findings.push(...(await resolve(memory, call)));
      inDoubt.clear();

      const ids = [...memories.keys()];
      const found = new Map((await memory.store.getMany(ids)).map((record) => [record.id, record.text]));
      for (const [id, m] of memories) {
        const text = found.get(id);
        if (m.deleted && text !== undefined) {
          findings.push({ round: m.round, kind: 'lost', message: `${id} was deleted (acknowledged) but is back with "${text}"` });
          set(id, { ...m, deleted: false, text });
        } else if (!m.deleted && text !== m.text) {
          findings.push({ round: m.round, kind: 'lost', message: `${id} should read "${m.text}" but ${text === undefined ? 'is missing' : `reads "${text}"`}` });
          set(id, { ...m, deleted: text === undefined, text: text ?? m.text });
        }
      }

      const sample = Array.from({ length: Math.min(HISTORY_SAMPLE, ids.length) }, () => ids[Math.floor(random() * ids.length)]!);
      for (const id of new Set([...changed, ...sample])) {
        const m = memories.get(id)!;
        const actions = (await memory.history(id)).map((entry) => entry.action);
        if (actions.join() !== m.actions.join()) {
          findings.push({ round: m.round, kind: 'history', message: `history of ${id} is [${actions.join(', ')}], expected [${m.actions.join(', ')}]` });
          memories.set(id, { ...m, actions });
        }
      }
      changed.clear();

      const stored = await memory.store.count({ scope: { userId } });
      const expected = [...memories.values()].filter((m) => !m.deleted).length + unexpected;
      if (stored !== expected) {
        const last = Math.max(0, ...[...memories.values()].map((m) => m.round));
        findings.push({ round: last, kind: 'unexpected', message: `${stored} memories stored, ${expected} acknowledged` });
        unexpected += stored - expected;
      }
      return findings;
    },
  };

  /** An interrupted call committed whole or not at all; adopts what it did. */
  async function resolve(memory: Memory, call: InFlight): Promise<Finding[]> {
    if (call.op === 'add' || call.op === 'batch') {
      const { results } = await memory.getAll({ userId, runId: call.session });
      const byText = new Map(results.map((item) => [item.memory, item.id]));
      const present = call.texts!.filter((text) => byText.has(text));
      for (const text of present) set(byText.get(text)!, { text, deleted: false, actions: ['ADD'], round: call.round });
      if (present.length === 0 || present.length === call.texts!.length) return [];
      return [{ round: call.round, kind: 'partial', message: `an interrupted add of ${call.texts!.length} messages left ${present.length} of them` }];
    }
    const record = await memory.store.get(call.id!);
    if (call.op === 'update' && record?.text === call.text) change(call.id!, call.round, 'UPDATE', { text: call.text! });
    if (call.op === 'delete' && record === null) change(call.id!, call.round, 'DELETE', { deleted: true });
    return [];
  }
}
