import { factInMetadata } from '@neuromem/agents';
import type { Memory } from 'neuromem';

/**
 * One entry per consolidated fact of the user (what `getAll({ facts: true })` shows): a problem, or
 * null when the fact is sound. A fact only ever quotes what its owner has now: every version one of
 * `current` (the user's visible memories), and the current one whole, so a deleted, edited or
 * expired statement never lives on in a fact.
 */
export async function factProblems(memory: Memory, userId: string, current: ReadonlyArray<{ id: string; text: string }>): Promise<Array<string | null>> {
  const problems: Array<string | null> = [];
  for (const item of (await memory.getAll({ userId, facts: true })).results) {
    const fact = factInMetadata(item.metadata);
    if (!fact) continue;
    const stale = fact.timeline.filter((version) => !current.some((m) => m.id === version.memoryId));
    const now = current.find((m) => m.id === fact.current);
    const id = item.id.slice(-6);
    if (stale.length > 0) problems.push(`fact ${id} of ${userId} "${item.memory}" quotes memories gone or never theirs (${stale.map((v) => v.memoryId.slice(-6)).join(', ')})`);
    else if (!now || !item.memory.startsWith(now.text)) problems.push(`fact ${id} of ${userId} "${item.memory}" quotes a current statement that is not what it reads now`);
    else problems.push(null);
  }
  return problems;
}
