import { bytesEqual } from '../encoding/bytes.js';
import { InvalidProofError, RootMismatchError } from '../errors.js';
import { emptyRoot, HASH_SIZE, nodeHash } from './hash.js';
import { consistencyProofLength, inclusionProofLength } from './proof-plan.js';

export interface InclusionProofInput {
  /** 0-based index of the leaf. */
  index: number;
  /** Number of leaves in the tree the proof is for. */
  size: number;
  /** `leafHash(leaf bytes)`, 32 bytes. */
  leafHash: Uint8Array;
  /** RFC 9162 audit path, from the leaf's sibling up to a child of the root. */
  proof: readonly Uint8Array[];
}

/**
 * The root that an inclusion proof leads to (RFC 9162 section 2.1.3.2), without comparing it
 * to anything. Throws InvalidProofError when 0 <= index < size does not hold, when a hash is
 * not 32 bytes, or when the proof does not have exactly the length that (index, size) implies.
 */
export function rootFromInclusionProof(input: InclusionProofInput): Uint8Array {
  const { index, size, leafHash, proof } = input;
  if (!isSize(index) || !isSize(size) || index >= size) {
    throw new InvalidProofError(`leaf index ${index} is not in a tree of size ${size}`);
  }
  assertHashes(leafHash, proof);
  const expected = inclusionProofLength(index, size);
  if (proof.length !== expected) {
    throw new InvalidProofError(
      `an inclusion proof for leaf ${index} in a tree of size ${size} has ${expected} hashes, got ${proof.length}`,
    );
  }
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new InvalidProofError('inclusion proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = fn / 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new InvalidProofError('inclusion proof is too short');
  return r;
}

/**
 * Verifies that the leaf with `leafHash` is at `index` in the tree of `size` leaves with `root`.
 * Throws InvalidProofError for a malformed proof and RootMismatchError (with the expected and
 * computed roots) when the proof leads to another root.
 */
export function verifyInclusion(input: InclusionProofInput & { root: Uint8Array }): void {
  const computed = rootFromInclusionProof(input);
  if (!bytesEqual(computed, input.root)) {
    throw new RootMismatchError({ expected: input.root, computed });
  }
}

export interface ConsistencyProofInput {
  size1: number;
  size2: number;
  proof: readonly Uint8Array[];
  root1: Uint8Array;
  root2: Uint8Array;
}

export interface ConsistencyOptions {
  /**
   * Accept size1 = 0 with an empty proof. Off by default, as in transparency-dev/merkle, since
   * such a "proof" proves nothing a caller may think it proves; a witness (c2sp.org/tlog-witness)
   * turns it on for the first checkpoint it sees from a log, where an empty proof from size 0 is
   * trivially right: the empty tree is a prefix of every tree. root1 must still be the empty
   * tree's root.
   */
  allowEmptyOldTree?: boolean;
}

/**
 * Verifies that the tree of size2 with root2 extends the tree of size1 with root1 (RFC 9162
 * section 2.1.4.2). Preconditions on the input, each failure an InvalidProofError:
 * 0 < size1 <= size2 (or size1 = 0 with `allowEmptyOldTree`); an empty proof when the sizes are
 * equal; otherwise exactly the number of 32-byte hashes the sizes imply. A proof that leads to
 * other roots throws RootMismatchError.
 */
export function verifyConsistency(
  input: ConsistencyProofInput,
  options: ConsistencyOptions = {},
): void {
  const { size1, size2, proof, root1, root2 } = input;
  if (!isSize(size1) || !isSize(size2) || size1 > size2) {
    throw new InvalidProofError(
      `size1 (${size1}) and size2 (${size2}) are not 0 <= size1 <= size2`,
    );
  }
  if (size1 === 0) {
    if (!options.allowEmptyOldTree) {
      throw new InvalidProofError('a consistency proof from the empty tree proves nothing');
    }
    if (proof.length !== 0) {
      throw new InvalidProofError('a consistency proof from the empty tree must be empty');
    }
    assertHashes(root1, []);
    if (!bytesEqual(root1, emptyRoot())) {
      throw new RootMismatchError({ expected: root1, computed: emptyRoot(), what: 'root1' });
    }
    return;
  }
  if (size1 === size2) {
    // Nothing is hashed here, so the roots are only compared (as transparency-dev/merkle does).
    if (proof.length !== 0) {
      throw new InvalidProofError('a consistency proof between equal sizes must be empty');
    }
    if (!bytesEqual(root1, root2)) {
      throw new RootMismatchError({ expected: root2, computed: root1, what: 'root2' });
    }
    return;
  }
  assertHashes(root1, proof);
  assertHashes(root2, []);
  const expected = consistencyProofLength(size1, size2);
  if (proof.length !== expected) {
    throw new InvalidProofError(
      `a consistency proof from size ${size1} to ${size2} has ${expected} hashes, got ${proof.length}`,
    );
  }

  // When size1 is a power of two, the old root is itself a node of the new tree and the proof
  // omits it; the verifier supplies it.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) throw new InvalidProofError('consistency proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = fn / 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new InvalidProofError('consistency proof is too short');
  if (!bytesEqual(fr, root1))
    throw new RootMismatchError({ expected: root1, computed: fr, what: 'root1' });
  if (!bytesEqual(sr, root2))
    throw new RootMismatchError({ expected: root2, computed: sr, what: 'root2' });
}

function isSize(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m % 2 === 0) m /= 2;
  return m === 1;
}

function assertHashes(first: Uint8Array, rest: readonly Uint8Array[]): void {
  if (!ArrayBuffer.isView(first) || first.length !== HASH_SIZE) {
    throw new InvalidProofError(`hashes must be ${HASH_SIZE} bytes`);
  }
  for (const hash of rest) {
    if (!ArrayBuffer.isView(hash) || hash.length !== HASH_SIZE) {
      throw new InvalidProofError(`proof hashes must be ${HASH_SIZE} bytes`);
    }
  }
}
