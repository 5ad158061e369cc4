import type { Scope } from './memory';

/**
 * Whether an owner (a memory's or a session's scope) lies inside `scope`: every id the scope sets
 * must equal the owner's; ids the scope leaves out match anything. So `{ agentId: 'bot' }` takes in
 * every user of that agent, and an empty scope takes in everyone. The same rule as `MemoryFilter.scope`.
 */
export function inScope(owner: Scope, scope: Scope | undefined): boolean {
  if (scope === undefined) return true;
  return (
    (scope.userId === undefined || owner.userId === scope.userId) &&
    (scope.agentId === undefined || owner.agentId === scope.agentId) &&
    (scope.sessionId === undefined || owner.sessionId === scope.sessionId)
  );
}
