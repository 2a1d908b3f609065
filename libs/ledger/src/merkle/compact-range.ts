import { InvalidArgumentError } from '../errors.js';
import { emptyRoot, HASH_SIZE, nodeHash } from './hash.js';
import { assertSize, decompose, type NodeId } from './node-id.js';

/**
 * The right border of a Merkle tree of `size` leaves: the hashes of the perfect subtrees that
 * decompose [0, size), largest (leftmost) first. It is all that is needed to append leaves and
 * to compute the root, in O(log n) memory (as transparency-dev/merkle compact.Range from 0).
 */
export class CompactRange {
  private constructor(
    private currentSize: number,
    private readonly border: Uint8Array[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** The perfect subtrees that decompose [0, size), left to right (one per 1 bit of size). */
  static nodesFor(size: number): NodeId[] {
    assertSize(size, 'tree size');
    return decompose(0, size);
  }

  /**
   * Restores the border of a tree of `size` leaves from the hashes of `nodesFor(size)`, in the
   * same order (for example read from the rows of `storedAt` of each node).
   */
  static fromHashes(size: number, hashes: readonly Uint8Array[]): CompactRange {
    const nodes = CompactRange.nodesFor(size);
    if (hashes.length !== nodes.length) {
      throw new InvalidArgumentError(
        `a tree of size ${size} has ${nodes.length} border nodes, got ${hashes.length} hashes`,
      );
    }
    for (const hash of hashes) assertHash(hash);
    return new CompactRange(
      size,
      hashes.map((h) => h.slice()),
    );
  }

  get size(): number {
    return this.currentSize;
  }

  /** Copies of the border hashes, in the order of `nodesFor(size)`. */
  hashes(): Uint8Array[] {
    return this.border.map((h) => h.slice());
  }

  clone(): CompactRange {
    return new CompactRange(this.currentSize, this.border.slice());
  }

  /**
   * Appends the leaf with this leaf hash (already `leafHash(bytes)`, 32 bytes) as leaf number
   * `size`. Returns the hashes of the subtrees it completes, in level order starting with the
   * leaf hash itself: exactly the row the event store keeps for that leaf (see `completedBy`).
   */
  append(leafHash: Uint8Array): Uint8Array[] {
    assertHash(leafHash);
    if (this.currentSize >= Number.MAX_SAFE_INTEGER) {
      throw new InvalidArgumentError('the tree is full (2^53 - 1 leaves)');
    }
    let hash = leafHash;
    const completed = [hash];
    // Each trailing 1 bit of the old size is a left sibling waiting on the border.
    for (let index = this.currentSize; index % 2 === 1; index = (index - 1) / 2) {
      const left = this.border.pop();
      if (left === undefined) throw new Error('compact range border is inconsistent with size');
      hash = nodeHash(left, hash);
      completed.push(hash);
    }
    this.border.push(hash);
    this.currentSize++;
    return completed;
  }

  /** RFC 9162 root hash of the tree; SHA-256 of the empty string for the empty tree. */
  root(): Uint8Array {
    if (this.border.length === 0) return emptyRoot();
    // Ephemeral nodes on the right edge hash together from the smallest subtree leftwards.
    let hash = this.border[this.border.length - 1];
    for (let i = this.border.length - 2; i >= 0; i--) hash = nodeHash(this.border[i], hash);
    return hash;
  }
}

function assertHash(hash: Uint8Array): void {
  if (!ArrayBuffer.isView(hash) || hash.length !== HASH_SIZE) {
    throw new InvalidArgumentError(`hashes are ${HASH_SIZE} bytes`);
  }
}
