import { createErrorFactory, validateScope, type Scope } from '@neuromem/core';
import type { EntityIds } from './types';
import { optionsObject } from './validate-options';

const fail = createErrorFactory('neuromem');

const BY_ID_SCOPE_KEYS: readonly string[] = ['userId', 'agentId', 'runId'];

/** How a memory's calls read the owner they are given: checked in this API's words, `requireScope` applied. */
export interface ScopeChecks {
  /** The scope a call acts in; `required` asks for an owner (userId, agentId or runId). */
  scopeOf(ids: EntityIds, required?: boolean, call?: string): Scope;
  /** The owner a by-id call checks; nothing (the id alone decides) when none is given and none is required. */
  ownerCheck(ids: EntityIds | undefined, call: string): { scope?: Scope };
}

export function createScopeChecks({ requireScope }: { requireScope: boolean }): ScopeChecks {
  const scopeOf = (ids: EntityIds, required = true, call = 'this call'): Scope => {
    optionsObject(ids, call);
    // Checked here to say it in this API's words (core's check names the store's sessionId).
    if (required && !requireScope && ids?.userId === undefined && ids?.agentId === undefined && ids?.runId === undefined) {
      throw fail('INVALID_INPUT', `${call} needs an owner: pass at least one of userId, agentId or runId, e.g. { userId: "alice" }.`, { details: { field: 'scope' } });
    }
    const scope = validateScope({ userId: ids?.userId, agentId: ids?.agentId, sessionId: ids?.runId }, { required: required && !requireScope, module: 'neuromem' });
    // An agent or run id alone spans every user that shares it, so a required scope names the user.
    if (requireScope && scope.userId === undefined) {
      throw fail(
        'INVALID_INPUT',
        `${call} needs a userId: this memory was created with requireScope, so pass { userId } (agentId and runId may narrow it further; alone they reach every user that shares them).`,
        { details: { field: 'userId' } },
      );
    }
    return scope;
  };
  /** The owner a by-id call checks; nothing (the id alone decides) when none is given and none is required. */
  const ownerCheck = (ids: EntityIds | undefined, call: string): { scope?: Scope } => {
    if (ids !== undefined && (typeof ids !== 'object' || ids === null || Array.isArray(ids))) {
      throw fail('INVALID_INPUT', `the scope of ${call} must be an object like { userId: "alice" }, got ${ids === null ? 'null' : Array.isArray(ids) ? 'an array' : typeof ids}.`, {
        details: { field: 'scope' },
      });
    }
    // A misspelt key (user_id, sessionId) would otherwise leave the call unchecked.
    const unknown = Object.keys(ids ?? {}).find((key) => !BY_ID_SCOPE_KEYS.includes(key));
    if (unknown !== undefined) throw fail('INVALID_INPUT', `the scope of ${call} takes userId, agentId and runId, not ${JSON.stringify(unknown)}.`, { details: { field: unknown } });
    return { scope: scopeOf(ids ?? {}, false, call) };
  };
  return { scopeOf, ownerCheck };
}
