export type { Projection } from './projection.js';
export {
  PROJECTION_LOCK,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionStall,
} from './projection-runner.js';
export {
  PLATFORM_READ_MIGRATIONS,
  READ_SCHEMA,
  openReadDatabase,
  type ReadDatabaseOptions,
} from './read-database.js';
export { readVersion } from './read-version.js';
export {
  ProjectionsModule,
  READ_DATA_SOURCE,
  type ProjectionsModuleOptions,
  type ReadModel,
} from './projections.module.js';
