import { createManualClock, isNeuroMemError } from '@neuromem/core';
import { createRandom } from '@neuromem/core/testing';
import { createMemory, type EntityIds, type Memory } from 'neuromem';
import type { ChaosCheck, ChaosCheckOptions, ChaosCheckResult, ChaosRow } from './chaos-check';
import { createTenantModel, createTenants, inScopeOf, ownerScope, type ModelMemory, type Owner, type Tenant } from './tenant-model';

const AUDIT_EVERY = 500;
const T0 = Date.UTC(2024, 0, 1);
const NAMES = ['Ana', 'Ben', 'Caroline', 'Dev', 'Eli', 'Farah'];
const VERBS = ['booked', 'lost', 'painted', 'sold', 'found', 'ordered'];
const THINGS = ['bike', 'ticket', 'piano', 'laptop', 'passport', 'tent'];
const PLACES = ['Lisbon', 'Oslo', 'Denver', 'Kyoto', 'Lagos', 'Quito'];
const MARKER = /code(\d+)q/g;

export interface TenantIsolationOptions extends ChaosCheckOptions {
  /** Operations on an in-memory memory where callers pass their scopes (requireScope off). */
  operations: number;
  /** Operations on a memory in `workDir` created with `requireScope: true`. */
  diskOperations: number;
  /** Users (8..50 is the intended range). */
  tenants: number;
  /** Replaces the memory under test, e.g. by one that leaks, to show that the check catches it. */
  wrap?: (memory: Memory) => Memory;
}

/**
 * Issue 12: random users, sharing agent and run ids, add, search, read, rewrite, delete and list,
 * often naming ids that belong to other users. A failure is any answer holding another user's memory
 * (or one outside the caller's scope), any change to another user's memory (read back with the
 * owner's scope), and any answer for another user's id that differs from the answer for an unknown id.
 */
export const runTenantIsolation: ChaosCheck = (options) =>
  runTenantIsolationOf({ ...options, operations: options.quick ? 1_000 : 10_000, diskOperations: options.quick ? 300 : 2_500, tenants: options.quick ? 12 : 40 });

export async function runTenantIsolationOf(options: TenantIsolationOptions): Promise<ChaosCheckResult> {
  const runs = [
    { label: 'tenant isolation (in-memory, scopes passed)', operations: options.operations, requireScope: false, seed: options.seed },
    { label: 'tenant isolation (on disk, requireScope)', operations: options.diskOperations, requireScope: true, seed: options.seed + 1, path: options.workDir },
  ].filter((run) => run.operations > 0);
  const total = runs.reduce((sum, run) => sum + run.operations, 0);
  const rows: ChaosRow[] = [];
  const failures: string[] = [];
  const figures: Record<string, number> = { tenantOperations: 0, tenantFailures: 0, tenantForeignIdCalls: 0 };
  let done = 0;
  for (const run of runs) {
    const created = await createMemory({ clock: createManualClock(T0, { tick: 1_000 }), requireScope: run.requireScope, ...(run.path ? { path: run.path } : {}) });
    const memory = options.wrap ? options.wrap(created) : created;
    try {
      const outcome = await runSequence(memory, { ...run, tenants: options.tenants, onStep: () => options.onProgress?.(++done, total) });
      rows.push({
        check: run.label,
        runs: run.operations,
        failures: outcome.failed,
        detail: `${options.tenants} users, ${outcome.foreignCalls.toLocaleString('en')} calls naming another user's id, ${outcome.memories} memories, ${outcome.checkedItems.toLocaleString('en')} returned items checked, ${outcome.audits} audits`,
      });
      failures.push(...outcome.problems);
      figures.tenantOperations! += run.operations;
      figures.tenantFailures! += outcome.failed;
      figures.tenantForeignIdCalls! += outcome.foreignCalls;
    } finally {
      await created.close();
    }
  }
  return { rows, failures, figures };
}

type Settled<T> = { value: T; error?: undefined } | { error: unknown; value?: undefined };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

/** An error as a caller sees it, with the id it named blanked out, so two ids' answers compare. */
function errorShape(error: unknown, id: string): string {
  if (!isNeuroMemError(error)) return `raw ${String(error)}`;
  const blank = (text: string) => text.split(id).join('<id>');
  return JSON.stringify({ code: error.code, module: error.module, message: blank(error.message), details: blank(JSON.stringify(error.details)) });
}

async function runSequence(memory: Memory, run: { label: string; operations: number; requireScope: boolean; seed: number; tenants: number; onStep: () => void }) {
  const random = createRandom(run.seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tenants = createTenants(run.tenants, random);
  const agents = [...new Set(tenants.flatMap((t) => t.agents))];
  const model = createTenantModel();
  const markers = new Map<number, string>(); // marker number -> memory id
  const problems: string[] = [];
  let failed = 0;
  let foreignCalls = 0;
  let audits = 0;
  let checkedItems = 0;
  let step = 0;
  const fail = (what: string) => {
    failed++;
    if (problems.length < 10) problems.push(`${run.label}, seed ${run.seed}, op ${step}: ${what}`);
  };
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const unknownId = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  let nextMarker = 0;
  const sentence = () => `${pick(NAMES)} ${pick(VERBS)} the ${pick(THINGS)} in ${pick(PLACES)}, code${nextMarker++}q`;

  /** A read scope: the user, sometimes narrowed by an agent or run id (not always the caller's own). */
  const callScope = (t: Tenant): EntityIds => ({
    userId: t.userId,
    ...(chance(0.2) ? { agentId: pick(chance(0.7) ? t.agents : agents) } : {}),
    ...(chance(0.2) ? { runId: pick(t.runs) } : {}),
  });
  /** A by-id scope; often the target's own agent and run with the caller's user (the shared-agent attack). */
  const byIdScope = (t: Tenant, target: ModelMemory | undefined): EntityIds => {
    const roll = random();
    if (roll < 0.6 || !target) return { userId: t.userId };
    return roll < 0.85 ? { ...ownerScope(target), userId: t.userId } : callScope(t);
  };
  const pickTarget = (t: Tenant): { id: string; target?: ModelMemory } => {
    const roll = random();
    const own = model.of(t.userId);
    const target = roll < 0.4 && own.length > 0 ? pick(own) : roll < 0.9 && model.size() > 0 ? pick(model.all()) : undefined;
    return target ? { id: target.id, target } : { id: unknownId() };
  };
  const describeHit = (id: string, t: Tenant, scope: EntityIds): string | null => {
    checkedItems++;
    const m = model.get(id);
    if (!m) return `an id the model never saw (${id})`;
    if (m.userId !== t.userId) return `FOREIGN memory ${id} of ${m.userId}`;
    if (m.deleted) return `deleted memory ${id}`;
    return inScopeOf(m, scope) ? null : `out-of-scope memory ${id}`;
  };
  /** Reads the memory back with its owner's scope: it must be exactly as the model says. */
  const verifyOwnerView = async (m: ModelMemory, after: string) => {
    const item = await memory.get(m.id, ownerScope(m));
    if ((item?.memory ?? null) !== (m.deleted ? null : m.text))
      fail(`FOREIGN WRITE: after ${after}, ${m.userId} reads ${m.id} as ${JSON.stringify(item?.memory ?? null)}, expected ${JSON.stringify(m.deleted ? null : m.text)}`);
  };
  const verifyLiveCount = async (after: string) => {
    const live = await memory.store.count();
    if (live !== model.liveCount()) fail(`after ${after} the store holds ${live} live memories, the model ${model.liveCount()}`);
  };

  /** An update or delete by id: allowed exactly when the target is live and inside the scope, else answered as an unknown id. */
  const writeById = async (t: Tenant, kind: 'update' | 'delete') => {
    const { id, target } = pickTarget(t);
    const scope = byIdScope(t, target);
    if (target && target.userId !== t.userId) foreignCalls++;
    const text = sentence();
    const call = (which: string) => (kind === 'update' ? memory.update(which, text, scope) : memory.delete(which, scope));
    const outcome = await settle(call(id));
    const allowed = target !== undefined && !target.deleted && inScopeOf(target, scope);
    if (allowed) {
      if (outcome.error) return fail(`${kind}(${id}) of ${t.userId}'s own memory failed: ${String(outcome.error)}`);
      if (kind === 'delete') model.delete(id);
      else {
        model.update(id, text);
        markers.set(nextMarker - 1, id);
      }
    } else {
      const reference = unknownId();
      const expected = errorShape((await settle(call(reference))).error, reference);
      if (!outcome.error) {
        fail(`${target && target.userId !== t.userId ? 'FOREIGN WRITE' : 'out-of-scope write'}: ${kind}(${id}, ${JSON.stringify(scope)}) by ${t.userId} succeeded`);
        // Keep the model in step so one leak is not counted again by every later check.
        if (target && !target.deleted) {
          if (kind === 'update') model.update(id, text);
          else model.delete(id);
        }
      } else if (errorShape(outcome.error, id) !== expected) {
        fail(`${kind}(${id}) by ${t.userId} answered ${errorShape(outcome.error, id)}, an unknown id ${expected}`);
      }
      if (target) await verifyOwnerView(target, `${t.userId}'s ${kind}`);
    }
    await verifyLiveCount(kind);
  };

  const operations: Array<[weight: number, run: (t: Tenant) => Promise<void>]> = [
    [
      0.22,
      async (t) => {
        const owner: Owner = { userId: t.userId, ...(chance(0.5) ? { agentId: pick(t.agents) } : {}), ...(chance(0.6) ? { runId: pick(t.runs) } : {}) };
        const texts = Array.from({ length: chance(0.3) ? 2 : 1 }, () => ({ text: sentence(), marker: nextMarker - 1 }));
        const { results } = await memory.add(
          texts.map(({ text }) => ({ role: 'user', content: text })),
          ownerScope(owner),
        );
        if (results.length !== texts.length) fail(`add by ${t.userId} stored ${results.length} of ${texts.length} messages`);
        results.forEach((item, i) => {
          if (!inScopeOf(item as Owner, ownerScope(owner)) || item.userId !== t.userId) fail(`add by ${t.userId} stored ${item.id} as ${item.userId}/${item.agentId}/${item.runId}`);
          model.add(item.id, owner, texts[i]!.text);
          markers.set(texts[i]!.marker, item.id);
        });
        await verifyLiveCount('add');
      },
    ],
    [
      0.12,
      async (t) => {
        const scope = callScope(t);
        const fishing = model.size() > 0 && chance(0.5) ? pick(model.all()).text : sentence();
        const { results } = await memory.search(fishing, { ...scope, topK: 10 });
        for (const item of results) {
          const wrong = describeHit(item.id, t, scope);
          if (wrong) fail(`search by ${t.userId} with ${JSON.stringify(scope)} returned ${wrong}`);
        }
      },
    ],
    [
      0.05,
      async (t) => {
        const scope = callScope(t);
        const context = await memory.context(model.size() > 0 ? pick(model.all()).text : sentence(), { ...scope, tokenBudget: 150 });
        const shown = [...context.sources.map((s) => s.id), ...[...context.text.matchAll(MARKER)].map((m) => markers.get(Number(m[1])) ?? `marker ${m[1]}`)];
        for (const id of new Set(shown)) {
          const wrong = describeHit(id, t, scope);
          if (wrong) fail(`context for ${t.userId} with ${JSON.stringify(scope)} showed ${wrong}`);
        }
      },
    ],
    [
      0.16,
      async (t) => {
        const { id, target } = pickTarget(t);
        const scope = byIdScope(t, target);
        if (target && target.userId !== t.userId) foreignCalls++;
        const item = await memory.get(id, scope);
        const visible = target !== undefined && !target.deleted && inScopeOf(target, scope);
        if (visible && item?.memory !== target.text) fail(`get(${id}) of ${t.userId}'s own memory gave ${JSON.stringify(item?.memory ?? null)}, expected ${JSON.stringify(target.text)}`);
        if (!visible && item !== null)
          fail(`${target && target.userId !== t.userId ? 'FOREIGN READ' : 'out-of-scope read'}: get(${id}, ${JSON.stringify(scope)}) by ${t.userId} returned ${item.userId}'s memory`);
      },
    ],
    [
      0.1,
      async (t) => {
        const { id, target } = pickTarget(t);
        const scope = byIdScope(t, target);
        if (target && target.userId !== t.userId) foreignCalls++;
        const actions = (await memory.history(id, scope)).map((row) => row.action);
        const expected = target && inScopeOf(target, scope) ? target.events : [];
        if (actions.join() !== expected.join())
          fail(
            `${target && target.userId !== t.userId && actions.length > 0 ? 'FOREIGN READ: ' : ''}history(${id}, ${JSON.stringify(scope)}) by ${t.userId} gave [${actions}], expected [${expected}]`,
          );
      },
    ],
    [
      0.08,
      async (t) => {
        const scope = callScope(t);
        const { results } = await memory.getAll(scope);
        for (const item of results) {
          const wrong = describeHit(item.id, t, scope);
          if (wrong) fail(`getAll by ${t.userId} with ${JSON.stringify(scope)} returned ${wrong}`);
        }
        if (results.length !== model.live(scope).length) fail(`getAll by ${t.userId} with ${JSON.stringify(scope)} gave ${results.length} memories, the model ${model.live(scope).length}`);
      },
    ],
    [0.12, (t) => writeById(t, 'update')],
    [0.08, (t) => writeById(t, 'delete')],
    [
      0.02,
      async (t) => {
        const scope: EntityIds = chance(0.15) ? { userId: t.userId } : chance(0.5) ? { userId: t.userId, agentId: pick(t.agents) } : { userId: t.userId, runId: pick(t.runs) };
        const expected = model.live(scope);
        const { message } = await memory.deleteAll(scope);
        expected.forEach((m) => model.delete(m.id));
        if (!message.includes(`(${expected.length})`)) fail(`deleteAll(${JSON.stringify(scope)}) by ${t.userId} said "${message}", expected ${expected.length} deleted`);
        await verifyLiveCount('deleteAll');
      },
    ],
    [
      0.05,
      async (t) => {
        // Without requireScope an agent- or run-only scope spans users by design: check it spans exactly those.
        const scope: EntityIds = run.requireScope
          ? chance(0.3)
            ? {}
            : chance(0.5)
              ? { agentId: pick(t.agents) }
              : { runId: pick(t.runs) }
          : chance(0.5)
            ? { agentId: pick(agents) }
            : { runId: pick(t.runs) };
        if (!run.requireScope) {
          const { results } = await memory.getAll(scope);
          const expected = model
            .live(scope)
            .map((m) => m.id)
            .sort()
            .join();
          if (
            results
              .map((r) => r.id)
              .sort()
              .join() !== expected
          )
            fail(`getAll(${JSON.stringify(scope)}) gave ${results.length} memories, the model ${model.live(scope).length}`);
          return;
        }
        const { id } = pickTarget(t);
        const calls: Array<() => Promise<unknown>> = [
          () => memory.get(id, scope),
          () => memory.history(id),
          () => memory.update(id, sentence(), scope),
          () => memory.delete(id, scope),
          () => memory.getAll(scope),
          () => memory.search('ticket', scope),
          () => memory.deleteAll(scope),
          () => memory.add('hello', scope),
        ];
        const outcome = await settle(pick(calls)());
        if (!isNeuroMemError(outcome.error, 'INVALID_INPUT'))
          fail(`a call without a userId (${JSON.stringify(scope)}) was not refused under requireScope: ${outcome.error ? String(outcome.error) : 'it succeeded'}`);
        await verifyLiveCount('a refused call');
      },
    ],
  ];
  const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);

  /** Every user reads back all its memories and a few histories with its own scope. */
  const audit = async () => {
    audits++;
    for (const t of tenants) {
      const { results } = await memory.getAll({ userId: t.userId });
      const expected = model.live({ userId: t.userId });
      const got = new Map(results.map((item) => [item.id, item.memory]));
      if (got.size !== expected.length || expected.some((m) => got.get(m.id) !== m.text)) fail(`audit: ${t.userId} reads ${got.size} memories, the model has ${expected.length} (or a text differs)`);
      for (const m of model.of(t.userId).slice(-3)) {
        const actions = (await memory.history(m.id, ownerScope(m))).map((row) => row.action);
        if (actions.join() !== m.events.join()) fail(`audit: history of ${m.id} is [${actions}], the model [${m.events}]`);
      }
    }
  };

  for (step = 1; step <= run.operations; step++) {
    const t = pick(tenants);
    let roll = random() * totalWeight;
    const [, operation] = operations.find(([weight]) => (roll -= weight) < 0) ?? operations[0]!;
    try {
      await operation(t);
    } catch (error) {
      fail(`${t.userId}'s call threw ${isNeuroMemError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    }
    if (step % AUDIT_EVERY === 0) await audit();
    run.onStep();
  }
  await audit();
  return { failed, problems, foreignCalls, audits, checkedItems, memories: model.size() };
}
