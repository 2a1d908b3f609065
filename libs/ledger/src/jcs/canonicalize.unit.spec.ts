import { describe, expect, it } from '@jest/globals';

import { listFixtures, readFixture, readFixtureBytes, toHex } from '../../test/support/fixtures.js';
import { CanonicalizationError } from '../errors.js';
import { canonicalBytes, canonicalize, isCanonicalJson } from './canonicalize.js';

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

/** isCanonicalJson on JSON.parse(text), or 'refused' when it throws a CanonicalizationError. */
function canonicalOrRefused(text: string, check = isCanonicalJson): boolean | 'refused' {
  try {
    return check(text, JSON.parse(text));
  } catch (error) {
    if (error instanceof CanonicalizationError) return 'refused';
    throw error;
  }
}

/** What isCanonicalJson must answer: canonicalize the parsed text and compare. */
const byCanonicalize = (text: string, parsed: unknown) => canonicalize(parsed) === text;

describe('isCanonicalJson', () => {
  const vectors = listFixtures('jcs/input', '.json').map((path) => path.split('/').pop() ?? path);

  it.each([
    ['sorted members', '{"a":1,"b":[true,null,"x"],"c":{"d":-1.5}}', true],
    ['unsorted members', '{"b":1,"a":2}', false],
    ['unsorted members of a nested object', '{"a":{"y":1,"x":2}}', false],
    ['unsorted members of an object in an array', '[1,{"b":1,"a":2}]', false],
    ['names sorted by code units, not code points', '{"a":3,"\u{1f602}":2,"\ufb33":1}', true],
    ['names sorted by code points, not code units', '{"a":3,"\ufb33":1,"\u{1f602}":2}', false],
    // JSON.parse enumerates integer-like names first, in numeric order: "9" before "10".
    ['integer-like names in code unit order', '{"1":0,"10":1,"9":2,"a":3}', true],
    ['integer-like names in numeric order', '{"1":0,"9":2,"10":1,"a":3}', false],
    ['an integer-like name after another name', '{"a":3,"1":0}', false],
    ['whitespace between tokens', '{"a": 1}', false],
    ['a leading space', ' {"a":1}', false],
    ['a trailing newline', '{"a":1}\n', false],
    ['a number with a fraction of zero', '{"a":1.0}', false],
    ['a number with an exponent', '{"a":1e2}', false],
    ['an exponent where ECMAScript writes one', '{"a":1e+21}', true],
    ['an upper-case exponent', '{"a":1E+21}', false],
    ['a trailing zero in the fraction', '{"a":0.10}', false],
    ['negative zero', '{"a":-0}', false],
    ['zero', '{"a":0}', true],
    ['a letter escaped', '{"a":"\\u0041"}', false],
    ['an escaped slash', '{"a":"\\/"}', false],
    ['a control character escaped in lowercase hex', '{"a":"\\u001f"}', true],
    ['a control character escaped in upper-case hex', '{"a":"\\u001F"}', false],
    ['a control character with a short escape, written in hex', '{"a":"\\u000a"}', false],
    ['an escaped backslash before "ud800"', '{"a":"\\\\ud800"}', true],
    ['a surrogate pair as it is', '{"a":"\u{1f602}"}', true],
    ['a surrogate pair escaped', '{"a":"\\ud83d\\ude02"}', false],
    ['a duplicate member', '{"a":1,"a":1}', false],
    ['a duplicate member around another', '{"a":1,"b":2,"a":1}', false],
    ['a duplicate member in a nested object', '{"a":{"b":1,"b":1}}', false],
    ['"__proto__" as a name', '{"__proto__":1,"a":2}', true],
    ['a bare string', '"x"', true],
    ['a bare number', '12', true],
  ])('%s', (_what, text, expected) => {
    expect(canonicalOrRefused(text)).toBe(expected);
    expect(canonicalOrRefused(text, byCanonicalize)).toBe(expected);
  });

  it.each([
    ['escaped, high', '{"a":"\\ud800"}'],
    ['escaped, low', '{"a":"x\\udc00"}'],
    ['escaped, in upper-case hex', '{"a":"\\uD800"}'],
    ['escaped, in a name', '{"\\udfff":1}'],
    ['as it is, high', '{"a":"\ud800"}'],
    ['as it is, low, in a name', '{"\udc00":1}'],
  ])('refuses a lone surrogate (%s) as canonicalize does', (_what, text) => {
    expect(canonicalOrRefused(text)).toBe('refused');
  });

  it.each(vectors)(
    'accepts jcs/output/%s, and answers for its input as canonicalize does',
    (name) => {
      const output = readFixture(`jcs/output/${name}`);
      expect(isCanonicalJson(output, JSON.parse(output))).toBe(true);
      const input = readFixture(`jcs/input/${name}`);
      expect(canonicalOrRefused(input)).toBe(canonicalOrRefused(input, byCanonicalize));
    },
  );

  it('answers as canonicalize does for generated texts and their variants', () => {
    const random = mulberry32(8785);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const names = [
      'a',
      'b',
      'B',
      '1',
      '2',
      '10',
      '9',
      '01',
      '-1',
      '__proto__',
      '\ufb33',
      '\u{1f602}',
      'é',
      '\ud800',
      '',
    ];
    const leaves = [
      0,
      -0,
      1,
      1.5,
      1e21,
      1e-7,
      -2.5e-300,
      'x',
      '\u001f',
      '\ud800' + '\ud83d\ude02',
      '\udc00',
      '"\\/',
      true,
      false,
      null,
    ];
    const value = (depth: number): unknown => {
      const kind = depth > 2 ? 0 : Math.floor(random() * 3);
      if (kind === 0) return pick(leaves);
      if (kind === 1)
        return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      const object: Record<string, unknown> = {};
      for (let n = Math.floor(random() * 4); n > 0; n--) {
        Object.defineProperty(object, pick(names), {
          value: value(depth + 1),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return object;
    };
    const texts = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const text = JSON.stringify(value(0));
      texts.add(text);
      // Members in code unit order, and spellings JSON.stringify would not use.
      try {
        texts.add(canonicalize(JSON.parse(text)));
      } catch {
        // A lone surrogate: the stringified text is still checked.
      }
      texts.add(text.replace(/1\.5/g, '15e-1').replace(/"x"/g, '"\\u0078"'));
    }
    let canonical = 0;
    for (const text of texts) {
      const expected = canonicalOrRefused(text, byCanonicalize);
      expect([text, canonicalOrRefused(text)]).toEqual([text, expected]);
      if (expected === true) canonical++;
    }
    // The generator must exercise both answers, and refusals.
    expect(canonical).toBeGreaterThan(100);
    expect(texts.size - canonical).toBeGreaterThan(100);
  });
});

/** A small seeded generator, so that the generated cases are the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
