import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, type Config } from './config.js';

const ACCESS_DEFAULTS: Pick<
  Config,
  | 'trustProxy'
  | 'auth'
  | 'graphql'
  | 'rateLimit'
  | 'readCacheBytes'
  | 'readWaitMs'
  | 'readyMaxLag'
  | 'metrics'
> = {
  trustProxy: 0,
  auth: {
    keys: { kind: 'local' },
    issuer: 'urn:cuenta:local',
    audience: 'cuenta',
    algorithms: undefined,
    clockToleranceSeconds: 5,
    rolesClaim: 'cuenta_roles',
    agenciesClaim: 'cuenta_agencies',
    anonymousIdSecret: undefined,
  },
  graphql: {
    introspection: true,
    maxDepth: 10,
    maxCost: 10_000,
    maxAliases: 15,
    maxDirectives: 50,
    maxTokens: 2000,
    maxBatch: 10,
    maxBodyBytes: 102_400,
    persistedOperations: undefined,
  },
  rateLimit: { windowSeconds: 60, anonymous: 120, authenticated: 1200 },
  readCacheBytes: 32 * 2 ** 20,
  readWaitMs: 5000,
  readyMaxLag: 1000,
  metrics: { port: undefined, host: '127.0.0.1', token: undefined },
};

const publicPem = (type: 'ed25519' | 'ec' | 'rsa', options: object = {}) =>
  generateKeyPairSync(type as 'ed25519', options)
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('uses the documented defaults, with the data folder under the working directory', () => {
    expect(loadConfig({}, '/srv/cuenta')).toEqual({
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: undefined,
      readReplicaUrls: [],
      replicaWaitMs: 500,
      dataDir: '/srv/cuenta/.cuenta',
      embeddedPostgresPort: 0,
      poolSize: 10,
      subscriptionOutageSeconds: 60,
      logLevel: 'log',
      logFormat: 'pretty',
      ...ACCESS_DEFAULTS,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        DATABASE_READ_URL: 'postgres://reader@10.0.0.2/test, postgres://reader@10.0.0.3:5433/test',
        CUENTA_REPLICA_WAIT_MS: '100',
        CUENTA_DATA_DIR: 'data',
        CUENTA_EMBEDDED_PG_PORT: '5544',
        CUENTA_DB_POOL_SIZE: '20',
        CUENTA_SUBSCRIPTION_OUTAGE_SECONDS: '5',
        CUENTA_LOG_LEVEL: 'debug',
        CUENTA_LOG_FORMAT: 'json',
        CUENTA_READ_CACHE_MB: '8',
        CUENTA_READ_WAIT_MS: '250',
        CUENTA_READY_MAX_LAG: '0',
        CUENTA_METRICS_PORT: '9464',
        CUENTA_METRICS_HOST: '0.0.0.0',
        CUENTA_METRICS_TOKEN: 'a'.repeat(32),
      },
      '/srv',
    );
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      readReplicaUrls: ['postgres://reader@10.0.0.2/test', 'postgres://reader@10.0.0.3:5433/test'],
      replicaWaitMs: 100,
      dataDir: '/srv/data',
      embeddedPostgresPort: 5544,
      poolSize: 20,
      subscriptionOutageSeconds: 5,
      logLevel: 'debug',
      logFormat: 'json',
      ...ACCESS_DEFAULTS,
      readCacheBytes: 8 * 2 ** 20,
      readWaitMs: 250,
      readyMaxLag: 0,
      metrics: { port: 9464, host: '0.0.0.0', token: 'a'.repeat(32) },
    });
  });

  it('logs JSON in production unless told otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' }, '/').logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'production', CUENTA_LOG_FORMAT: 'pretty' }, '/').logFormat).toBe(
      'pretty',
    );
    expect(loadConfig({ NODE_ENV: 'development' }, '/').logFormat).toBe('pretty');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, '/').port).toBe(3000);
  });

  const bad: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'PORT must be an integer from 1 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be an integer from 1 to 65535 (got "70000")'],
    [{ PORT: '3.5' }, 'PORT must be an integer from 1 to 65535 (got "3.5")'],
    [
      { DATABASE_URL: 'mysql://x' },
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/cuenta (got "mysql://x")',
    ],
    [
      { DATABASE_READ_URL: 'postgres://r@10.0.0.2/test,mysql://x' },
      'DATABASE_READ_URL must be one or more PostgreSQL URLs of streaming replicas, separated by ' +
        'commas, such as postgres://user@10.0.0.2:5432/cuenta,postgres://user@10.0.0.3:5432/cuenta ' +
        '(got "postgres://r@10.0.0.2/test,mysql://x")',
    ],
    [
      { DATABASE_READ_URL: 'postgres://r@10.0.0.2/test' },
      'DATABASE_READ_URL must be unset unless DATABASE_URL is set too (replicas follow a ' +
        'PostgreSQL server of your own, not the embedded one) (got "postgres://r@10.0.0.2/test")',
    ],
    [
      { CUENTA_REPLICA_WAIT_MS: '-1' },
      'CUENTA_REPLICA_WAIT_MS must be a number of milliseconds from 0 (no wait) to 60000 (got "-1")',
    ],
    [
      { CUENTA_DB_POOL_SIZE: '1' },
      'CUENTA_DB_POOL_SIZE must be an integer from 2 to 200 (got "1")',
    ],
    [
      { CUENTA_SUBSCRIPTION_OUTAGE_SECONDS: '0' },
      'CUENTA_SUBSCRIPTION_OUTAGE_SECONDS must be a number of seconds from 1 to 86400 (got "0")',
    ],
    [
      { CUENTA_LOG_LEVEL: 'loud' },
      'CUENTA_LOG_LEVEL must be one of error, warn, log, debug, verbose (got "loud")',
    ],
    [{ CUENTA_LOG_FORMAT: 'xml' }, 'CUENTA_LOG_FORMAT must be json or pretty (got "xml")'],
    [
      { CUENTA_READ_CACHE_MB: '-1' },
      'CUENTA_READ_CACHE_MB must be a number of MiB from 0 (no cache) to 4096 (got "-1")',
    ],
    [
      { CUENTA_READ_WAIT_MS: '60001' },
      'CUENTA_READ_WAIT_MS must be a number of milliseconds from 0 (no wait) to 60000 (got "60001")',
    ],
    [
      { CUENTA_READY_MAX_LAG: '-5' },
      'CUENTA_READY_MAX_LAG must be a number of events from 0 to 1000000000 (got "-5")',
    ],
    [
      { CUENTA_METRICS_TOKEN: 'short' },
      'CUENTA_METRICS_TOKEN must be a secret of at least 32 characters without spaces (got "short")',
    ],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} naming the variable`, () => {
      let error: unknown;
      try {
        loadConfig(env, '/');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(message);
      expect((error as ConfigError).variable).toBe(Object.keys(env)[0]);
    });
  }

  it('reads every access variable', () => {
    const config = loadConfig(
      {
        CUENTA_OIDC_ISSUER: 'https://sso.example.org/realms/cuenta',
        CUENTA_JWKS_URL: 'https://sso.example.org/realms/cuenta/protocol/openid-connect/certs',
        CUENTA_JWT_AUDIENCE: 'cuenta-api',
        CUENTA_JWT_ALGORITHMS: 'RS256, ES256',
        CUENTA_JWT_CLOCK_TOLERANCE_SECONDS: '0',
        CUENTA_ROLES_CLAIM: 'realm_access.roles',
        CUENTA_AGENCIES_CLAIM: 'agencies',
        CUENTA_ANONYMOUS_ID_SECRET: 'x'.repeat(32),
        CUENTA_GRAPHQL_INTROSPECTION: 'false',
        CUENTA_GRAPHQL_MAX_DEPTH: '6',
        CUENTA_GRAPHQL_MAX_COST: '500',
        CUENTA_GRAPHQL_MAX_ALIASES: '3',
        CUENTA_GRAPHQL_MAX_DIRECTIVES: '4',
        CUENTA_GRAPHQL_MAX_TOKENS: '300',
        CUENTA_GRAPHQL_MAX_BATCH: '2',
        CUENTA_GRAPHQL_MAX_BODY_BYTES: '2048',
        CUENTA_GRAPHQL_PERSISTED_OPERATIONS: 'ops.json',
        CUENTA_RATE_LIMIT_WINDOW_SECONDS: '10',
        CUENTA_RATE_LIMIT_ANONYMOUS: '0',
        CUENTA_RATE_LIMIT_AUTHENTICATED: '50',
        CUENTA_TRUST_PROXY: '1',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      trustProxy: 1,
      auth: {
        keys: {
          kind: 'jwks',
          oidcIssuer: 'https://sso.example.org/realms/cuenta',
          jwksUrl: 'https://sso.example.org/realms/cuenta/protocol/openid-connect/certs',
        },
        issuer: 'https://sso.example.org/realms/cuenta',
        audience: 'cuenta-api',
        algorithms: ['RS256', 'ES256'],
        clockToleranceSeconds: 0,
        rolesClaim: 'realm_access.roles',
        agenciesClaim: 'agencies',
        anonymousIdSecret: 'x'.repeat(32),
      },
      graphql: {
        introspection: false,
        maxDepth: 6,
        maxCost: 500,
        maxAliases: 3,
        maxDirectives: 4,
        maxTokens: 300,
        maxBatch: 2,
        maxBodyBytes: 2048,
        persistedOperations: '/srv/ops.json',
      },
      rateLimit: { windowSeconds: 10, anonymous: 0, authenticated: 50 },
    });
  });

  it('reads a PEM public key and infers its algorithm later from the key', () => {
    const config = loadConfig(
      {
        CUENTA_JWT_PUBLIC_KEY: publicPem('ec', { namedCurve: 'P-256' }),
        CUENTA_JWT_ISSUER: 'https://issuer.example',
        CUENTA_JWT_AUDIENCE: 'cuenta',
      },
      '/',
    );
    expect(config.auth.keys.kind).toBe('public-key');
    expect(config.auth.issuer).toBe('https://issuer.example');
    expect(config.auth.algorithms).toBeUndefined();
  });

  it('reads a JWK public key', () => {
    const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const config = loadConfig(
      {
        CUENTA_JWT_PUBLIC_KEY: JSON.stringify(jwk),
        CUENTA_JWT_ISSUER: 'iss',
        CUENTA_JWT_AUDIENCE: 'aud',
      },
      '/',
    );
    expect(config.auth.keys.kind).toBe('public-key');
  });

  it('takes the issuer from CUENTA_OIDC_ISSUER unless CUENTA_JWT_ISSUER says otherwise', () => {
    const env = { CUENTA_OIDC_ISSUER: 'http://127.0.0.1:8080/realms/r', CUENTA_JWT_AUDIENCE: 'a' };
    expect(loadConfig(env, '/').auth.issuer).toBe('http://127.0.0.1:8080/realms/r');
    expect(loadConfig({ ...env, CUENTA_JWT_ISSUER: 'other' }, '/').auth.issuer).toBe('other');
  });

  const badAccess: Array<[Record<string, string>, string]> = [
    [
      { CUENTA_JWT_PUBLIC_KEY: 'not a key', CUENTA_JWT_ISSUER: 'i', CUENTA_JWT_AUDIENCE: 'a' },
      'CUENTA_JWT_PUBLIC_KEY must be an Ed25519, P-256 or RSA (2048 bits or more) public key as PEM (SPKI) or JWK (got "not a key")',
    ],
    [
      { CUENTA_OIDC_ISSUER: 'http://sso.example.org/realms/r', CUENTA_JWT_AUDIENCE: 'a' },
      'CUENTA_OIDC_ISSUER must be the issuer URL of an OpenID Connect provider (http only for localhost), e.g. https://sso.example.org/realms/cuenta (got "http://sso.example.org/realms/r")',
    ],
    [
      { CUENTA_OIDC_ISSUER: 'https://sso.example.org/realms/r' },
      'CUENTA_JWT_AUDIENCE must be set to the "aud" your tokens carry for this API when CUENTA_OIDC_ISSUER is set (got undefined)',
    ],
    [
      { CUENTA_JWKS_URL: 'https://sso.example.org/certs', CUENTA_JWT_AUDIENCE: 'a' },
      'CUENTA_JWT_ISSUER must be set to the "iss" of your tokens when CUENTA_JWKS_URL is set (got undefined)',
    ],
    [
      { CUENTA_JWT_PUBLIC_KEY_FILE: '/k.pem', CUENTA_OIDC_ISSUER: 'https://sso.example.org/r' },
      'CUENTA_OIDC_ISSUER must be unset when CUENTA_JWT_PUBLIC_KEY_FILE is set (one source of token keys) (got "https://sso.example.org/r")',
    ],
    [
      { CUENTA_JWT_ALGORITHMS: 'none' },
      'CUENTA_JWT_ALGORITHMS must be a comma-separated list of EdDSA, ES256, RS256 (got "none")',
    ],
    [
      { CUENTA_JWT_ALGORITHMS: 'HS256' },
      'CUENTA_JWT_ALGORITHMS must be a comma-separated list of EdDSA, ES256, RS256 (got "HS256")',
    ],
    [
      { CUENTA_ROLES_CLAIM: 'realm_access..roles' },
      'CUENTA_ROLES_CLAIM must be a claim name or a dotted path such as realm_access.roles (got "realm_access..roles")',
    ],
    [
      { CUENTA_ANONYMOUS_ID_SECRET: 'short' },
      'CUENTA_ANONYMOUS_ID_SECRET must be a secret of at least 32 characters without spaces (got "short")',
    ],
    [
      { CUENTA_GRAPHQL_INTROSPECTION: 'yes' },
      'CUENTA_GRAPHQL_INTROSPECTION must be true or false (got "yes")',
    ],
    [
      { CUENTA_GRAPHQL_MAX_DEPTH: '0' },
      'CUENTA_GRAPHQL_MAX_DEPTH must be an integer from 1 to 100 (got "0")',
    ],
    [
      { CUENTA_GRAPHQL_MAX_COST: 'lots' },
      'CUENTA_GRAPHQL_MAX_COST must be an integer from 1 to 10000000 (got "lots")',
    ],
    [
      { CUENTA_GRAPHQL_MAX_ALIASES: '-1' },
      'CUENTA_GRAPHQL_MAX_ALIASES must be an integer from 0 to 1000 (got "-1")',
    ],
    [
      { CUENTA_GRAPHQL_MAX_DIRECTIVES: '1001' },
      'CUENTA_GRAPHQL_MAX_DIRECTIVES must be an integer from 0 to 1000 (got "1001")',
    ],
    [
      { CUENTA_GRAPHQL_MAX_TOKENS: '5' },
      'CUENTA_GRAPHQL_MAX_TOKENS must be an integer from 10 to 1000000 (got "5")',
    ],
    [
      { CUENTA_GRAPHQL_MAX_BATCH: '0' },
      'CUENTA_GRAPHQL_MAX_BATCH must be an integer from 1 to 100 (got "0")',
    ],
    [
      { CUENTA_GRAPHQL_MAX_BODY_BYTES: '100' },
      'CUENTA_GRAPHQL_MAX_BODY_BYTES must be a number of bytes from 1024 to 104857600 (got "100")',
    ],
    [
      { CUENTA_RATE_LIMIT_WINDOW_SECONDS: '0' },
      'CUENTA_RATE_LIMIT_WINDOW_SECONDS must be a number of seconds from 1 to 86400 (got "0")',
    ],
    [
      { CUENTA_RATE_LIMIT_ANONYMOUS: 'many' },
      'CUENTA_RATE_LIMIT_ANONYMOUS must be a number of requests from 0 (no limit) to 1000000 (got "many")',
    ],
    [
      { CUENTA_RATE_LIMIT_AUTHENTICATED: '1.5' },
      'CUENTA_RATE_LIMIT_AUTHENTICATED must be a number of requests from 0 (no limit) to 1000000 (got "1.5")',
    ],
    [
      { CUENTA_TRUST_PROXY: 'true' },
      'CUENTA_TRUST_PROXY must be a number of proxy hops from 0 to 10 (got "true")',
    ],
    [
      { CUENTA_JWT_CLOCK_TOLERANCE_SECONDS: '3600' },
      'CUENTA_JWT_CLOCK_TOLERANCE_SECONDS must be a number of seconds from 0 to 300 (got "3600")',
    ],
  ];
  for (const [env, message] of badAccess) {
    it(`refuses ${Object.keys(env).join(' + ')} = ${JSON.stringify(Object.values(env)[0]).slice(0, 40)} in one line`, () => {
      const error = configError(env);
      expect(error.message).toBe(message);
      expect(error.message).not.toContain('\n');
    });
  }

  it('refuses a public key with an algorithm list that cannot verify it', () => {
    const error = configError({
      CUENTA_JWT_PUBLIC_KEY: publicPem('ed25519'),
      CUENTA_JWT_ISSUER: 'i',
      CUENTA_JWT_AUDIENCE: 'a',
      CUENTA_JWT_ALGORITHMS: 'RS256',
    });
    expect(error.variable).toBe('CUENTA_JWT_ALGORITHMS');
    expect(error.message).toBe(
      'CUENTA_JWT_ALGORITHMS must be a list that includes EdDSA, the algorithm of CUENTA_JWT_PUBLIC_KEY (got "RS256")',
    );
  });

  it('refuses an RSA key shorter than 2048 bits, naming the variable', () => {
    const error = configError({
      CUENTA_JWT_PUBLIC_KEY: publicPem('rsa', { modulusLength: 1024 }),
      CUENTA_JWT_ISSUER: 'i',
      CUENTA_JWT_AUDIENCE: 'a',
    });
    expect(error.variable).toBe('CUENTA_JWT_PUBLIC_KEY');
    expect(error.expected).toBe(
      'an Ed25519, P-256 or RSA (2048 bits or more) public key as PEM (SPKI) or JWK',
    );
  });

  it('refuses a private key where a public key belongs, without echoing it whole', () => {
    const pem = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const error = configError({
      CUENTA_JWT_PUBLIC_KEY: pem,
      CUENTA_JWT_ISSUER: 'i',
      CUENTA_JWT_AUDIENCE: 'a',
    });
    expect(error.variable).toBe('CUENTA_JWT_PUBLIC_KEY');
    expect(error.actual).toBe(`${pem.slice(0, 37)}...`);
  });
});
