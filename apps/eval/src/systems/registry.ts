import { createErrorFactory } from '@neuromem/core';
import { createBm25System } from './bm25-system';
import { neuromemSystem } from './neuromem-system';
import { NEUROMEM_VARIANTS, type NeuromemVariantName } from './neuromem-variants';
import type { SystemFactory } from './retrieval-system';
import { createVectorSystem } from './vector-system';
import { createRagSystem } from './rag-system';
import { createSemanticSystem } from './semantic-system';

const fail = createErrorFactory('eval');

/** Every system `--systems` accepts. Ablations switch off one part of NeuroMem's retrieval. */
export const SYSTEMS: Readonly<Record<string, SystemFactory>> = {
  bm25: createBm25System,
  vector: createVectorSystem,
  semantic: createSemanticSystem,
  rag: createRagSystem,
  ...Object.fromEntries((Object.keys(NEUROMEM_VARIANTS) as NeuromemVariantName[]).map((name) => [name, neuromemSystem(name)])),
};

export const DEFAULT_SYSTEMS = ['bm25', 'vector', 'neuromem'];

export function resolveSystems(names: readonly string[]): Array<[string, SystemFactory]> {
  if (names.length === 0) throw fail('INVALID_INPUT', `--systems is empty; choose from ${Object.keys(SYSTEMS).join(', ')}.`);
  return names.map((name) => {
    const factory = SYSTEMS[name];
    if (!factory) throw fail('INVALID_INPUT', `unknown system "${name}"; choose from ${Object.keys(SYSTEMS).join(', ')}.`);
    return [name, factory];
  });
}
