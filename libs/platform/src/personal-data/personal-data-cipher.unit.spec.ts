import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  decryptValue,
  encryptValue,
  kekId,
  newDataKey,
  unwrapDataKey,
  wrapDataKey,
  WRAPPED_KEY_BYTES,
  type ValueBinding,
} from './personal-data-cipher.js';

const subjectId = '11111111-2222-4333-8444-555555555555';
const binding: ValueBinding = {
  subjectId,
  valueId: '00000000-0000-4000-8000-000000000001',
  eventId: '99999999-8888-4777-8666-555555555555',
  path: '/contact',
  kind: 'contact',
};

describe('data keys wrapped by the key-encryption key', () => {
  it('unwrap to the same key, for the same subject only', () => {
    const kek = randomBytes(32);
    const key = newDataKey();
    const wrapped = wrapDataKey(kek, subjectId, key);
    expect(wrapped).toHaveLength(WRAPPED_KEY_BYTES);
    expect(wrapped.includes(key)).toBe(false);
    expect(unwrapDataKey(kek, subjectId, wrapped)).toEqual(key);
    expect(() => unwrapDataKey(kek, '22222222-2222-4333-8444-555555555555', wrapped)).toThrow();
    expect(() => unwrapDataKey(randomBytes(32), subjectId, wrapped)).toThrow();
  });

  it('are wrapped with a fresh IV each time', () => {
    const kek = randomBytes(32);
    const key = newDataKey();
    expect(wrapDataKey(kek, subjectId, key)).not.toEqual(wrapDataKey(kek, subjectId, key));
  });

  it('name their KEK by 16 hex digits that differ between keys', () => {
    const kek = randomBytes(32);
    expect(kekId(kek)).toMatch(/^[0-9a-f]{16}$/);
    expect(kekId(kek)).toBe(kekId(Buffer.from(kek)));
    expect(kekId(kek)).not.toBe(kekId(randomBytes(32)));
  });
});

describe('values encrypted under a data key', () => {
  const salt = new Uint8Array(32).fill(3);

  it('decrypt to the value and its salt, and hide the value', () => {
    const key = newDataKey();
    const sealed = encryptValue(key, binding, { phone: 'MARKER-3001234567' }, salt);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.tag).toHaveLength(16);
    expect(sealed.ciphertext.toString('latin1')).not.toContain('MARKER');
    const opened = decryptValue(key, binding, sealed);
    expect(opened.value).toEqual({ phone: 'MARKER-3001234567' });
    expect(opened.salt).toEqual(Buffer.from(salt));
  });

  it('do not decrypt when moved to another row, or altered', () => {
    const key = newDataKey();
    const sealed = encryptValue(key, binding, 'hola', salt);
    for (const other of [
      { ...binding, valueId: '00000000-0000-4000-8000-000000000002' },
      { ...binding, subjectId: '22222222-2222-4333-8444-555555555555' },
      { ...binding, eventId: '00000000-0000-4000-8000-000000000009' },
      { ...binding, path: '/comment' },
      { ...binding, kind: 'sensitive' as const },
    ]) {
      expect(() => decryptValue(key, other, sealed)).toThrow();
    }
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] ^= 1;
    expect(() => decryptValue(key, binding, { ...sealed, ciphertext: flipped })).toThrow();
    expect(() => decryptValue(newDataKey(), binding, sealed)).toThrow();
  });
});
