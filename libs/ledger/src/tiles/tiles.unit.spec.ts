import { describe, expect, it } from '@jest/globals';

import { toHex } from '../../test/support/fixtures.js';
import { ReferenceTree } from '../../test/support/reference-tree.js';
import { InvalidArgumentError } from '../errors.js';
import { CompactRange } from '../merkle/compact-range.js';
import { storedAt, type NodeId } from '../merkle/node-id.js';
import {
  decodeEntryBundle,
  decodeTile,
  encodeEntryBundle,
  encodeTile,
  formatTileIndex,
  formatTilePath,
  parseTilePath,
  tileNodes,
  tilesOf,
  tileWidthIn,
  treeHolds,
  type Tile,
} from './tiles.js';

describe('tile paths (c2sp.org/tlog-tiles)', () => {
  it('encodes an index in groups of three digits, all but the last starting with x', () => {
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(999)).toBe('999');
    expect(formatTileIndex(1000)).toBe('x001/000');
    expect(formatTileIndex(272)).toBe('272');
  });

  it('writes full tiles without a width and partial ones with .p/<W>', () => {
    expect(formatTilePath({ kind: 'hashes', level: 0, index: 1234067, width: 256 })).toBe(
      'tile/0/x001/x234/067',
    );
    expect(formatTilePath({ kind: 'hashes', level: 1, index: 1, width: 17 })).toBe(
      'tile/1/001.p/17',
    );
    expect(formatTilePath({ kind: 'entries', index: 273, width: 112 })).toBe(
      'tile/entries/273.p/112',
    );
  });

  it('parses what it writes, for hash tiles and entry bundles', () => {
    const tiles: Tile[] = [
      { kind: 'hashes', level: 0, index: 1234067, width: 256 },
      { kind: 'hashes', level: 63, index: 0, width: 1 },
      { kind: 'hashes', level: 2, index: 999_999_999, width: 255 },
      { kind: 'entries', index: 1000, width: 256 },
      { kind: 'entries', index: 5, width: 3 },
    ];
    for (const tile of tiles) expect(parseTilePath(formatTilePath(tile))).toEqual(tile);
  });

  it.each([
    ['tile/00/000', 'level'],
    ['tile/64/000', 'level'],
    ['tile/-1/000', 'level'],
    ['tile/data/000', 'level'],
    ['tile/0/1', 'index'],
    ['tile/0/0000', 'index'],
    ['tile/0/001/002', 'index'],
    ['tile/0/x001', 'index'],
    ['tile/0/x000/001', 'x000'],
    ['tile/0/000.p', 'width'],
    ['tile/0/000.p/0', 'width'],
    ['tile/0/000.p/256', 'width'],
    ['tile/0/000.p/017', 'width'],
    ['tile/0/000/', 'index'],
    ['tile/entries', 'not a tile path'],
    ['tiles/0/000', 'not a tile path'],
    ['tile/8/0/000', 'index'],
    ['tile/0/x999/x999/x999/x999/x999/999', 'too large'],
  ])('refuses %s, naming the %s', (path, what) => {
    expect(() => parseTilePath(path)).toThrow(InvalidArgumentError);
    expect(() => parseTilePath(path)).toThrow(what);
  });
});

describe('partial tiles', () => {
  it('describes a tree of 70,000 as the spec does', () => {
    const tiles = tilesOf(70_000).filter((tile) => tile.kind === 'hashes');
    const at = (level: number) =>
      tiles.filter((tile) => tile.kind === 'hashes' && tile.level === level);
    expect(at(0).filter((tile) => tile.width === 256)).toHaveLength(273);
    expect(at(0).filter((tile) => tile.width !== 256)).toEqual([
      { kind: 'hashes', level: 0, index: 273, width: 112 },
    ]);
    expect(at(1)).toEqual([
      { kind: 'hashes', level: 1, index: 0, width: 256 },
      { kind: 'hashes', level: 1, index: 1, width: 17 },
    ]);
    expect(at(2)).toEqual([{ kind: 'hashes', level: 2, index: 0, width: 1 }]);
    expect(at(3)).toEqual([]);
    expect(tilesOf(70_000).filter((tile) => tile.kind === 'entries')).toHaveLength(274);
  });

  it('describes a tree of 256 as a full level-0 tile and a level-1 tile of width 1', () => {
    expect(tilesOf(256)).toEqual([
      { kind: 'hashes', level: 0, index: 0, width: 256 },
      { kind: 'entries', index: 0, width: 256 },
      { kind: 'hashes', level: 1, index: 0, width: 1 },
    ]);
  });

  it('has no tiles for the empty tree', () => {
    expect(tilesOf(0)).toEqual([]);
  });

  it('says which tiles a tree holds: full ones, its partial ones and narrower ones, none beyond', () => {
    expect(tileWidthIn({ level: 0, index: 273, treeSize: 70_000 })).toBe(112);
    expect(tileWidthIn({ level: 0, index: 274, treeSize: 70_000 })).toBe(0);
    expect(tileWidthIn({ level: 2, index: 0, treeSize: 70_000 })).toBe(1);
    const tile = (index: number, width: number): Tile => ({
      kind: 'hashes',
      level: 0,
      index,
      width,
    });
    expect(treeHolds(tile(272, 256), 70_000)).toBe(true);
    expect(treeHolds(tile(273, 112), 70_000)).toBe(true);
    expect(treeHolds(tile(273, 5), 70_000)).toBe(true);
    expect(treeHolds(tile(273, 113), 70_000)).toBe(false);
    expect(treeHolds(tile(273, 256), 70_000)).toBe(false);
    expect(treeHolds({ kind: 'entries', index: 274, width: 1 }, 70_000)).toBe(false);
    expect(treeHolds({ kind: 'hashes', level: 3, index: 0, width: 1 }, 70_000)).toBe(false);
  });
});

describe('tile contents', () => {
  const SIZE = 70_000;
  const tree = ReferenceTree.ofSize(SIZE);
  // What the event store keeps: for each leaf, the hashes of the nodes it completes.
  const rows: Uint8Array[][] = [];
  const range = CompactRange.empty();
  for (const hash of tree.leafHashes) rows.push(range.append(hash));
  const read = (nodes: readonly NodeId[]) => nodes.map((node) => rows[storedAt(node)][node.level]);
  const tileBytes = (tile: Tile) => encodeTile(read(tileNodes(tile)));

  it('level-0 tiles hold the leaf hashes', () => {
    const tile: Tile = { kind: 'hashes', level: 0, index: 273, width: 112 };
    expect(decodeTile(tileBytes(tile)).map(toHex)).toEqual(
      tree.leafHashes.slice(273 * 256, 273 * 256 + 112).map(toHex),
    );
  });

  it('a level-1 hash is the Merkle Tree Hash of a full level-0 tile', () => {
    const full = decodeTile(tileBytes({ kind: 'hashes', level: 1, index: 0, width: 256 }));
    expect(full).toHaveLength(256);
    for (const i of [0, 1, 100, 255]) {
      expect(toHex(full[i])).toBe(toHex(tree.hash(i * 256, (i + 1) * 256)));
    }
    const partial = decodeTile(tileBytes({ kind: 'hashes', level: 1, index: 1, width: 17 }));
    expect(toHex(partial[16])).toBe(toHex(tree.hash((256 + 16) * 256, (256 + 17) * 256)));
  });

  it('the level-2 tile of a tree of 70,000 holds the root of its first 65,536 leaves', () => {
    const bytes = tileBytes({ kind: 'hashes', level: 2, index: 0, width: 1 });
    expect(bytes).toHaveLength(32);
    expect(toHex(bytes)).toBe(toHex(tree.root(65_536)));
  });

  it('a full tile is 8,192 bytes', () => {
    expect(tileBytes({ kind: 'hashes', level: 0, index: 0, width: 256 })).toHaveLength(8192);
  });
});

describe('entry bundles', () => {
  it('prefix each entry with its length as a big-endian uint16', () => {
    const bundle = encodeEntryBundle([
      new TextEncoder().encode('{"a":1}'),
      new Uint8Array(0),
      new Uint8Array(300).fill(7),
    ]);
    expect(Array.from(bundle.subarray(0, 9))).toEqual([
      0,
      7,
      ...new TextEncoder().encode('{"a":1}'),
    ]);
    expect(Array.from(bundle.subarray(9, 13))).toEqual([0, 0, 1, 44]);
    expect(bundle).toHaveLength(2 + 7 + 2 + 2 + 300);
    expect(decodeEntryBundle(bundle).map((entry) => entry.length)).toEqual([7, 0, 300]);
  });

  it('refuse an entry longer than 65,535 bytes', () => {
    expect(() => encodeEntryBundle([new Uint8Array(65_536)])).toThrow('65535');
    expect(encodeEntryBundle([new Uint8Array(65_535)])).toHaveLength(65_537);
  });

  it('refuse to decode a bundle cut inside an entry', () => {
    expect(() => decodeEntryBundle(Uint8Array.from([0, 5, 1, 2]))).toThrow('claims 5 bytes');
    expect(() => decodeEntryBundle(Uint8Array.from([0]))).toThrow('length prefix');
  });
});
