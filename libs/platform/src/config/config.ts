import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
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

/** `@Min`, `@Max` and `@IsInt` with one sentence, for integer variables. */
export function IntegerBetween(
  min: number,
  max: number,
  sentence = `an integer from ${min} to ${max}`,
) {
  return (target: object, property: string) => {
    Transform(integer)(target, property);
    IsInt({ message: sentence })(target, property);
    Min(min, { message: sentence })(target, property);
    Max(max, { message: sentence })(target, property);
  };
}

export const JWT_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
const OIDC_URL = /^(https:\/\/\S+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/\S*)?)$/;
const URL_SENTENCE = '(http only for localhost)';

/**
 * Environment variables the service reads. Each carries the sentence a person sees when it
 * is wrong, so `loadConfig` can name the variable and what it expects.
 */
class Environment {
  @IsOptional()
  @IntegerBetween(1, 65535)
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
  @Matches(/^postgres(ql)?:\/\/[^\s,]+(\s*,\s*postgres(ql)?:\/\/[^\s,]+)*$/, {
    message:
      'one or more PostgreSQL URLs of streaming replicas, separated by commas, such as ' +
      'postgres://user@10.0.0.2:5432/cuenta,postgres://user@10.0.0.3:5432/cuenta',
  })
  DATABASE_READ_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'a folder path' })
  CUENTA_DATA_DIR?: string;

  @IsOptional()
  @IntegerBetween(0, 65535, 'an integer port from 0 (pick a free one) to 65535')
  CUENTA_EMBEDDED_PG_PORT?: number;

  @IsOptional()
  @IntegerBetween(2, 200)
  CUENTA_DB_POOL_SIZE?: number;

  @IsOptional()
  @IntegerBetween(1, 86_400, 'a number of seconds from 1 to 86400')
  CUENTA_SUBSCRIPTION_OUTAGE_SECONDS?: number;

  @IsOptional()
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'], {
    message: 'one of error, warn, log, debug, verbose',
  })
  CUENTA_LOG_LEVEL?: string;

  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'json or pretty' })
  CUENTA_LOG_FORMAT?: string;

  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  // Access (docs/security.md): token verification, roles, GraphQL limits, rate limits.

  @IsOptional()
  @Matches(/\S/, { message: 'a public key as PEM (SPKI) or JWK JSON' })
  CUENTA_JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @Matches(/\S/, { message: 'the path of a file holding a public key as PEM or JWK JSON' })
  CUENTA_JWT_PUBLIC_KEY_FILE?: string;

  @IsOptional()
  @Matches(OIDC_URL, {
    message: `the issuer URL of an OpenID Connect provider ${URL_SENTENCE}, e.g. https://sso.example.org/realms/cuenta`,
  })
  CUENTA_OIDC_ISSUER?: string;

  @IsOptional()
  @Matches(OIDC_URL, { message: `the URL of a JSON Web Key Set ${URL_SENTENCE}` })
  CUENTA_JWKS_URL?: string;

  @IsOptional()
  @Matches(/^\S+$/, { message: 'the expected "iss" claim of tokens, without spaces' })
  CUENTA_JWT_ISSUER?: string;

  @IsOptional()
  @Matches(/^\S+$/, { message: 'the expected "aud" claim of tokens, without spaces' })
  CUENTA_JWT_AUDIENCE?: string;

  @IsOptional()
  @Matches(/^\s*(EdDSA|ES256|RS256)(\s*,\s*(EdDSA|ES256|RS256))*\s*$/, {
    message: 'a comma-separated list of EdDSA, ES256, RS256',
  })
  CUENTA_JWT_ALGORITHMS?: string;

  @IsOptional()
  @IntegerBetween(0, 300, 'a number of seconds from 0 to 300')
  CUENTA_JWT_CLOCK_TOLERANCE_SECONDS?: number;

  @IsOptional()
  @Matches(/^[^\s.]+(\.[^\s.]+)*$/, {
    message: 'a claim name or a dotted path such as realm_access.roles',
  })
  CUENTA_ROLES_CLAIM?: string;

  @IsOptional()
  @Matches(/^[^\s.]+(\.[^\s.]+)*$/, {
    message: 'a claim name or a dotted path such as cuenta.agencies',
  })
  CUENTA_AGENCIES_CLAIM?: string;

  @IsOptional()
  @Matches(/^\S{32,}$/, { message: 'a secret of at least 32 characters without spaces' })
  CUENTA_ANONYMOUS_ID_SECRET?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'true or false' })
  CUENTA_GRAPHQL_INTROSPECTION?: string;

  @IsOptional()
  @IntegerBetween(1, 100)
  CUENTA_GRAPHQL_MAX_DEPTH?: number;

  @IsOptional()
  @IntegerBetween(1, 10_000_000)
  CUENTA_GRAPHQL_MAX_COST?: number;

  @IsOptional()
  @IntegerBetween(0, 1000)
  CUENTA_GRAPHQL_MAX_ALIASES?: number;

  @IsOptional()
  @IntegerBetween(0, 1000)
  CUENTA_GRAPHQL_MAX_DIRECTIVES?: number;

  @IsOptional()
  @IntegerBetween(10, 1_000_000)
  CUENTA_GRAPHQL_MAX_TOKENS?: number;

  @IsOptional()
  @IntegerBetween(1, 100)
  CUENTA_GRAPHQL_MAX_BATCH?: number;

  @IsOptional()
  @IntegerBetween(1024, 104_857_600, 'a number of bytes from 1024 to 104857600')
  CUENTA_GRAPHQL_MAX_BODY_BYTES?: number;

  @IsOptional()
  @Matches(/\S/, { message: 'the path of a JSON file mapping SHA-256 hashes to operations' })
  CUENTA_GRAPHQL_PERSISTED_OPERATIONS?: string;

  @IsOptional()
  @IntegerBetween(1, 86_400, 'a number of seconds from 1 to 86400')
  CUENTA_RATE_LIMIT_WINDOW_SECONDS?: number;

  @IsOptional()
  @IntegerBetween(0, 1_000_000, 'a number of requests from 0 (no limit) to 1000000')
  CUENTA_RATE_LIMIT_ANONYMOUS?: number;

  @IsOptional()
  @IntegerBetween(0, 1_000_000, 'a number of requests from 0 (no limit) to 1000000')
  CUENTA_RATE_LIMIT_AUTHENTICATED?: number;

  @IsOptional()
  @IntegerBetween(0, 10, 'a number of proxy hops from 0 to 10')
  CUENTA_TRUST_PROXY?: number;

  @IsOptional()
  @IntegerBetween(0, 4096, 'a number of MiB from 0 (no cache) to 4096')
  CUENTA_READ_CACHE_MB?: number;

  @IsOptional()
  @IntegerBetween(0, 60_000, 'a number of milliseconds from 0 (no wait) to 60000')
  CUENTA_READ_WAIT_MS?: number;

  @IsOptional()
  @IntegerBetween(0, 60_000, 'a number of milliseconds from 0 (no wait) to 60000')
  CUENTA_REPLICA_WAIT_MS?: number;

  @IsOptional()
  @IntegerBetween(0, 1_000_000_000, 'a number of events from 0 to 1000000000')
  CUENTA_READY_MAX_LAG?: number;

  @IsOptional()
  @IntegerBetween(1, 65535)
  CUENTA_METRICS_PORT?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[\w.:-]+$/, { message: 'a host name or IP address, e.g. 127.0.0.1' })
  CUENTA_METRICS_HOST?: string;

  @IsOptional()
  @Matches(/^\S{32,}$/, { message: 'a secret of at least 32 characters without spaces' })
  CUENTA_METRICS_TOKEN?: string;
}

/**
 * Where the keys that verify bearer tokens come from: the local key pair of the embedded
 * default (kept in `<dataDir>/keys`, used by `cuenta token`), a configured public key, or
 * an OpenID Connect provider's JSON Web Key Set.
 */
export type TokenKeySource =
  | { kind: 'local' }
  | { kind: 'public-key'; key: KeyObject }
  | { kind: 'public-key-file'; file: string }
  | { kind: 'jwks'; oidcIssuer: string | undefined; jwksUrl: string | undefined };

export interface AuthConfig {
  keys: TokenKeySource;
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud`. */
  audience: string;
  /** Accepted `alg` values; `none` and HMAC never are. Undefined: inferred from the key. */
  algorithms: JwtAlgorithm[] | undefined;
  clockToleranceSeconds: number;
  /** Claim (or dotted path, e.g. `realm_access.roles`) that lists the caller's roles. */
  rolesClaim: string;
  /** Claim (or dotted path) that lists a steward's agencies. */
  agenciesClaim: string;
  /** Keys pseudonymous ids of anonymous callers; undefined: generated in `<dataDir>/keys`. */
  anonymousIdSecret: string | undefined;
}

export interface GraphQLLimitsConfig {
  introspection: boolean;
  maxDepth: number;
  /** Cost as counted by graphql-armor, lists multiplied by their `first`/`last` page size. */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Operations in one batched HTTP request. */
  maxBatch: number;
  /** Largest request body (HTTP) or message (graphql-ws), in bytes. */
  maxBodyBytes: number;
  /** Absolute path of the allow-list of operations; undefined: any operation. */
  persistedOperations: string | undefined;
}

export interface RateLimitConfig {
  windowSeconds: number;
  /** Requests per window per IP address for callers without a token; 0 is no limit. */
  anonymous: number;
  /** Requests per window per token subject; 0 is no limit. */
  authenticated: number;
}

/** Issuer and audience of the tokens `cuenta token` mints for the embedded default. */
export const LOCAL_TOKEN_ISSUER = 'urn:cuenta:local';
export const LOCAL_TOKEN_AUDIENCE = 'cuenta';

export interface Config {
  /** Interface the HTTP server binds to. */
  host: string;
  port: number;
  /** A server to use; when absent the embedded PostgreSQL in `dataDir` is used. */
  databaseUrl: string | undefined;
  /**
   * Streaming replicas of `databaseUrl` (DATABASE_READ_URL) that GraphQL queries read from;
   * empty: every read goes to the primary.
   */
  readReplicaUrls: string[];
  /**
   * How long a read with a minimum position waits for its replica to replay that far before
   * it reads from the primary instead, in ms.
   */
  replicaWaitMs: number;
  /** Absolute folder for the embedded database and local keys; survives restarts. */
  dataDir: string;
  /** Port for the embedded PostgreSQL; 0 picks a free one at start. */
  embeddedPostgresPort: number;
  poolSize: number;
  /**
   * How long a live subscription waits out an unreachable database, retrying its reads,
   * before it ends with DATABASE_UNAVAILABLE (seconds).
   */
  subscriptionOutageSeconds: number;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** One JSON object per line (production), or readable lines (development). */
  logFormat: 'json' | 'pretty';
  /** Reverse proxies in front of the API whose X-Forwarded-For is trusted (0: none). */
  trustProxy: number;
  auth: AuthConfig;
  graphql: GraphQLLimitsConfig;
  rateLimit: RateLimitConfig;
  /** Memory for answers to public reads (see readCachePlugin), in bytes; 0: no cache. */
  readCacheBytes: number;
  /**
   * How long a mutation waits for the read models to apply its events before it answers,
   * and a read with a minimum position for them to reach it (see ReadPositions), in ms.
   */
  readWaitMs: number;
  /**
   * How many events of the log a projection may not hold yet while /health/ready still says
   * the server is ready.
   */
  readyMaxLag: number;
  /** The Prometheus endpoint: its own port (none: not served), host and bearer token. */
  metrics: MetricsConfig;
}

export interface MetricsConfig {
  port: number | undefined;
  host: string;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | undefined;
}

export type EnvironmentSource = Record<string, string | undefined>;

/** Reads and validates the environment. Throws `ConfigError` for the first bad variable. */
export function loadConfig(env: EnvironmentSource = process.env, cwd = process.cwd()): Config {
  const parsed = readEnvironment(Environment, env);
  const dataDir = path.resolve(cwd, parsed.CUENTA_DATA_DIR ?? '.cuenta');
  return {
    host: parsed.HOST ?? '127.0.0.1',
    port: parsed.PORT ?? 3000,
    databaseUrl: parsed.DATABASE_URL,
    readReplicaUrls: readReplicaUrls(parsed),
    replicaWaitMs: parsed.CUENTA_REPLICA_WAIT_MS ?? 500,
    dataDir,
    embeddedPostgresPort: parsed.CUENTA_EMBEDDED_PG_PORT ?? 0,
    poolSize: parsed.CUENTA_DB_POOL_SIZE ?? 10,
    subscriptionOutageSeconds: parsed.CUENTA_SUBSCRIPTION_OUTAGE_SECONDS ?? 60,
    logLevel: (parsed.CUENTA_LOG_LEVEL as Config['logLevel'] | undefined) ?? 'log',
    logFormat:
      (parsed.CUENTA_LOG_FORMAT as Config['logFormat'] | undefined) ??
      (parsed.NODE_ENV === 'production' ? 'json' : 'pretty'),
    trustProxy: parsed.CUENTA_TRUST_PROXY ?? 0,
    auth: authConfig(parsed),
    graphql: {
      introspection: parsed.CUENTA_GRAPHQL_INTROSPECTION !== 'false',
      maxDepth: parsed.CUENTA_GRAPHQL_MAX_DEPTH ?? 10,
      maxCost: parsed.CUENTA_GRAPHQL_MAX_COST ?? 10_000,
      maxAliases: parsed.CUENTA_GRAPHQL_MAX_ALIASES ?? 15,
      maxDirectives: parsed.CUENTA_GRAPHQL_MAX_DIRECTIVES ?? 50,
      maxTokens: parsed.CUENTA_GRAPHQL_MAX_TOKENS ?? 2000,
      maxBatch: parsed.CUENTA_GRAPHQL_MAX_BATCH ?? 10,
      maxBodyBytes: parsed.CUENTA_GRAPHQL_MAX_BODY_BYTES ?? 102_400,
      persistedOperations:
        parsed.CUENTA_GRAPHQL_PERSISTED_OPERATIONS === undefined
          ? undefined
          : path.resolve(cwd, parsed.CUENTA_GRAPHQL_PERSISTED_OPERATIONS),
    },
    rateLimit: {
      windowSeconds: parsed.CUENTA_RATE_LIMIT_WINDOW_SECONDS ?? 60,
      anonymous: parsed.CUENTA_RATE_LIMIT_ANONYMOUS ?? 120,
      authenticated: parsed.CUENTA_RATE_LIMIT_AUTHENTICATED ?? 1200,
    },
    readCacheBytes: (parsed.CUENTA_READ_CACHE_MB ?? 32) * 2 ** 20,
    readWaitMs: parsed.CUENTA_READ_WAIT_MS ?? 5000,
    readyMaxLag: parsed.CUENTA_READY_MAX_LAG ?? 1000,
    metrics: {
      port: parsed.CUENTA_METRICS_PORT,
      host: parsed.CUENTA_METRICS_HOST ?? '127.0.0.1',
      token: parsed.CUENTA_METRICS_TOKEN,
    },
  };
}

/** DATABASE_READ_URL's replicas; only beside a DATABASE_URL, the primary they follow. */
function readReplicaUrls(parsed: Environment): string[] {
  if (parsed.DATABASE_READ_URL === undefined) return [];
  if (parsed.DATABASE_URL === undefined) {
    throw new ConfigError(
      'DATABASE_READ_URL',
      'unset unless DATABASE_URL is set too (replicas follow a PostgreSQL server of your own, ' +
        'not the embedded one)',
      parsed.DATABASE_READ_URL,
    );
  }
  return parsed.DATABASE_READ_URL.split(',').map((url) => url.trim());
}

/** Token verification settings; the checks that span several variables live here. */
function authConfig(parsed: Environment): AuthConfig {
  const keySources = (
    ['CUENTA_JWT_PUBLIC_KEY', 'CUENTA_JWT_PUBLIC_KEY_FILE', 'CUENTA_OIDC_ISSUER'] as const
  ).filter((name) => parsed[name] !== undefined);
  if (keySources.length > 1) {
    throw new ConfigError(
      keySources[1],
      `unset when ${keySources[0]} is set (one source of token keys)`,
      parsed[keySources[1]],
    );
  }
  let keys: TokenKeySource = { kind: 'local' };
  if (parsed.CUENTA_JWT_PUBLIC_KEY !== undefined) {
    keys = { kind: 'public-key', key: parsePublicKey(parsed.CUENTA_JWT_PUBLIC_KEY) };
  } else if (parsed.CUENTA_JWT_PUBLIC_KEY_FILE !== undefined) {
    keys = { kind: 'public-key-file', file: path.resolve(parsed.CUENTA_JWT_PUBLIC_KEY_FILE) };
  } else if (parsed.CUENTA_OIDC_ISSUER !== undefined || parsed.CUENTA_JWKS_URL !== undefined) {
    keys = { kind: 'jwks', oidcIssuer: parsed.CUENTA_OIDC_ISSUER, jwksUrl: parsed.CUENTA_JWKS_URL };
  }
  if (keys.kind !== 'jwks' && keys.kind !== 'local' && parsed.CUENTA_JWKS_URL !== undefined) {
    throw new ConfigError(
      'CUENTA_JWKS_URL',
      `unset when ${keySources[0]} is set (one source of token keys)`,
      parsed.CUENTA_JWKS_URL,
    );
  }
  const external = keys.kind !== 'local';
  const issuer =
    parsed.CUENTA_JWT_ISSUER ??
    parsed.CUENTA_OIDC_ISSUER ??
    (external ? undefined : LOCAL_TOKEN_ISSUER);
  if (issuer === undefined) {
    throw new ConfigError(
      'CUENTA_JWT_ISSUER',
      `set to the "iss" of your tokens when ${keySources[0] ?? 'CUENTA_JWKS_URL'} is set`,
      undefined,
    );
  }
  const audience = parsed.CUENTA_JWT_AUDIENCE ?? (external ? undefined : LOCAL_TOKEN_AUDIENCE);
  if (audience === undefined) {
    throw new ConfigError(
      'CUENTA_JWT_AUDIENCE',
      `set to the "aud" your tokens carry for this API when ${keySources[0] ?? 'CUENTA_JWKS_URL'} is set`,
      undefined,
    );
  }
  const algorithms = parsed.CUENTA_JWT_ALGORITHMS?.split(',').map(
    (name) => name.trim() as JwtAlgorithm,
  );
  if (keys.kind === 'public-key' && algorithms) {
    const fitting = algorithmFor(keys.key);
    if (!algorithms.includes(fitting)) {
      throw new ConfigError(
        'CUENTA_JWT_ALGORITHMS',
        `a list that includes ${fitting}, the algorithm of CUENTA_JWT_PUBLIC_KEY`,
        parsed.CUENTA_JWT_ALGORITHMS,
      );
    }
  }
  return {
    keys,
    issuer,
    audience,
    algorithms: algorithms ? [...new Set(algorithms)] : undefined,
    clockToleranceSeconds: parsed.CUENTA_JWT_CLOCK_TOLERANCE_SECONDS ?? 5,
    rolesClaim: parsed.CUENTA_ROLES_CLAIM ?? 'cuenta_roles',
    agenciesClaim: parsed.CUENTA_AGENCIES_CLAIM ?? 'cuenta_agencies',
    anonymousIdSecret: parsed.CUENTA_ANONYMOUS_ID_SECRET,
  };
}

const KEY_SENTENCE = 'an Ed25519, P-256 or RSA (2048 bits or more) public key as PEM (SPKI) or JWK';

/**
 * Reads a verification key from PEM or JWK text. Throws `ConfigError` naming `variable` for
 * anything else: private keys, symmetric keys, other curves, RSA under 2048 bits.
 */
export function parsePublicKey(text: string, variable = 'CUENTA_JWT_PUBLIC_KEY'): KeyObject {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  let key: KeyObject;
  // createPublicKey would derive the public half of a private key: refuse those outright.
  if (/PRIVATE KEY|"d"\s*:/.test(text)) throw new ConfigError(variable, KEY_SENTENCE, shown);
  try {
    const trimmed = text.trim();
    key = trimmed.startsWith('{')
      ? createPublicKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
      : createPublicKey(trimmed);
  } catch {
    throw new ConfigError(variable, KEY_SENTENCE, shown);
  }
  if (key.type !== 'public') throw new ConfigError(variable, KEY_SENTENCE, shown);
  try {
    algorithmFor(key);
  } catch {
    throw new ConfigError(variable, KEY_SENTENCE, shown);
  }
  return key;
}

/** The one JWS algorithm a public key verifies; throws for key types Cuenta does not accept. */
export function algorithmFor(key: KeyObject): JwtAlgorithm {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'EdDSA';
    case 'ec':
      if (details?.namedCurve === 'prime256v1') return 'ES256';
      break;
    case 'rsa':
      if ((details?.modulusLength ?? 0) >= 2048) return 'RS256';
      break;
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType}`);
}

/**
 * `env` as an instance of `variables` (a class of decorated variables; empty values count as
 * unset), validated. Throws `ConfigError` naming the first bad variable and its sentence.
 */
export function readEnvironment<T extends object>(
  variables: new () => T,
  env: EnvironmentSource,
): T {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(variables, raw);
  const first = validateSync(parsed, { whitelist: false, forbidUnknownValues: false })[0];
  if (first) throw toConfigError(first, raw);
  return parsed;
}

function toConfigError(error: ValidationError, raw: Record<string, unknown>): ConfigError {
  const expected = Object.values(error.constraints ?? {})[0] ?? 'valid';
  const value = raw[error.property];
  return new ConfigError(error.property, expected, value === undefined ? undefined : String(value));
}
