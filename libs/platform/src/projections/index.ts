export type { Projection } from './projection.js';
export { AdvisoryLease } from './projection-lease.js';
export {
  PROJECTION_LOCK,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionStall,
  type ProjectionStatus,
  type RebuildOutcome,
} from './projection-runner.js';
export {
  NotStalledAtError,
  ProjectionStalledError,
  UnknownProjectionError,
  type ParkedEvent,
  type ParkRequest,
} from './parked-events.js';
export {
  PLATFORM_READ_MIGRATIONS,
  READ_SCHEMA,
  openReadDatabase,
  unappliedPlatformReadMigrations,
  type ReadDatabaseOptions,
} from './read-database.js';
export {
  ReadModelsBehindError,
  ReadPositions,
  ReplicaReadPositions,
  type ReadPosition,
  type ReadPositionsOptions,
} from './read-positions.js';
export { readVersion, sharedReadVersion } from './read-version.js';
export {
  ProjectionsModule,
  READ_DATA_SOURCE,
  READ_REPLICAS,
  type ProjectionsModuleOptions,
  type ReadModel,
} from './projections.module.js';
