import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../config/config.js';
import { OperationNotAllowedError } from './graphql.errors.js';
import { PersistedOperations, sha256Hex } from './persisted-operations.js';

const HEALTH = '{ health { status } }';
const list = PersistedOperations.from({ [sha256Hex(HEALTH)]: HEALTH });
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

function resolution(request: { query?: unknown; extensions?: unknown }): string {
  try {
    return list.resolve(request);
  } catch (error) {
    if (error instanceof OperationNotAllowedError) return `${error.code} ${error.hash ?? '-'}`;
    throw error;
  }
}

describe('PersistedOperations', () => {
  it('runs a listed text, or the text of a listed hash', () => {
    expect(resolution({ query: HEALTH })).toBe(HEALTH);
    expect(resolution({ extensions: persisted(sha256Hex(HEALTH)) })).toBe(HEALTH);
    expect(resolution({ query: HEALTH, extensions: persisted(sha256Hex(HEALTH)) })).toBe(HEALTH);
  });

  it('refuses other texts and hashes with OPERATION_NOT_ALLOWED', () => {
    const other = '{ health { status checkedAt } }';
    expect(resolution({ query: other })).toBe(`OPERATION_NOT_ALLOWED ${sha256Hex(other)}`);
    expect(resolution({ extensions: persisted('ab'.repeat(32)) })).toBe(
      `OPERATION_NOT_ALLOWED ${'ab'.repeat(32)}`,
    );
    expect(resolution({})).toBe('OPERATION_NOT_ALLOWED -');
  });

  it('refuses a listed hash sent with a different text', () => {
    expect(resolution({ query: '{ other }', extensions: persisted(sha256Hex(HEALTH)) })).toBe(
      `OPERATION_NOT_ALLOWED ${sha256Hex(HEALTH)}`,
    );
  });

  it('refuses at start a list whose hash does not match its text, naming the variable', () => {
    let error: unknown;
    try {
      PersistedOperations.from({ ['00'.repeat(32)]: HEALTH }, 'ops.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('CUENTA_GRAPHQL_PERSISTED_OPERATIONS');
    expect((error as ConfigError).message).toContain(`the entry ${'00'.repeat(32)} does not match`);
  });

  it('refuses at start a list that is not an object of texts', () => {
    expect(() => PersistedOperations.from([HEALTH])).toThrow(ConfigError);
    expect(() => PersistedOperations.from({ [sha256Hex(HEALTH)]: 7 })).toThrow(ConfigError);
  });
});
