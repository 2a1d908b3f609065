import { describe, expect, it } from '@jest/globals';
import { generateSignerKey, witnessVerifierKeyFor } from '#ledger';
import { ConfigError } from './config.js';
import { loadLedgerConfig } from './ledger-config.js';

describe('loadLedgerConfig', () => {
  it('defaults to the Cartagena origin and a key in the data folder', () => {
    expect(loadLedgerConfig({}, '/data', '/srv')).toEqual({
      origin: 'cuenta.example/cartagena',
      keyFile: '/data/keys/log.key',
      checkpointEveryEvents: 1000,
      checkpointIntervalSeconds: 60,
      witnessKeys: [],
    });
  });

  it('reads every variable', () => {
    const witness = witnessVerifierKeyFor(generateSignerKey('contraloria.example/w'));
    const config = loadLedgerConfig(
      {
        CUENTA_LOG_ORIGIN: 'cuenta.cartagena.gov.co/log',
        CUENTA_LOG_KEY_FILE: 'secrets/log.key',
        CUENTA_CHECKPOINT_EVERY_EVENTS: '50',
        CUENTA_CHECKPOINT_INTERVAL_SECONDS: '5',
        CUENTA_WITNESS_KEYS: ` ${witness} ,`,
      },
      '/data',
      '/srv',
    );
    expect(config).toEqual({
      origin: 'cuenta.cartagena.gov.co/log',
      keyFile: '/srv/secrets/log.key',
      checkpointEveryEvents: 50,
      checkpointIntervalSeconds: 5,
      witnessKeys: [witness],
    });
  });

  const bad: Array<[Record<string, string>, string]> = [
    [
      { CUENTA_LOG_ORIGIN: 'has space' },
      'CUENTA_LOG_ORIGIN must be a log origin without spaces or "+", such as cuenta.example/cartagena (got "has space")',
    ],
    [
      { CUENTA_CHECKPOINT_EVERY_EVENTS: '0' },
      'CUENTA_CHECKPOINT_EVERY_EVENTS must be an integer from 1 to 1000000 (got "0")',
    ],
    [
      { CUENTA_CHECKPOINT_INTERVAL_SECONDS: 'soon' },
      'CUENTA_CHECKPOINT_INTERVAL_SECONDS must be an integer number of seconds from 1 to 86400 (got "soon")',
    ],
    [
      { CUENTA_WITNESS_KEYS: 'not-a-key' },
      'CUENTA_WITNESS_KEYS must be a comma-separated list of witness verifier keys (name+keyid+base64) (got "not-a-key")',
    ],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${Object.keys(env)[0]}=${Object.values(env)[0]} in one line`, () => {
      expect(() => loadLedgerConfig(env, '/data')).toThrow(ConfigError);
      expect(() => loadLedgerConfig(env, '/data')).toThrow(message);
    });
  }
});
