import { describe, expect, it } from '@jest/globals';

import { listFixtures, readFixture, readFixtureBytes, toHex } from '../../test/support/fixtures.js';
import { CanonicalizationError } from '../errors.js';
import { canonicalBytes, canonicalize } from './canonicalize.js';

describe('canonicalize (RFC 8785)', () => {
  const cases = listFixtures('jcs/input', '.json').map((path) => path.split('/').pop() ?? path);

  it('has the six cyberphone/json-canonicalization vectors', () => {
    expect(cases).toEqual([
      'arrays.json',
      'french.json',
      'structures.json',
      'unicode.json',
      'values.json',
      'weird.json',
    ]);
  });

  it.each(cases)('canonicalizes jcs/input/%s to exactly jcs/output/%s', (name) => {
    const input: unknown = JSON.parse(readFixture(`jcs/input/${name}`));
    const expected = readFixtureBytes(`jcs/output/${name}`);
    expect(toHex(canonicalBytes(input))).toBe(toHex(expected));
  });

  it.each(cases)('is idempotent on jcs/output/%s', (name) => {
    const output = readFixture(`jcs/output/${name}`);
    expect(canonicalize(JSON.parse(output))).toBe(output);
  });

  it('sorts member names by UTF-16 code units, not code points', () => {
    // U+FB33 (one unit, 0xFB33) sorts after U+1F602 (surrogates 0xD83D 0xDE02) in UTF-16 order,
    // the opposite of code point order.
    expect(canonicalize({ '\ufb33': 1, '\u{1f602}': 2, a: 3 })).toBe(
      '{"a":3,"\u{1f602}":2,"\ufb33":1}',
    );
  });

  it('writes numbers as ECMAScript does', () => {
    expect(canonicalize([0, -0, 1e21, 1e-7, 123456789012345680000, 0.1 + 0.2, -1.5e-300])).toBe(
      '[0,0,1e+21,1e-7,123456789012345680000,0.30000000000000004,-1.5e-300]',
    );
  });

  it('escapes control characters in lowercase hex and leaves other characters as they are', () => {
    expect(canonicalize('\u0000\u0008\t\n\u000b\f\r\u001f"\\/\u007f\u2028é')).toBe(
      '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\u007f\u2028é"',
    );
  });

  it('canonicalizes nested structures and empty containers', () => {
    expect(canonicalize({ b: [], a: {}, c: [{ z: null, y: [true, false] }] })).toBe(
      '{"a":{},"b":[],"c":[{"y":[true,false],"z":null}]}',
    );
  });

  it('accepts objects without a prototype', () => {
    const value = Object.create(null) as Record<string, unknown>;
    value.b = 1;
    value.a = 2;
    expect(canonicalize(value)).toBe('{"a":2,"b":1}');
  });

  it('encodes canonicalBytes as UTF-8', () => {
    expect(toHex(canonicalBytes({ é: '€' }))).toBe('7b22c3a9223a22e282ac227d');
  });

  it.each([
    ['NaN', { a: NaN }, '/a'],
    ['Infinity', [1, -Infinity], '/1'],
    ['undefined member', { a: { b: undefined } }, '/a/b'],
    ['undefined at the top', undefined, ''],
    ['function', { f: () => 1 }, '/f'],
    ['symbol', { s: Symbol('x') }, '/s'],
    ['bigint', { n: 1n }, '/n'],
    ['Date', { at: new Date(0) }, '/at'],
    ['Map', { m: new Map() }, '/m'],
    ['lone high surrogate in a value', { s: 'a\ud800' }, '/s'],
    ['lone low surrogate in a name', { ['\udc00']: 1 }, '/\udc00'],
    ['path escaping of / and ~', { 'a/b~': NaN }, '/a~1b~0'],
  ])('rejects %s with a CanonicalizationError naming its path', (_what, value, path) => {
    let caught: unknown;
    try {
      canonicalize(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CanonicalizationError);
    expect((caught as CanonicalizationError).code).toBe('NOT_CANONICALIZABLE');
    expect((caught as CanonicalizationError).path).toBe(path);
  });

  it('rejects sparse arrays instead of writing null for holes', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    expect(() => canonicalize(sparse)).toThrow(CanonicalizationError);
  });

  it('rejects cycles', () => {
    const value: Record<string, unknown> = {};
    value.self = value;
    expect(() => canonicalize(value)).toThrow(CanonicalizationError);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalize({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});
