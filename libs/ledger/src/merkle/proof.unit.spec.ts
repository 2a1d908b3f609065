import { describe, expect, it } from '@jest/globals';

import { toHex } from '../../test/support/fixtures.js';
import { ReferenceTree } from '../../test/support/reference-tree.js';
import { InvalidArgumentError, InvalidProofError, RootMismatchError } from '../errors.js';
import { CompactRange } from './compact-range.js';
import { emptyRoot } from './hash.js';
import { endLeaf, storedAt, type NodeId } from './node-id.js';
import {
  consistencyProofLength,
  inclusionProofLength,
  planConsistency,
  planInclusion,
} from './proof-plan.js';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.js';

const MAX = 70;
const tree = ReferenceTree.ofSize(MAX);

// What the event store keeps: for each leaf, the hashes of the nodes it completes.
const rows: Uint8Array[][] = [];
{
  const range = CompactRange.empty();
  for (const hash of tree.leafHashes) rows.push(range.append(hash));
}
const read = (nodes: readonly NodeId[]) => nodes.map((node) => rows[storedAt(node)][node.level]);
const hexes = (hashes: readonly Uint8Array[]) => hashes.map(toHex);
const log2ceil = (n: number) => Math.ceil(Math.log2(n));

describe('planInclusion', () => {
  it(`assembles exactly the RFC 9162 inclusion proof for every leaf of every size 1..${MAX}`, () => {
    let checked = 0;
    for (let size = 1; size <= MAX; size++) {
      for (let index = 0; index < size; index++) {
        const plan = planInclusion(index, size);
        // Only nodes already stored when the tree had `size` leaves, and only O(log n) of them.
        for (const node of plan.nodes) expect(endLeaf(node)).toBeLessThanOrEqual(size);
        expect(plan.nodes.length).toBeLessThanOrEqual(2 * log2ceil(size) + 1);
        const proof = plan.assemble(read(plan.nodes));
        expect(hexes(proof)).toEqual(hexes(tree.inclusionProof(index, size)));
        expect(inclusionProofLength(index, size)).toBe(proof.length);
        verifyInclusion({
          index,
          size,
          leafHash: tree.leafHashes[index],
          proof,
          root: tree.root(size),
        });
        checked++;
      }
    }
    expect(checked).toBe((MAX * (MAX + 1)) / 2);
  });

  it('needs no node for a tree of one leaf', () => {
    const plan = planInclusion(0, 1);
    expect(plan.nodes).toEqual([]);
    expect(plan.assemble([])).toEqual([]);
  });

  it('rehashes the ephemeral right-edge node from the perfect subtrees under it', () => {
    // Leaf 0 of 7: siblings are leaf 1, node [2,4), and the ephemeral [4,7) = ([4,6), 6).
    const plan = planInclusion(0, 7);
    expect(plan.nodes).toEqual([
      { level: 0, index: 1 },
      { level: 1, index: 1 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(hexes(plan.assemble(read(plan.nodes)))).toEqual(
      hexes([tree.hash(1, 2), tree.hash(2, 4), tree.hash(4, 7)]),
    );
  });

  it('plans in O(log n) for trees near 2^53 leaves', () => {
    const size = 2 ** 53 - 1;
    const plan = planInclusion(12345, size);
    expect(plan.nodes.length).toBeLessThanOrEqual(2 * 53);
    for (const node of plan.nodes) expect(endLeaf(node)).toBeLessThanOrEqual(size);
    // The last leaf peels one power of two off per level: 2^53-1, 2^52-1, ..., 1.
    expect(inclusionProofLength(size - 1, size)).toBe(52);
    expect(planInclusion(size - 1, size).nodes).toHaveLength(52);
  });

  it('rejects an index outside the tree', () => {
    expect(() => planInclusion(3, 3)).toThrow(InvalidArgumentError);
    expect(() => planInclusion(0, 0)).toThrow(InvalidArgumentError);
    expect(() => planInclusion(-1, 3)).toThrow(InvalidArgumentError);
  });

  it('rejects a wrong number of hashes when assembling', () => {
    const plan = planInclusion(0, 5);
    expect(() => plan.assemble(read(plan.nodes).slice(1))).toThrow(InvalidArgumentError);
  });
});

describe('planConsistency', () => {
  it(`assembles exactly the RFC 9162 consistency proof for every 1 <= size1 <= size2 <= ${MAX}`, () => {
    let checked = 0;
    for (let size2 = 1; size2 <= MAX; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        const plan = planConsistency(size1, size2);
        for (const node of plan.nodes) expect(endLeaf(node)).toBeLessThanOrEqual(size2);
        expect(plan.nodes.length).toBeLessThanOrEqual(2 * log2ceil(size2) + 2);
        const proof = plan.assemble(read(plan.nodes));
        expect(hexes(proof)).toEqual(hexes(tree.consistencyProof(size1, size2)));
        expect(consistencyProofLength(size1, size2)).toBe(proof.length);
        verifyConsistency({
          size1,
          size2,
          proof,
          root1: tree.root(size1),
          root2: tree.root(size2),
        });
        checked++;
      }
    }
    expect(checked).toBe((MAX * (MAX + 1)) / 2);
  });

  it('plans an empty proof from size 0 and between equal sizes', () => {
    expect(planConsistency(0, 9).nodes).toEqual([]);
    expect(planConsistency(9, 9).nodes).toEqual([]);
  });

  it('rejects size1 > size2', () => {
    expect(() => planConsistency(5, 4)).toThrow(InvalidArgumentError);
  });
});

describe('verifyInclusion', () => {
  const size = 13;
  const index = 6;
  const proof = tree.inclusionProof(index, size);
  const root = tree.root(size);
  const leafHash = tree.leafHashes[index];

  it('returns the computed root from rootFromInclusionProof', () => {
    expect(toHex(rootFromInclusionProof({ index, size, leafHash, proof }))).toBe(toHex(root));
  });

  it('throws RootMismatchError with both roots for a flipped bit in any proof hash', () => {
    for (let i = 0; i < proof.length; i++) {
      const tampered = proof.map((h) => h.slice());
      tampered[i][0] ^= 1;
      let caught: unknown;
      try {
        verifyInclusion({ index, size, leafHash, proof: tampered, root });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RootMismatchError);
      expect(toHex((caught as RootMismatchError).expected)).toBe(toHex(root));
      expect(toHex((caught as RootMismatchError).computed)).not.toBe(toHex(root));
    }
  });

  it('throws RootMismatchError for another leaf or another index of the same shape', () => {
    expect(() =>
      verifyInclusion({ index, size, leafHash: tree.leafHashes[5], proof, root }),
    ).toThrow(RootMismatchError);
    expect(() => verifyInclusion({ index: 7, size, leafHash, proof, root })).toThrow(
      RootMismatchError,
    );
  });

  it('throws InvalidProofError for proofs of the wrong length or hash size, and bad indices', () => {
    expect(() => verifyInclusion({ index, size, leafHash, proof: proof.slice(1), root })).toThrow(
      InvalidProofError,
    );
    expect(() => verifyInclusion({ index, size, leafHash, proof: [...proof, root], root })).toThrow(
      InvalidProofError,
    );
    expect(() =>
      verifyInclusion({ index, size, leafHash: leafHash.subarray(1), proof, root }),
    ).toThrow(InvalidProofError);
    expect(() =>
      verifyInclusion({
        index,
        size,
        leafHash,
        proof: [proof[0].subarray(1), ...proof.slice(1)],
        root,
      }),
    ).toThrow(InvalidProofError);
    expect(() => verifyInclusion({ index: size, size, leafHash, proof, root })).toThrow(
      InvalidProofError,
    );
    expect(() => verifyInclusion({ index: 0, size: 0, leafHash, proof: [], root })).toThrow(
      InvalidProofError,
    );
  });
});

describe('verifyConsistency', () => {
  const size1 = 6;
  const size2 = 13;
  const proof = tree.consistencyProof(size1, size2);
  const root1 = tree.root(size1);
  const root2 = tree.root(size2);

  it('throws RootMismatchError for a flipped bit in any proof hash or either root', () => {
    for (let i = 0; i < proof.length; i++) {
      const tampered = proof.map((h) => h.slice());
      tampered[i][31] ^= 0x80;
      expect(() => verifyConsistency({ size1, size2, proof: tampered, root1, root2 })).toThrow(
        RootMismatchError,
      );
    }
    const bad = root2.slice();
    bad[0] ^= 1;
    expect(() => verifyConsistency({ size1, size2, proof, root1, root2: bad })).toThrow(
      RootMismatchError,
    );
    expect(() => verifyConsistency({ size1, size2, proof, root1: bad, root2 })).toThrow(
      RootMismatchError,
    );
  });

  it('throws RootMismatchError for a history that was rewritten', () => {
    const rewritten = new ReferenceTree([
      ...tree.leaves.slice(0, 3),
      new TextEncoder().encode('forged'),
      ...tree.leaves.slice(4, size2),
    ]);
    expect(() =>
      verifyConsistency({
        size1,
        size2,
        proof: rewritten.consistencyProof(size1, size2),
        root1,
        root2: rewritten.root(size2),
      }),
    ).toThrow(RootMismatchError);
  });

  it('throws InvalidProofError for wrong lengths and impossible sizes', () => {
    expect(() =>
      verifyConsistency({ size1, size2, proof: proof.slice(0, -1), root1, root2 }),
    ).toThrow(InvalidProofError);
    expect(() =>
      verifyConsistency({ size1, size2, proof: [...proof, root1], root1, root2 }),
    ).toThrow(InvalidProofError);
    expect(() => verifyConsistency({ size1: 14, size2, proof, root1, root2 })).toThrow(
      InvalidProofError,
    );
    expect(() => verifyConsistency({ size1: 6, size2: 6, proof, root1, root2: root1 })).toThrow(
      InvalidProofError,
    );
  });

  it('accepts equal sizes with an empty proof and equal roots only', () => {
    verifyConsistency({ size1: 6, size2: 6, proof: [], root1, root2: root1 });
    expect(() => verifyConsistency({ size1: 6, size2: 6, proof: [], root1, root2 })).toThrow(
      RootMismatchError,
    );
  });

  describe('from the empty tree', () => {
    it('rejects size1 = 0 by default, as the transparency-dev vectors do', () => {
      expect(() =>
        verifyConsistency({ size1: 0, size2: 5, proof: [], root1: emptyRoot(), root2 }),
      ).toThrow(InvalidProofError);
    });

    it('accepts an empty proof from size 0 with allowEmptyOldTree (the witness case)', () => {
      verifyConsistency(
        { size1: 0, size2: 5, proof: [], root1: emptyRoot(), root2: tree.root(5) },
        { allowEmptyOldTree: true },
      );
      verifyConsistency(
        { size1: 0, size2: 0, proof: [], root1: emptyRoot(), root2: emptyRoot() },
        { allowEmptyOldTree: true },
      );
    });

    it('still requires an empty proof and the empty-tree root1 with allowEmptyOldTree', () => {
      expect(() =>
        verifyConsistency(
          { size1: 0, size2: 5, proof: [root2], root1: emptyRoot(), root2 },
          { allowEmptyOldTree: true },
        ),
      ).toThrow(InvalidProofError);
      expect(() =>
        verifyConsistency(
          { size1: 0, size2: 5, proof: [], root1: root2, root2 },
          { allowEmptyOldTree: true },
        ),
      ).toThrow(RootMismatchError);
    });
  });
});
