import { describe, expect, it } from '@jest/globals';

import { toHex } from '../../test/support/fixtures.js';
import { ReferenceTree } from '../../test/support/reference-tree.js';
import { InvalidArgumentError } from '../errors.js';
import { CompactRange } from './compact-range.js';
import { emptyRoot } from './hash.js';
import { completedBy, decompose, endLeaf, firstLeaf, storedAt } from './node-id.js';

const hexes = (hashes: Uint8Array[]) => hashes.map(toHex);

describe('node storage layout', () => {
  it('stores a node in the row of its last leaf', () => {
    expect(storedAt({ level: 0, index: 5 })).toBe(5);
    expect(storedAt({ level: 1, index: 0 })).toBe(1);
    expect(storedAt({ level: 2, index: 1 })).toBe(7);
    expect(storedAt({ level: 3, index: 2 })).toBe(23);
    expect(storedAt({ level: 52, index: 1 })).toBe(2 ** 53 - 1);
  });

  it('completes one node per trailing 1 bit of the leaf index, level order', () => {
    expect(completedBy(0)).toEqual([{ level: 0, index: 0 }]);
    expect(completedBy(6)).toEqual([{ level: 0, index: 6 }]);
    expect(completedBy(7)).toEqual([
      { level: 0, index: 7 },
      { level: 1, index: 3 },
      { level: 2, index: 1 },
      { level: 3, index: 0 },
    ]);
    expect(completedBy(11)).toEqual([
      { level: 0, index: 11 },
      { level: 1, index: 5 },
      { level: 2, index: 2 },
    ]);
    expect(completedBy(2 ** 53 - 2)).toHaveLength(1);
    expect(completedBy(2 ** 52 - 1)).toHaveLength(53);
  });

  it('puts every perfect subtree of a 300-leaf tree in exactly one row, the row storedAt names', () => {
    const rowsOf = new Map<string, number[]>();
    for (let leaf = 0; leaf < 300; leaf++) {
      for (const node of completedBy(leaf)) {
        expect(storedAt(node)).toBe(leaf);
        const key = `${node.level}/${node.index}`;
        rowsOf.set(key, [...(rowsOf.get(key) ?? []), leaf]);
      }
    }
    let perfect = 0;
    for (let level = 0; 2 ** level <= 300; level++) {
      for (let index = 0; (index + 1) * 2 ** level <= 300; index++) {
        perfect++;
        expect(rowsOf.get(`${level}/${index}`)).toEqual([storedAt({ level, index })]);
      }
    }
    expect(rowsOf.size).toBe(perfect);
  });

  it('decomposes ranges into aligned perfect subtrees, left to right', () => {
    expect(decompose(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(decompose(3, 12)).toEqual([
      { level: 0, index: 3 },
      { level: 2, index: 1 },
      { level: 2, index: 2 },
    ]);
    expect(decompose(5, 5)).toEqual([]);
    for (let begin = 0; begin < 40; begin++) {
      for (let end = begin; end < 40; end++) {
        let next = begin;
        for (const node of decompose(begin, end)) {
          expect(firstLeaf(node)).toBe(next);
          next = endLeaf(node);
        }
        expect(next).toBe(end);
      }
    }
  });

  it('rejects leaf indices that are not safe non-negative integers', () => {
    expect(() => completedBy(-1)).toThrow(InvalidArgumentError);
    expect(() => completedBy(1.5)).toThrow(InvalidArgumentError);
    expect(() => completedBy(2 ** 53)).toThrow(InvalidArgumentError);
  });
});

describe('CompactRange', () => {
  const tree = ReferenceTree.ofSize(200);

  it('has the empty-string hash as the root of the empty tree', () => {
    const range = CompactRange.empty();
    expect(range.size).toBe(0);
    expect(toHex(range.root())).toBe(toHex(emptyRoot()));
    expect(range.hashes()).toEqual([]);
  });

  it('matches the reference root after every append up to 200 leaves', () => {
    const range = CompactRange.empty();
    for (let size = 1; size <= 200; size++) {
      range.append(tree.leafHashes[size - 1]);
      expect(range.size).toBe(size);
      expect(toHex(range.root())).toBe(toHex(tree.root(size)));
    }
  });

  it('returns from append exactly the hashes of the nodes the leaf completes, in level order', () => {
    const range = CompactRange.empty();
    for (let leaf = 0; leaf < 200; leaf++) {
      const row = range.append(tree.leafHashes[leaf]);
      const expected = completedBy(leaf).map((node) => tree.hash(firstLeaf(node), endLeaf(node)));
      expect(hexes(row)).toEqual(hexes(expected));
      expect(row[0]).toEqual(tree.leafHashes[leaf]);
    }
  });

  it('keeps as its border the hashes of nodesFor(size)', () => {
    const range = CompactRange.empty();
    for (let size = 1; size <= 200; size++) {
      range.append(tree.leafHashes[size - 1]);
      const nodes = CompactRange.nodesFor(size);
      expect(nodes).toEqual(decompose(0, size));
      expect(hexes(range.hashes())).toEqual(
        hexes(nodes.map((node) => tree.hash(firstLeaf(node), endLeaf(node)))),
      );
    }
  });

  it('restores from stored hashes and continues exactly like the original', () => {
    for (const size of [0, 1, 2, 3, 7, 8, 63, 64, 65, 100, 127]) {
      const original = CompactRange.empty();
      for (let i = 0; i < size; i++) original.append(tree.leafHashes[i]);
      const restored = CompactRange.fromHashes(size, original.hashes());
      expect(restored.size).toBe(size);
      expect(toHex(restored.root())).toBe(toHex(original.root()));
      for (let i = size; i < size + 30; i++) {
        expect(hexes(restored.append(tree.leafHashes[i]))).toEqual(
          hexes(original.append(tree.leafHashes[i])),
        );
      }
      expect(toHex(restored.root())).toBe(toHex(tree.root(size + 30)));
    }
  });

  it('restores from the rows an event store would keep', () => {
    const rows: Uint8Array[][] = [];
    const writer = CompactRange.empty();
    for (let i = 0; i < 100; i++) rows.push(writer.append(tree.leafHashes[i]));
    for (let size = 0; size <= 100; size++) {
      const hashes = CompactRange.nodesFor(size).map((node) => rows[storedAt(node)][node.level]);
      expect(toHex(CompactRange.fromHashes(size, hashes).root())).toBe(toHex(tree.root(size)));
    }
  });

  it('clones independently', () => {
    const range = CompactRange.empty();
    range.append(tree.leafHashes[0]);
    const copy = range.clone();
    copy.append(tree.leafHashes[1]);
    expect(range.size).toBe(1);
    expect(toHex(range.root())).toBe(toHex(tree.root(1)));
    expect(toHex(copy.root())).toBe(toHex(tree.root(2)));
  });

  it('rejects a wrong number of hashes, wrong-length hashes and bad sizes', () => {
    expect(() => CompactRange.fromHashes(3, [tree.leafHashes[0]])).toThrow(InvalidArgumentError);
    expect(() => CompactRange.fromHashes(1, [new Uint8Array(31)])).toThrow(InvalidArgumentError);
    expect(() => CompactRange.nodesFor(-1)).toThrow(InvalidArgumentError);
    expect(() => CompactRange.empty().append(new Uint8Array(33))).toThrow(InvalidArgumentError);
  });

  it('has one border node per 1 bit of the size, even near 2^53', () => {
    expect(CompactRange.nodesFor(2 ** 53 - 1)).toHaveLength(53);
    expect(CompactRange.nodesFor(2 ** 52)).toEqual([{ level: 52, index: 0 }]);
  });
});
