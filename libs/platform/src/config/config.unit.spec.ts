import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults, with the data folder under the working directory', () => {
    expect(loadConfig({}, '/srv/cuenta')).toEqual({
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: undefined,
      dataDir: '/srv/cuenta/.cuenta',
      embeddedPostgresPort: 0,
      poolSize: 10,
      logLevel: 'log',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        CUENTA_DATA_DIR: 'data',
        CUENTA_EMBEDDED_PG_PORT: '5544',
        CUENTA_DB_POOL_SIZE: '20',
        CUENTA_LOG_LEVEL: 'debug',
      },
      '/srv',
    );
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      dataDir: '/srv/data',
      embeddedPostgresPort: 5544,
      poolSize: 20,
      logLevel: 'debug',
    });
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
      { CUENTA_DB_POOL_SIZE: '1' },
      'CUENTA_DB_POOL_SIZE must be an integer from 2 to 200 (got "1")',
    ],
    [
      { CUENTA_LOG_LEVEL: 'loud' },
      'CUENTA_LOG_LEVEL must be one of error, warn, log, debug, verbose (got "loud")',
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
});
