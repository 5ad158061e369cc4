import { createErrorFactory } from './errors';
import { CAPABILITY_METHODS, type MemoryStore, type StoreCapability, type StoreWith } from './memory-store';

/** True when the store declares the capability and has its method. */
export function supports<C extends StoreCapability>(store: MemoryStore, capability: C): store is StoreWith<C> {
  return store.capabilities[capability] === true && CAPABILITY_METHODS[capability].every((method) => typeof store[method] === 'function');
}

/** The store, typed as having the capability; `UNSUPPORTED` naming it when the store lacks it. */
export function requireCapability<C extends StoreCapability>(store: MemoryStore, capability: C, module = 'core'): StoreWith<C> {
  if (supports(store, capability)) return store;
  const method = CAPABILITY_METHODS[capability].join(', ');
  throw createErrorFactory(module)(
    'UNSUPPORTED',
    `this store does not offer ${capability} (${CAPABILITY_METHODS[capability].map((name) => `${name}()`).join(', ')}); use a store whose capabilities.${capability} is true, such as the default SQLite store.`,
    {
      details: { capability, method },
    },
  );
}
