import { isNeuroMemError } from '@neuromem/core';
import type { FuzzTarget } from './fuzz-target';
import type { FuzzedMethod } from './hostile-arbitraries';

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

/**
 * Judges an accepted call's answer: the shape the method promises, and for `add` that nothing was
 * rewritten (each stored text, speaker and metadata is exactly what was passed). Undefined when fine.
 */
export async function checkResult(target: FuzzTarget, method: FuzzedMethod, args: unknown[], value: unknown): Promise<string | undefined> {
  switch (method) {
    case 'add':
      return checkAdd(args, value);
    case 'search':
    case 'getAll':
      if (!isObject(value) || !Array.isArray(value.results) || !value.results.every(isItem)) return `${method}() answered ${shape(value)}`;
      if (method === 'search' && !value.results.every((item: Loose) => typeof item.score === 'number' && item.score >= 0 && item.score <= 1)) return 'a search score is not in [0, 1]';
      return undefined;
    case 'context': {
      const budget = isObject(args[1]) && args[1].tokenBudget !== undefined ? (args[1].tokenBudget as number) : 1000;
      if (!isObject(value) || typeof value.text !== 'string' || !Array.isArray(value.sources) || !Array.isArray(value.dropped)) return `context() answered ${shape(value)}`;
      return typeof value.tokens === 'number' && value.tokens >= 0 && value.tokens <= budget ? undefined : `context() took ${String(value.tokens)} tokens of a ${budget} budget`;
    }
    case 'get':
      return value === null || isItem(value) ? undefined : `get() answered ${shape(value)}`;
    case 'history':
      return Array.isArray(value) && value.every((row) => isObject(row) && typeof row.memory_id === 'string' && ['ADD', 'UPDATE', 'DELETE', 'PURGE'].includes(row.action as string))
        ? undefined
        : `history() answered ${shape(value)}`;
    case 'update':
    case 'delete':
    case 'deleteAll':
      return isObject(value) && typeof value.message === 'string' ? undefined : `${method}() answered ${shape(value)}`;
    case 'reset':
      if (value !== undefined) return `reset() answered ${shape(value)}`;
      return (await target.memory.store.count()) === 0 ? undefined : 'memories are left after reset()';
    case 'close':
      if (value !== undefined) return `close() answered ${shape(value)}`;
      return target.memory.search('beagle', { userId: 'alice' }).then(
        () => 'search() still answers after close()',
        (error: unknown) => (isNeuroMemError(error, 'CLOSED') ? undefined : 'search() after close() did not answer CLOSED'),
      );
  }
}

function isItem(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string' && typeof value.memory === 'string' && typeof value.eventTime === 'string' && isObject(value.metadata);
}

function checkAdd([messages, options]: unknown[], value: unknown): string | undefined {
  if (!isObject(value) || !Array.isArray(value.results) || !value.results.every(isItem)) return `add() answered ${shape(value)}`;
  const callMetadata = isObject(options) && isObject(options.metadata) ? options.metadata : {};
  const expected =
    typeof messages === 'string'
      ? [{ memory: messages, role: 'user', metadata: callMetadata }]
      : (messages as Loose[])
          .filter((message) => message.role !== 'system')
          .map((message) => ({
            memory: message.content,
            role: message.name ?? message.role,
            metadata: message.metadata === undefined || message.metadata === null ? callMetadata : { ...callMetadata, ...(message.metadata as Loose) },
          }));
  const stored = (value.results as Loose[]).map((item) => ({ memory: item.memory, role: item.role, metadata: item.metadata }));
  const show = (turns: unknown) => JSON.stringify(turns);
  return show(stored) === show(expected) ? undefined : `add() stored ${show(stored).slice(0, 200)} for ${show(expected).slice(0, 200)}`;
}

function shape(value: unknown): string {
  if (!isObject(value)) return String(typeof value);
  return `an object with ${Object.keys(value).slice(0, 6).join(', ') || 'no keys'}`;
}
