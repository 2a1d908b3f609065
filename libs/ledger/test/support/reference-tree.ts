import { leafHash, rootOf } from '../../src/merkle/hash.js';

/**
 * A brute-force Merkle tree straight from the RFC 9162 definitions (MTH, PATH, PROOF), with
 * every subtree hash recomputed from the leaves. Slow on purpose: it shares nothing with the
 * O(log n) code under test except the two hash functions.
 */
export class ReferenceTree {
  readonly leafHashes: Uint8Array[];

  constructor(readonly leaves: Uint8Array[]) {
    this.leafHashes = leaves.map((leaf) => leafHash(leaf));
  }

  static ofSize(size: number): ReferenceTree {
    return new ReferenceTree(
      Array.from({ length: size }, (_, i) => new TextEncoder().encode(`leaf ${i}`)),
    );
  }

  /** MTH(D[begin:end]). */
  hash(begin: number, end: number): Uint8Array {
    return rootOf(this.leafHashes.slice(begin, end));
  }

  root(size: number): Uint8Array {
    return this.hash(0, size);
  }

  /** PATH(m, D[0:size]) of RFC 9162 section 2.1.3.1. */
  inclusionProof(m: number, size: number): Uint8Array[] {
    return this.path(m, 0, size);
  }

  /** PROOF(m, D[0:size]) of RFC 9162 section 2.1.4.1. */
  consistencyProof(m: number, size: number): Uint8Array[] {
    return this.subproof(m, 0, size, true);
  }

  private path(m: number, begin: number, end: number): Uint8Array[] {
    const n = end - begin;
    if (n <= 1) return [];
    const k = powerBelow(n);
    return m < k
      ? [...this.path(m, begin, begin + k), this.hash(begin + k, end)]
      : [...this.path(m - k, begin + k, end), this.hash(begin, begin + k)];
  }

  private subproof(m: number, begin: number, end: number, b: boolean): Uint8Array[] {
    const n = end - begin;
    if (m === n) return b ? [] : [this.hash(begin, end)];
    const k = powerBelow(n);
    return m <= k
      ? [...this.subproof(m, begin, begin + k, b), this.hash(begin + k, end)]
      : [...this.subproof(m - k, begin + k, end, false), this.hash(begin, begin + k)];
  }
}

function powerBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
