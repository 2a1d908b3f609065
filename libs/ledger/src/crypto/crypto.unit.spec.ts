import { describe, expect, it } from '@jest/globals';

import * as browser from './crypto.browser.js';
import * as node from './crypto.node.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// RFC 8032 section 7.1, TEST 1 (empty message).
const RFC8032_TEST1 = {
  seed: hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
  publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  signature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};

describe.each([
  ['node', node],
  ['browser', browser],
])('crypto (%s)', (_name, crypto) => {
  it('hashes with SHA-256 (FIPS 180-2 "abc" and empty vectors)', () => {
    expect(toHex(crypto.sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(crypto.sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('derives the RFC 8032 test 1 public key', () => {
    expect(toHex(crypto.ed25519PublicKey(RFC8032_TEST1.seed))).toBe(RFC8032_TEST1.publicKey);
  });

  it('produces the RFC 8032 test 1 signature', () => {
    expect(toHex(crypto.ed25519Sign(RFC8032_TEST1.seed, new Uint8Array(0)))).toBe(
      RFC8032_TEST1.signature,
    );
  });

  it('verifies the RFC 8032 test 1 signature and rejects altered ones', () => {
    const publicKey = hex(RFC8032_TEST1.publicKey);
    const signature = hex(RFC8032_TEST1.signature);
    expect(crypto.ed25519Verify(publicKey, new Uint8Array(0), signature)).toBe(true);
    expect(crypto.ed25519Verify(publicKey, Uint8Array.of(0), signature)).toBe(false);
    const flipped = signature.slice();
    flipped[10] ^= 1;
    expect(crypto.ed25519Verify(publicKey, new Uint8Array(0), flipped)).toBe(false);
  });

  it('treats keys and signatures of the wrong length as invalid instead of throwing', () => {
    const publicKey = hex(RFC8032_TEST1.publicKey);
    const signature = hex(RFC8032_TEST1.signature);
    expect(crypto.ed25519Verify(publicKey.subarray(1), new Uint8Array(0), signature)).toBe(false);
    expect(crypto.ed25519Verify(publicKey, new Uint8Array(0), signature.subarray(1))).toBe(false);
  });

  it('rejects a non-canonical S (S + L), as RFC 8032 requires', () => {
    // S is the second half, little-endian; adding the group order L gives the same point
    // equation but must be rejected (malleability).
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const signature = hex(RFC8032_TEST1.signature);
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]);
    let t = s + L;
    const malleated = signature.slice();
    for (let i = 32; i < 64; i++) {
      malleated[i] = Number(t & 255n);
      t >>= 8n;
    }
    expect(crypto.ed25519Verify(hex(RFC8032_TEST1.publicKey), new Uint8Array(0), malleated)).toBe(
      false,
    );
  });

  it('rejects seeds that are not 32 bytes', () => {
    expect(() => crypto.ed25519PublicKey(new Uint8Array(31))).toThrow(RangeError);
    expect(() => crypto.ed25519Sign(new Uint8Array(33), new Uint8Array(0))).toThrow(RangeError);
  });

  it('returns fresh random bytes of the requested length', () => {
    const a = crypto.randomBytes(32);
    const b = crypto.randomBytes(32);
    expect(a).toHaveLength(32);
    expect(toHex(a)).not.toBe(toHex(b));
  });
});

describe('node and browser crypto agree', () => {
  it('on hashes, keys and signatures for many inputs', () => {
    for (let i = 0; i < 50; i++) {
      const seed = node.randomBytes(32);
      const message = node.randomBytes(i * 7);
      expect(toHex(browser.sha256(message))).toBe(toHex(node.sha256(message)));
      const publicKey = node.ed25519PublicKey(seed);
      expect(toHex(browser.ed25519PublicKey(seed))).toBe(toHex(publicKey));
      const signature = node.ed25519Sign(seed, message);
      expect(toHex(browser.ed25519Sign(seed, message))).toBe(toHex(signature));
      expect(browser.ed25519Verify(publicKey, message, signature)).toBe(true);
      expect(node.ed25519Verify(publicKey, message, browser.ed25519Sign(seed, message))).toBe(true);
    }
  });
});
