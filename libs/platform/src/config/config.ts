import path from 'node:path';
import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
  type ValidationError,
} from 'class-validator';

/** A configuration value that cannot start the service. The message is one line for a person. */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly actual: string | undefined,
  ) {
    super(`${variable} must be ${expected} (got ${JSON.stringify(actual)})`);
    this.name = 'ConfigError';
  }
}

const integer = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Environment variables the service reads. Each carries the sentence a person sees when it
 * is wrong, so `loadConfig` can name the variable and what it expects.
 */
class Environment {
  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'an integer from 1 to 65535' })
  @Min(1, { message: 'an integer from 1 to 65535' })
  @Max(65535, { message: 'an integer from 1 to 65535' })
  PORT?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[\w.:-]+$/, { message: 'a host name or IP address, e.g. 127.0.0.1' })
  HOST?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'a PostgreSQL URL such as postgres://user@127.0.0.1:5432/cuenta',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'a folder path' })
  CUENTA_DATA_DIR?: string;

  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'an integer port from 0 (pick a free one) to 65535' })
  @Min(0, { message: 'an integer port from 0 (pick a free one) to 65535' })
  @Max(65535, { message: 'an integer port from 0 (pick a free one) to 65535' })
  CUENTA_EMBEDDED_PG_PORT?: number;

  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'an integer from 2 to 200' })
  @Min(2, { message: 'an integer from 2 to 200' })
  @Max(200, { message: 'an integer from 2 to 200' })
  CUENTA_DB_POOL_SIZE?: number;

  @IsOptional()
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'], {
    message: 'one of error, warn, log, debug, verbose',
  })
  CUENTA_LOG_LEVEL?: string;
}

export interface Config {
  /** Interface the HTTP server binds to. */
  host: string;
  port: number;
  /** A server to use; when absent the embedded PostgreSQL in `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Absolute folder for the embedded database and local keys; survives restarts. */
  dataDir: string;
  /** Port for the embedded PostgreSQL; 0 picks a free one at start. */
  embeddedPostgresPort: number;
  poolSize: number;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}

export type EnvironmentSource = Record<string, string | undefined>;

/** Reads and validates the environment. Throws `ConfigError` for the first bad variable. */
export function loadConfig(env: EnvironmentSource = process.env, cwd = process.cwd()): Config {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(Environment, raw);
  const errors = validateSync(parsed, { whitelist: false, forbidUnknownValues: false });
  const first = errors[0];
  if (first) throw toConfigError(first, raw);
  return {
    host: parsed.HOST ?? '127.0.0.1',
    port: parsed.PORT ?? 3000,
    databaseUrl: parsed.DATABASE_URL,
    dataDir: path.resolve(cwd, parsed.CUENTA_DATA_DIR ?? '.cuenta'),
    embeddedPostgresPort: parsed.CUENTA_EMBEDDED_PG_PORT ?? 0,
    poolSize: parsed.CUENTA_DB_POOL_SIZE ?? 10,
    logLevel: (parsed.CUENTA_LOG_LEVEL as Config['logLevel'] | undefined) ?? 'log',
  };
}

function toConfigError(error: ValidationError, raw: Record<string, unknown>): ConfigError {
  const expected = Object.values(error.constraints ?? {})[0] ?? 'valid';
  const value = raw[error.property];
  return new ConfigError(error.property, expected, value === undefined ? undefined : String(value));
}
