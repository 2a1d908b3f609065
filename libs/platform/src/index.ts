export { ConfigError, loadConfig, type Config, type EnvironmentSource } from './config/config.js';
export {
  startEmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type RunningPostgres,
} from './database/embedded-postgres.js';
export { CuentaError } from './errors/cuenta-error.js';
