import { describe, expect, it } from '@jest/globals';

import { fromBase64, toBase64 } from './base64.js';
import { fromHex, toHex } from './bytes.js';
import { hasControlCharacter, hasLoneSurrogate } from './text.js';

describe('base64', () => {
  // RFC 4648 section 10 test vectors.
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes and decodes %j as %s (RFC 4648)', (text, encoded) => {
    const bytes = new TextEncoder().encode(text);
    expect(toBase64(bytes)).toBe(encoded);
    expect(new TextDecoder().decode(fromBase64(encoded))).toBe(text);
  });

  it('round-trips every byte value and agrees with Buffer', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 255);
      const encoded = toBase64(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
      expect(toHex(fromBase64(encoded) ?? new Uint8Array([1]))).toBe(toHex(bytes));
    }
  });

  it.each([
    ['missing padding', 'Zg'],
    ['URL-safe alphabet', '-_8='],
    ['whitespace', 'Zm9v Zm9v'],
    ['newline', 'Zm9v\n'],
    ['padding in the middle', 'Zg==Zm9v'],
    ['non-zero unused bits', 'Zh=='],
    ['non-zero unused bits with one pad', 'Zm9='],
    ['non-ASCII', 'Zm9€'],
    ['three pads', 'Z==='],
  ])('rejects %s', (_what, text) => {
    expect(fromBase64(text)).toBeUndefined();
  });
});

describe('hex', () => {
  it('decodes both cases and rejects junk', () => {
    expect(toHex(fromHex('00ffAB') ?? new Uint8Array())).toBe('00ffab');
    expect(fromHex('abc')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
  });
});

describe('text checks', () => {
  it('finds lone surrogates but not pairs', () => {
    expect(hasLoneSurrogate('a\u{1f602}b')).toBe(false);
    expect(hasLoneSurrogate('a\ud83d')).toBe(true);
    expect(hasLoneSurrogate('\ude02a')).toBe(true);
  });

  it('finds control characters, optionally allowing newline', () => {
    expect(hasControlCharacter('a\nb')).toBe(true);
    expect(hasControlCharacter('a\nb', { allowNewline: true })).toBe(false);
    expect(hasControlCharacter('a\rb', { allowNewline: true })).toBe(true);
    expect(hasControlCharacter('a\u007fb\u0085')).toBe(false);
  });
});
