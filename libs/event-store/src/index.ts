export * from './event-store.port.js';
export * from './event-store.errors.js';
export { Upcasters, type Upcaster } from './upcasters.js';
export { prepareAppend, type PreparedEvent } from './prepare.js';
export {
  DEFAULT_UNAVAILABLE_AFTER_MS,
  LOG_SIZE_SQL,
  PostgresEventStore,
  type ObservedAppend,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store.js';
export { EVENT_STORE_MIGRATIONS, runMigrations, type Migration } from './postgres/migrations.js';
export {
  checkOut,
  isConnectionLoss,
  keepErrorListener,
  ListeningConnection,
  retryWhileUnreachable,
  type HeldConnection,
  type ListeningConnectionOptions,
} from './postgres/connections.js';
// The Merkle tree's stored hashes, for the transparency log that reads them.
export { hashesFromRows, readStoredHashes, readStoredHashRun } from './postgres/stored-hashes.js';
export {
  EVENT_STORE,
  EventStoreModule,
  type EventStoreModuleOptions,
} from './event-store.module.js';
