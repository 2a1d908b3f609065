import { InvalidArgumentError } from '../errors.js';
import { HASH_SIZE, largestPowerOfTwoBelow, nodeHash } from './hash.js';
import { assertSize, decompose, type NodeId } from './node-id.js';

/**
 * What to read to build a proof, and how to turn what was read into the proof. Every node in
 * `nodes` is a perfect subtree, so its hash is stored (see `storedAt`); a proof hash that covers
 * an imperfect range on the right edge of the tree (an ephemeral node) is rehashed in `assemble`
 * from the perfect subtrees that cover it.
 */
export interface ProofPlan {
  readonly nodes: readonly NodeId[];
  /** Takes the hashes of `nodes`, in the same order, and returns the RFC 9162 proof. */
  assemble(hashes: readonly Uint8Array[]): Uint8Array[];
}

/** A leaf range [begin, end) whose Merkle Tree Hash is one element of a proof. */
interface Span {
  begin: number;
  end: number;
}

/**
 * Plans the RFC 9162 inclusion proof (PATH) of leaf `index` in the tree of `size` leaves.
 * Preconditions: 0 <= index < size <= 2^53 - 1. Reads at most about 2 log2(size) nodes.
 */
export function planInclusion(index: number, size: number): ProofPlan {
  assertSize(index, 'leaf index');
  assertSize(size, 'tree size');
  if (index >= size) {
    throw new InvalidArgumentError(`leaf index ${index} is outside a tree of size ${size}`);
  }
  const spans: Span[] = [];
  inclusionSpans(index, 0, size, spans);
  return planFor(spans);
}

/**
 * Plans the RFC 9162 consistency proof (PROOF) from the tree of `size1` leaves to the tree of
 * `size2` leaves. Preconditions: 0 <= size1 <= size2 <= 2^53 - 1. The proof is empty when
 * size1 == size2, and also when size1 == 0 (the empty tree is a prefix of every tree; see
 * verifyConsistency for when such a proof is accepted).
 */
export function planConsistency(size1: number, size2: number): ProofPlan {
  assertSize(size1, 'size1');
  assertSize(size2, 'size2');
  if (size1 > size2) {
    throw new InvalidArgumentError(`size1 (${size1}) is larger than size2 (${size2})`);
  }
  const spans: Span[] = [];
  if (size1 > 0 && size1 < size2) consistencySpans(size1, 0, size2, true, spans);
  return planFor(spans);
}

/** Number of hashes in the inclusion proof of `index` in a tree of `size` (same preconditions). */
export function inclusionProofLength(index: number, size: number): number {
  const spans: Span[] = [];
  inclusionSpans(index, 0, size, spans);
  return spans.length;
}

/**
 * Number of hashes in the consistency proof from `size1` to `size2`, for 0 < size1 <= size2.
 */
export function consistencyProofLength(size1: number, size2: number): number {
  const spans: Span[] = [];
  if (size1 < size2) consistencySpans(size1, 0, size2, true, spans);
  return spans.length;
}

// RFC 9162 section 2.1.3.1, PATH(m, D[begin:end]), recording the spans of the hashes it emits.
// The recursion is O(log n) deep; its spans are subtrees of the RFC's tree, so each starts at a
// multiple of a power of two at least as large as its length and decomposes into few nodes.
function inclusionSpans(m: number, begin: number, end: number, out: Span[]): void {
  const n = end - begin;
  if (n === 1) return;
  const k = largestPowerOfTwoBelow(n);
  if (m < k) {
    inclusionSpans(m, begin, begin + k, out);
    out.push({ begin: begin + k, end });
  } else {
    inclusionSpans(m - k, begin + k, end, out);
    out.push({ begin, end: begin + k });
  }
}

// RFC 9162 section 2.1.4.1, SUBPROOF(m, D[begin:end], b).
function consistencySpans(m: number, begin: number, end: number, b: boolean, out: Span[]): void {
  const n = end - begin;
  if (m === n) {
    if (!b) out.push({ begin, end });
    return;
  }
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) {
    consistencySpans(m, begin, begin + k, b, out);
    out.push({ begin: begin + k, end });
  } else {
    consistencySpans(m - k, begin + k, end, false, out);
    out.push({ begin, end: begin + k });
  }
}

function planFor(spans: readonly Span[]): ProofPlan {
  const groups = spans.map((span) => decompose(span.begin, span.end));
  const nodes = groups.flat();
  return {
    nodes,
    assemble(hashes) {
      if (hashes.length !== nodes.length) {
        throw new InvalidArgumentError(`expected ${nodes.length} hashes, got ${hashes.length}`);
      }
      for (const hash of hashes) {
        if (hash.length !== HASH_SIZE) throw new InvalidArgumentError('hashes are 32 bytes');
      }
      const proof: Uint8Array[] = [];
      let next = 0;
      for (const group of groups) {
        // A span decomposes into perfect subtrees of decreasing size; its Merkle Tree Hash
        // folds them from the right, exactly as the root of a tree folds its border.
        const members = hashes.slice(next, next + group.length);
        next += group.length;
        let hash = members[members.length - 1];
        for (let i = members.length - 2; i >= 0; i--) hash = nodeHash(members[i], hash);
        proof.push(hash);
      }
      return proof;
    },
  };
}
