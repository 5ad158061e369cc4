export { createPostgresStore, type PostgresMemoryStore, type PostgresStoreOptions } from './create-postgres-store';
export { migratePostgresStore } from './open-postgres-schema';
