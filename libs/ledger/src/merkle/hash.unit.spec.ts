import { describe, expect, it } from '@jest/globals';

import { hex, toHex } from '../../test/support/fixtures.js';
import { InvalidArgumentError } from '../errors.js';
import { emptyRoot, leafHash, leafHashOfText, nodeHash, rootOf } from './hash.js';

// The leaves behind the transparency-dev/merkle happy-path vectors, and their root at size 8.
const VECTOR_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);

describe('RFC 9162 hashing', () => {
  it('hashes the empty tree as SHA-256 of the empty string', () => {
    expect(toHex(emptyRoot())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(toHex(rootOf([]))).toBe(toHex(emptyRoot()));
  });

  it('prefixes leaves with 0x00', () => {
    // SHA-256 of the single byte 0x00.
    expect(toHex(leafHash(new Uint8Array(0)))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
  });

  it('prefixes interior nodes with 0x01', () => {
    const left = leafHash(VECTOR_LEAVES[0]);
    const right = leafHash(VECTOR_LEAVES[1]);
    // SHA-256(0x01 || left || right), the RFC 6962 root of the first two vector leaves.
    expect(toHex(nodeHash(left, right))).toBe(
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    );
    expect(toHex(rootOf([left, right]))).toBe(toHex(nodeHash(left, right)));
  });

  it('computes the published root of the eight vector leaves', () => {
    expect(toHex(rootOf(VECTOR_LEAVES.map(leafHash)))).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
  });

  it('splits at the largest power of two below the size (size 3 is ((0,1),2))', () => {
    const [a, b, c] = VECTOR_LEAVES.slice(0, 3).map(leafHash);
    expect(toHex(rootOf([a, b, c]))).toBe(toHex(nodeHash(nodeHash(a, b), c)));
    expect(toHex(rootOf([a, b, c]))).not.toBe(toHex(nodeHash(a, nodeHash(b, c))));
  });

  it('hashes text leaves exactly as leafHash of their UTF-8, whatever their length', () => {
    const texts = [
      '',
      'a',
      'Secretaría de Planeación ✓ \u{1f602}',
      'é'.repeat(5000),
      'x'.repeat(20000),
    ];
    for (const text of [...texts, ...texts.slice().reverse()]) {
      expect(toHex(leafHashOfText(text))).toBe(toHex(leafHash(new TextEncoder().encode(text))));
    }
  });

  it('rejects node hashes that are not 32 bytes', () => {
    expect(() => nodeHash(new Uint8Array(31), new Uint8Array(32))).toThrow(InvalidArgumentError);
  });

  it('does not let a leaf and a node collide', () => {
    const [a, b] = VECTOR_LEAVES.slice(0, 2).map(leafHash);
    const concatenated = new Uint8Array([...a, ...b]);
    expect(toHex(leafHash(concatenated))).not.toBe(toHex(nodeHash(a, b)));
  });

  it('keeps the empty root immutable for callers', () => {
    const root = emptyRoot();
    root[0] ^= 0xff;
    expect(toHex(emptyRoot())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
