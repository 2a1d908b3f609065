export * from './event-store.port.js';
export * from './event-store.errors.js';
export { Upcasters, type Upcaster } from './upcasters.js';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store.js';
export { EVENT_STORE_MIGRATIONS, runMigrations, type Migration } from './postgres/migrations.js';
export { EVENTS_CHANNEL } from './postgres/sequencer.js';
export {
  EVENT_STORE,
  EventStoreModule,
  type EventStoreModuleOptions,
} from './event-store.module.js';
