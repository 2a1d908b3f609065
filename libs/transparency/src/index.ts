// The transparency log: its service over the event store's Merkle tree, the checkpoint signer,
// its tiles (c2sp.org/tlog-tiles), its Nest module and GraphQL API, the export bundle writer;
// and, re-exported from ./standalone.ts, what runs without the server: the bundle verifier,
// the mirror and the witness.
export {
  CHECKPOINTS_CHANNEL,
  noteWithCosignatures,
  PostgresLedger,
  type InclusionProofResult,
  type LedgerOptions,
  type StoredCheckpoint,
  type StoredCosignature,
} from './log/postgres-ledger.js';
export { CheckpointSigner, type CheckpointSignerOptions } from './log/checkpoint-signer.js';
export { LedgerModule, type LedgerModuleOptions } from './log/ledger.module.js';
export { LEDGER_SERVICE } from './log/ledger.tokens.js';
export {
  DEFAULT_TILE_CACHE_BYTES,
  LogTiles,
  type LogTilesOptions,
  type ServedTile,
} from './log/log-tiles.js';
export { EntryBundles, type StoredBundle } from './log/entry-bundles.js';
export {
  ENTRY_BUNDLE_LOCK,
  EntryBundleFiller,
  type EntryBundleFillerOptions,
  type FillerLease,
} from './log/entry-bundle-filler.js';
export { CheckpointFeed } from './graphql/checkpoint-feed.js';
export { inclusionProofModelOf } from './graphql/ledger.resolver.js';
export { InclusionProofModel } from './graphql/ledger.models.js';
export { LogTilesModule } from './tiles/log-tiles.module.js';
export { exportBundle, type ExportSummary } from './export/export-bundle.js';
export * from './standalone.js';
export {
  decideAddWitness,
  decideRemoveWitness,
  foldRoster,
  LOG_WITNESSES_STREAM,
  RosterRefusal,
  type RosterEvent,
  type RosterWitness,
} from './witnesses/witness-roster.js';
export { WitnessRoster } from './witnesses/witness-roster.service.js';
export {
  WITNESS_PUSH_LOCK,
  WitnessPusher,
  type PushLease,
  type PushOutcome,
  type WitnessPusherOptions,
} from './witnesses/witness-pusher.js';
