export { createPostgresStore, migratePostgresStore, type PostgresMemoryStore, type PostgresStoreOptions } from './create-postgres-store';
