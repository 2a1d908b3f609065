import { describe, expect, it } from '@jest/globals';

import { readFixture, toHex } from '../../test/support/fixtures.js';
import { InvalidKeyError } from '../errors.js';
import {
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  keyIdFor,
  keyNameProblem,
  parseSignerKey,
  parseVerifierKey,
  parseWitnessKey,
  verifierKeyFor,
  witnessVerifierKeyFor,
} from './keys.js';

const line = (path: string) => readFixture(path).trimEnd();
const GO_SKEY = line('note/go-peter-neumann.skey');
const GO_VKEY = line('note/go-peter-neumann.vkey');
const ENOCH_VKEY = line('note/go-enoch-root.vkey');
const REMORA_VKEY = line('note/cosignature-v1-remora.vkey');

describe('signer keys', () => {
  it("parses Go's PeterNeumann signer key", () => {
    const key = parseSignerKey(GO_SKEY);
    expect(key.name).toBe('PeterNeumann');
    expect(key.keyId).toBe(0xc74f20a3);
    expect(key.seed).toHaveLength(32);
  });

  it("derives Go's verifier key from it", () => {
    expect(verifierKeyFor(GO_SKEY)).toBe(GO_VKEY);
    expect(verifierKeyFor(parseSignerKey(GO_SKEY))).toBe(GO_VKEY);
  });

  it('formats the same string back from name and seed', () => {
    const key = parseSignerKey(GO_SKEY);
    expect(formatSignerKey({ name: key.name, seed: key.seed })).toBe(GO_SKEY);
  });

  it('generates keys that parse, with a key ID from name, type 0x01 and public key', () => {
    const skey = generateSignerKey('cuenta.example/log');
    expect(skey).toMatch(/^PRIVATE\+KEY\+cuenta\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const key = parseSignerKey(skey);
    expect(key.keyId).toBe(keyIdFor({ name: key.name, type: 0x01, publicKey: key.publicKey }));
    expect(generateSignerKey('cuenta.example/log')).not.toBe(skey);
  });

  it('rejects every truncation of the Go key, as Go does', () => {
    for (let i = 0; i <= GO_SKEY.length; i++) {
      for (let j = i + 1; j <= GO_SKEY.length; j++) {
        if (i === 0 && j === GO_SKEY.length) continue;
        expect(() => parseSignerKey(GO_SKEY.slice(i, j))).toThrow(InvalidKeyError);
      }
    }
  });

  it('rejects every single-character change of the Go key, as Go does', () => {
    for (let i = 0; i < GO_SKEY.length; i++) {
      const mangled =
        GO_SKEY.slice(0, i) + String.fromCharCode(GO_SKEY.charCodeAt(i) + 1) + GO_SKEY.slice(i + 1);
      expect(() => parseSignerKey(mangled)).toThrow(InvalidKeyError);
    }
  });
});

describe('verifier keys', () => {
  it("parses Go's verifier keys", () => {
    const peter = parseVerifierKey(GO_VKEY);
    expect(peter).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3, algorithm: 'ed25519' });
    expect(toHex(peter.publicKey)).toBe(toHex(parseSignerKey(GO_SKEY).publicKey));
    expect(parseVerifierKey(ENOCH_VKEY)).toMatchObject({ name: 'EnochRoot', keyId: 0xaf0cfe78 });
  });

  it('rejects every truncation and single-character change, as Go does', () => {
    for (let i = 0; i <= GO_VKEY.length; i++) {
      for (let j = i + 1; j <= GO_VKEY.length; j++) {
        if (i === 0 && j === GO_VKEY.length) continue;
        expect(() => parseVerifierKey(GO_VKEY.slice(i, j))).toThrow(InvalidKeyError);
      }
    }
    for (let i = 0; i < GO_VKEY.length; i++) {
      const mangled =
        GO_VKEY.slice(0, i) + String.fromCharCode(GO_VKEY.charCodeAt(i) + 1) + GO_VKEY.slice(i + 1);
      expect(() => parseVerifierKey(mangled)).toThrow(InvalidKeyError);
    }
  });

  it("rejects Go's wrong-length and unknown-algorithm keys (with adjusted key hashes)", () => {
    expect(() =>
      parseVerifierKey(
        'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
      ),
    ).toThrow(InvalidKeyError);
    expect(() =>
      parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    ).toThrow(InvalidKeyError);
  });

  it('parses a published cosignature/v1 key (type 0x04) and checks its key ID', () => {
    const key = parseVerifierKey(REMORA_VKEY);
    expect(key).toMatchObject({
      name: 'remora.n621.de',
      keyId: 0xda77ade7,
      algorithm: 'cosignature/v1',
    });
    expect(keyIdFor({ name: key.name, type: 0x04, publicKey: key.publicKey })).toBe(0xda77ade7);
    expect(formatVerifierKey(key)).toBe(REMORA_VKEY);
  });
});

describe('witness keys', () => {
  it('keeps a type 0x04 key as it is', () => {
    expect(parseWitnessKey(REMORA_VKEY)).toEqual(parseVerifierKey(REMORA_VKEY));
  });

  it('converts a plain Ed25519 vkey to cosignature/v1 with the key ID of type 0x04', () => {
    const converted = parseWitnessKey(GO_VKEY);
    const plain = parseVerifierKey(GO_VKEY);
    expect(converted.algorithm).toBe('cosignature/v1');
    expect(converted.keyId).not.toBe(plain.keyId);
    expect(converted.keyId).toBe(
      keyIdFor({ name: 'PeterNeumann', type: 0x04, publicKey: plain.publicKey }),
    );
    expect(formatVerifierKey(converted)).toBe(witnessVerifierKeyFor(GO_SKEY));
    expect(witnessVerifierKeyFor(GO_SKEY)).toMatch(/^PeterNeumann\+[0-9a-f]{8}\+BB/);
  });
});

describe('key names', () => {
  it.each([
    ['', 'empty'],
    ['a+b', 'plus'],
    ['a b', 'space'],
    ['a\tb', 'tab'],
    ['a\u00a0b', 'no-break space'],
    ['a\u2003b', 'em space'],
    ['a\u3000b', 'ideographic space'],
    ['a\u0085b', 'next line'],
    ['a\u0001b', 'control'],
    ['a\ud800', 'lone surrogate'],
  ])('rejects %j (%s)', (name) => {
    expect(keyNameProblem(name)).toEqual(expect.any(String));
    expect(() => generateSignerKey(name)).toThrow(InvalidKeyError);
  });

  it.each(['cuenta.cartagena.gov.co/log', 'oid/1.3.6.1.4.1', 'Alcaldía', 'a\u200bb'])(
    'accepts %j',
    (name) => {
      expect(keyNameProblem(name)).toBeUndefined();
    },
  );
});
