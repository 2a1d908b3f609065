export {
  algorithmFor,
  ConfigError,
  JWT_ALGORITHMS,
  loadConfig,
  LOCAL_TOKEN_AUDIENCE,
  LOCAL_TOKEN_ISSUER,
  parsePublicKey,
  type AuthConfig,
  type Config,
  type EnvironmentSource,
  type GraphQLLimitsConfig,
  type MetricsConfig,
  type JwtAlgorithm,
  type RateLimitConfig,
  type TokenKeySource,
} from './config/config.js';
export {
  blockedFolder,
  DataFolderUnreachableError,
  startEmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type FileUser,
  type RunningPostgres,
} from './database/embedded-postgres.js';
export { CuentaError } from './errors/cuenta-error.js';
export * from './auth/index.js';
export * from './graphql/index.js';
export * from './commands/index.js';
export { CallerRateLimiter, RateLimitedError } from './rate-limit/rate-limiter.js';
export { InvalidInputError, inputValidationPipe } from './errors/invalid-input.error.js';
export {
  firstInputProblem,
  textProblem,
  type InputProblem,
  type RefusedValue,
} from './errors/input-text.js';
export { DEFAULT_LOG_ORIGIN, loadLedgerConfig, type LedgerConfig } from './config/ledger-config.js';
export { loadOrCreateLogKey, LogKeyError } from './keys/log-key.js';
export { openDatabase, type DatabaseHandle } from './database/open-database.js';
export {
  ReadReplica,
  ReadReplicas,
  readFromPrimary,
  readScopeMiddleware,
  recordOperation,
  routeDataSourceReads,
  routePoolReads,
  withReadScope,
  type ReadReplicaOptions,
  type ReadReplicasOptions,
} from './database/read-replicas.js';
export * from './projections/index.js';
export * from './logging/index.js';
export * from './contexts/index.js';
export * from './personal-data/index.js';
