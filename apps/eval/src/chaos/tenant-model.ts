import type { EntityIds } from 'neuromem';

/** Who a memory belongs to, as it was added. */
export interface Owner {
  userId: string;
  agentId?: string;
  runId?: string;
}

/** What the property test expects the memory to hold: every memory ever added, deleted ones too. */
export interface ModelMemory extends Owner {
  id: string;
  text: string;
  deleted: boolean;
  /** Its history actions, oldest first. */
  events: Array<'ADD' | 'UPDATE' | 'DELETE'>;
}

/** One tenant: a user with the agents and run ids it uses, some of them shared with other users. */
export interface Tenant {
  userId: string;
  agents: string[];
  runs: string[];
}

/**
 * The documented scope rule: every id the scope sets equals the memory's; ids left out match anything.
 * Written apart from core's `inScope` on purpose: the oracle must not share the code it checks.
 */
export function inScopeOf(owner: Owner, scope: EntityIds | undefined): boolean {
  if (scope === undefined) return true;
  return (
    (scope.userId === undefined || scope.userId === owner.userId) && (scope.agentId === undefined || scope.agentId === owner.agentId) && (scope.runId === undefined || scope.runId === owner.runId)
  );
}

/** The owner's own full scope: the one that must always see its memory as the model says. */
export const ownerScope = (owner: Owner): EntityIds => ({ userId: owner.userId, ...(owner.agentId ? { agentId: owner.agentId } : {}), ...(owner.runId ? { runId: owner.runId } : {}) });

/**
 * `count` users over a small pool of agents (about one per four users) and of run ids (six), so
 * agents and run ids are shared across users, as real apps share them.
 */
export function createTenants(count: number, random: () => number): Tenant[] {
  const agents = Array.from({ length: Math.max(2, Math.ceil(count / 4)) }, (_, i) => `agent-${i}`);
  const runs = Array.from({ length: 6 }, (_, i) => `run-${i}`);
  const some = (pool: string[], most: number) => [...new Set(Array.from({ length: 1 + Math.floor(random() * most) }, () => pool[Math.floor(random() * pool.length)]!))];
  return Array.from({ length: count }, (_, i) => ({ userId: `user-${i}`, agents: some(agents, 2), runs: some(runs, 3) }));
}

/** Who owns what, as the operations so far should have left it. */
export function createTenantModel() {
  const memories = new Map<string, ModelMemory>();
  const all: ModelMemory[] = [];
  const byUser = new Map<string, ModelMemory[]>();
  return {
    add(id: string, owner: Owner, text: string): void {
      const memory: ModelMemory = { ...owner, id, text, deleted: false, events: ['ADD'] };
      memories.set(id, memory);
      all.push(memory);
      byUser.set(owner.userId, [...(byUser.get(owner.userId) ?? []), memory]);
    },
    update(id: string, text: string): void {
      const memory = memories.get(id)!;
      memory.text = text;
      memory.events.push('UPDATE');
    },
    delete(id: string): void {
      const memory = memories.get(id)!;
      memory.deleted = true;
      memory.events.push('DELETE');
    },
    get: (id: string): ModelMemory | undefined => memories.get(id),
    /** Live memories inside the scope, in the order they were added. */
    live: (scope: EntityIds): ModelMemory[] => all.filter((memory) => !memory.deleted && inScopeOf(memory, scope)),
    liveCount: (): number => all.reduce((n, memory) => n + (memory.deleted ? 0 : 1), 0),
    all: (): readonly ModelMemory[] => all,
    of: (userId: string): readonly ModelMemory[] => byUser.get(userId) ?? [],
    size: (): number => all.length,
  };
}

export type TenantModel = ReturnType<typeof createTenantModel>;
