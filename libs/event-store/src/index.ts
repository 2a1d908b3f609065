export * from './event-store.port.js';
export * from './event-store.errors.js';
export { Upcasters, type Upcaster } from './upcasters.js';
export { prepareAppend, type PreparedEvent } from './prepare.js';
export {
  LOG_SIZE_SQL,
  PostgresEventStore,
  type ObservedAppend,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store.js';
export { EVENT_STORE_MIGRATIONS, runMigrations, type Migration } from './postgres/migrations.js';
export { isConnectionLoss } from './postgres/connections.js';
export {
  EVENT_STORE,
  EventStoreModule,
  type EventStoreModuleOptions,
} from './event-store.module.js';
export {
  CHECKPOINTS_CHANNEL,
  noteWithCosignatures,
  PostgresLedger,
  type InclusionProofResult,
  type LedgerOptions,
  type StoredCheckpoint,
  type StoredCosignature,
} from './ledger/postgres-ledger.js';
export { CheckpointSigner, type CheckpointSignerOptions } from './ledger/checkpoint-signer.js';
export { LedgerModule, type LedgerModuleOptions } from './ledger/ledger.module.js';
export { LEDGER_SERVICE } from './ledger/ledger.tokens.js';
export {
  DEFAULT_TILE_CACHE_BYTES,
  LogTiles,
  type LogTilesOptions,
  type ServedTile,
} from './ledger/log-tiles.js';
// What other contexts' GraphQL APIs share with the log's: event models, live feeds.
export { eventActorFrom } from './graphql/event.mapper.js';
export { EventActorModel } from './graphql/event.models.js';
export { JSONObjectScalar } from './graphql/json-object.scalar.js';
export { LiveArgs } from './graphql/live.args.js';
export { eventFeed, liveIterator } from './graphql/live-feeds.js';
