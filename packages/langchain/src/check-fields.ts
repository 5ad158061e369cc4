import { NeuroMemError } from 'neuromem';

export const fail = (message: string, field: string) => new NeuroMemError('INVALID_INPUT', message, { module: 'langchain', details: { field } });

/** Throws INVALID_INPUT unless `fields.memory` has the methods the class calls and each named id is a non-empty string. */
export function checkFields(owner: string, fields: unknown, methods: readonly string[], ids: { required: readonly string[]; optional: readonly string[] }): void {
  if (typeof fields !== 'object' || fields === null) throw fail(`new ${owner}() takes { memory, ${ids.required.join(', ')}, ... }.`, 'fields');
  const given = fields as Record<string, unknown>;
  const memory = given.memory as Record<string, unknown> | undefined;
  if (typeof memory !== 'object' || memory === null || methods.some((method) => typeof memory[method] !== 'function')) {
    throw fail(`new ${owner}({ memory }) needs a memory from createMemory().`, 'memory');
  }
  for (const field of [...ids.required, ...ids.optional]) {
    const value = given[field];
    if (value === undefined && ids.optional.includes(field)) continue;
    if (typeof value !== 'string' || value.trim() === '') throw fail(`new ${owner}({ ${field} }) must be a non-empty string, got ${JSON.stringify(value) ?? String(value)}.`, field);
  }
}
