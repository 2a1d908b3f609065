import { sha256 } from '#ledger-crypto';

import { InvalidArgumentError } from '../errors.js';

/** Length in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

const EMPTY_ROOT = sha256(new Uint8Array(0));

const encoder = new TextEncoder();
// Reused by leafHash and leafHashOfText so a leaf costs one copy (or UTF-8 encode) and one
// hash, no allocation: the bundle verifier hashes every line of events.jsonl.
let scratch = new Uint8Array(4096);

/** RFC 9162 leaf hash: SHA-256(0x00 || leaf bytes). */
export function leafHash(leaf: Uint8Array): Uint8Array {
  if (scratch.length < 1 + leaf.length) scratch = new Uint8Array(2 * (1 + leaf.length));
  scratch[0] = 0;
  scratch.set(leaf, 1);
  return sha256(scratch.subarray(0, 1 + leaf.length));
}

/**
 * `leafHash(utf8(text))` without intermediate copies: the bundle verifier hashes every line of
 * events.jsonl, so this is its hot path. Precondition: `text` has no lone surrogates (they
 * would be encoded as U+FFFD).
 */
export function leafHashOfText(text: string): Uint8Array {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (scratch.length < 1 + 3 * text.length) scratch = new Uint8Array(2 * (1 + 3 * text.length));
  scratch[0] = 0;
  const { written } = encoder.encodeInto(text, scratch.subarray(1));
  return sha256(scratch.subarray(0, 1 + written));
}

/** RFC 9162 interior node hash: SHA-256(0x01 || left || right). Both must be 32 bytes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new InvalidArgumentError(
      `node hashes are ${HASH_SIZE} bytes, got ${left.length} and ${right.length}`,
    );
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

// Reused by nodeHash: a fresh 65-byte array has its own backing store (V8 keeps only typed
// arrays of up to 64 bytes on its heap), which tripled the cost of hashing a node.
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = 1;

/** The root of the empty tree, SHA-256 of the empty string (RFC 9162 section 2.1.1). */
export function emptyRoot(): Uint8Array {
  return EMPTY_ROOT.slice();
}

/**
 * Reference RFC 9162 Merkle Tree Hash of a list of leaf hashes, by the recursive definition
 * (split at the largest power of two smaller than n). O(n) hashes: for tests and small trees;
 * production code uses CompactRange.
 */
export function rootOf(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot();
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

function subtreeRoot(leaves: readonly Uint8Array[], begin: number, end: number): Uint8Array {
  const n = end - begin;
  if (n === 1) return leaves[begin];
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(subtreeRoot(leaves, begin, begin + k), subtreeRoot(leaves, begin + k, end));
}

/** The largest power of two strictly smaller than n. Precondition: n >= 2. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
