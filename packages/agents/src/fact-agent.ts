import { randomUUID } from 'node:crypto';
import { supports, type AgentAction, type AgentContext, type ChatModel, type JsonValue, type MemoryAgent, type MemoryRecord, type MemoryStore } from '@neuromem/core';
import { EXTRACTIVE, factChains, factMetadata, factOf, factText, factIsUpToDate, summaryPrompt, type FactChain } from './consolidated-facts';
import { isExpired } from './expiry';
import { ownerMemories } from './owner-memories';

/** Facts written, revised or retired per journaled step. */
const STEP = 200;

export interface FactAgentOptions {
  /** Versions a fact keeps, newest first (default 6): older ones stay reachable through the links. */
  maxVersions?: number;
  /**
   * Writes each fact in its own words (what is true now, what was before, with dates) instead of
   * quoting its versions. A call that fails leaves that fact for the next sleep: it is counted
   * (`summaryFailed`) in the run's journal entry and nothing of it is written.
   */
  chatModel?: ChatModel;
}

/** Longest summary a chat model may write for one fact; a longer answer is not a summary. */
const MAX_SUMMARY_CHARS = 2_000;

/**
 * Consolidation, second step: the `supersedes` chains the consolidation agent linked become
 * semantic memories, one per fact: the current statement with its earlier versions and their
 * timeline (`validFrom`/`validTo`), `consolidates` links and provenance to every source. A fact is
 * revised (a new version; the old one stays in history) when its chain grows, and retired when its
 * sources no longer make it. Sources are never changed; a user's update or delete of a source
 * removes the facts made from it at once (see `neuromem`), and a sleep makes them again from what
 * is left.
 *
 * Reward: `context()` tokens for the same recall (a fact stands in for its versions) and current
 * values first, measured by `neuromem-eval updates` and `locomo` before and after a sleep.
 */
export function createFactAgent(options: FactAgentOptions = {}): MemoryAgent {
  const maxVersions = options.maxVersions ?? 6;
  return {
    specVersion: 'neuromem.agent/v1',
    name: 'facts',
    async run(context) {
      const { store, clock, userId, journal, exclusive, deadline, signal } = context;
      const started = clock.now();
      const scope = { userId };
      // A background sleep shares the thread with searches: each read below holds it for a while.
      await giveWay();
      // An expired statement is gone for reads already: no fact quotes it.
      const statements = (await ownerMemories(store, scope, 'episodic')).filter((record) => !isExpired(record.metadata, started));
      const facts = (await ownerMemories(store, scope, 'semantic')).filter((record) => factOf(record) !== undefined);
      const strongest = await strongestLinks(
        store,
        statements.map((record) => record.id),
      );
      await giveWay();
      const chains = factChains(statements, (id) => strongest.get(id), maxVersions);

      // What to do: one fact per chain, found by the chain's root (a fact's identity across sleeps).
      const byRoot = new Map<string, MemoryRecord>();
      const retire: MemoryRecord[] = [];
      for (const fact of facts) {
        const root = factOf(fact)!.root;
        if (byRoot.has(root)) retire.push(fact);
        else byRoot.set(root, fact);
      }
      const roots = new Set(chains.map((chain) => chain.root));
      for (const [root, fact] of byRoot) if (!roots.has(root)) retire.push(fact);
      const work: Array<{ chain?: FactChain; fact?: MemoryRecord }> = [
        ...chains.filter((chain) => !byRoot.has(chain.root) || !factIsUpToDate(byRoot.get(chain.root)!, chain)).map((chain) => ({ chain, fact: byRoot.get(chain.root) })),
        ...retire.map((fact) => ({ fact })),
      ];

      const counts = { facts: chains.length, written: 0, revised: 0, retired: 0, skipped: 0, summarized: 0, summaryFailed: 0 };
      let done = true;
      for (let i = 0; i < work.length; i += STEP) {
        if (signal?.aborted || clock.now() >= deadline) {
          done = false;
          break;
        }
        await giveWay();
        // Texts first, outside the user's write queue: a chat model may take seconds.
        const texts = new Map<(typeof work)[number], string>();
        for (const item of work.slice(i, i + STEP)) {
          if (!item.chain) continue;
          const text = options.chatModel ? await summarize(options.chatModel, item.chain.versions, context) : factText(item.chain.versions);
          if (text === undefined) counts.summaryFailed++;
          else texts.set(item, text);
        }
        if (options.chatModel) counts.summarized += texts.size;
        const batch = work.slice(i, i + STEP).filter((item) => !item.chain || texts.has(item));
        await exclusive(async () => {
          // A user's update or delete during the sleep wins: a chain whose sources changed waits for the next sleep.
          const sources = batch.flatMap((item) => item.chain?.versions.map((record) => record.id) ?? []);
          const current = new Map((await store.getMany(sources, { scope })).map((record) => [record.id, record]));
          const unchanged = (chain: FactChain) => chain.versions.every((record) => current.get(record.id)?.version === record.version);
          const facts = await store.getMany(
            batch.flatMap((item) => (item.fact ? [item.fact.id] : [])),
            { scope },
          );
          const live = new Map(facts.map((record) => [record.id, record]));
          const planned = batch.map((item) => ({ ...item, text: texts.get(item), fact: item.fact ? live.get(item.fact.id) : undefined }));
          const writes = planned.filter((item) => item.chain && unchanged(item.chain));
          counts.skipped += planned.filter((item) => item.chain && !unchanged(item.chain)).length;
          const ids = new Map(writes.filter((item) => !item.fact).map((item) => [item, randomUUID()]));
          const actions: AgentAction[] = [
            ...writes.map(
              (item): AgentAction =>
                item.fact
                  ? { type: 'revise', memoryId: item.fact.id, before: { text: item.fact.text, metadata: item.fact.metadata as { [key: string]: JsonValue } } }
                  : { type: 'put', memoryId: ids.get(item)! },
            ),
            ...writes.flatMap((item) => newLinks(item.fact?.id ?? ids.get(item)!, item.chain!.versions, item.fact)),
            ...planned.filter((item) => !item.chain && item.fact).map((item): AgentAction => ({ type: 'retire', memoryId: item.fact!.id })),
          ];
          await journal.record(actions);
          // One write per kind of change: a put of every new fact, one call for every link.
          const fresh = writes.filter((item) => !item.fact);
          if (fresh.length > 0)
            await store.put(
              fresh.map((item) => {
                const chain = item.chain!;
                const currentStatement = chain.versions.at(-1)!;
                const { sessionId: _session, ...owner } = currentStatement.scope;
                return {
                  // No vectors: a fact is never a search result of its own, it is reached through its versions.
                  text: item.text!,
                  metadata: factMetadata(chain, options.chatModel?.id ?? EXTRACTIVE),
                  id: ids.get(item)!,
                  kind: 'semantic' as const,
                  scope: owner,
                  role: currentStatement.role,
                  eventTime: currentStatement.eventTime,
                  importance: Math.max(...chain.versions.map((record) => record.importance)),
                  source: { type: 'derived' as const, ref: currentStatement.id },
                };
              }),
            );
          counts.written += fresh.length;
          for (const item of writes.filter((item) => item.fact)) {
            await store.update(item.fact!.id, { text: item.text!, metadata: factMetadata(item.chain!, options.chatModel?.id ?? EXTRACTIVE) }, { scope });
            counts.revised++;
          }
          const links = actions.filter((action): action is AgentAction & { type: 'link' } => action.type === 'link');
          if (links.length > 0) await store.link(links.map((link) => ({ from: link.from, to: link.to, type: 'consolidates' as const, weight: 1, label: 'facts' })));
          for (const item of planned.filter((item) => !item.chain && item.fact)) {
            await store.delete(item.fact!.id, { scope });
            counts.retired++;
          }
        });
      }
      return { agent: 'facts', actions: counts, durationMs: clock.now() - started, done };
    },
  };
}

/** The `consolidates` links a fact needs to its chain that it does not have yet (a revised fact keeps its old ones). */
function newLinks(factId: string, chain: readonly MemoryRecord[], existing: MemoryRecord | undefined): Array<AgentAction & { type: 'link' }> {
  const had = new Set(existing ? (factOf(existing)?.timeline.map((version) => version.memoryId) ?? []) : []);
  return chain.filter((record) => !had.has(record.id)).map((record) => ({ type: 'link', from: factId, to: record.id, edgeType: 'consolidates' }));
}

/** Each statement's strongest `supersedes` link: the older statement it most likely updates. */
async function strongestLinks(store: MemoryStore, ids: readonly string[]): Promise<Map<string, string>> {
  const query = { types: ['supersedes'], depth: 1, direction: 'out', limit: 8 } as const;
  const found = new Map<string, string>();
  const pick = (id: string, edges: ReadonlyArray<{ to: string; weight: number; from: string }>) => {
    const best = edges.filter((edge) => edge.from === id).sort((a, b) => b.weight - a.weight)[0];
    if (best) found.set(id, best.to);
  };
  if (supports(store, 'batchNeighbors')) {
    for (let i = 0; i < ids.length; i += 500) {
      for (const [id, neighbors] of await store.neighborsOfMany(ids.slice(i, i + 500), query))
        pick(
          id,
          neighbors.map((neighbor) => neighbor.via),
        );
    }
  } else {
    for (const id of ids)
      pick(
        id,
        (await store.edges(id)).filter((edge) => edge.type === 'supersedes'),
      );
  }
  return found;
}

/** A chat model's text for the fact, or undefined when the call fails, times out or answers nothing usable. */
async function summarize(chatModel: ChatModel, chain: readonly MemoryRecord[], context: AgentContext): Promise<string | undefined> {
  // Never past the sleep's deadline, whatever the model's own timeout.
  const timeout = AbortSignal.timeout(Math.max(1, context.deadline - context.clock.now()));
  const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
  try {
    // A model that does not honour the signal is not waited for either.
    const stopped = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    const { content } = await Promise.race([chatModel.chat(summaryPrompt(chain), { temperature: 0, maxTokens: 200, signal }), stopped]);
    const text = typeof content === 'string' ? content.trim() : '';
    return text.length > 0 && text.length <= MAX_SUMMARY_CHARS ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Lets waiting searches run before the next stretch of work. */
const giveWay = () => new Promise<void>((resolve) => setImmediate(resolve));
