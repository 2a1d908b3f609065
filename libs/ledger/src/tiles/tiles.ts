import { InvalidArgumentError } from '../errors.js';
import { HASH_SIZE } from '../merkle/hash.js';
import type { NodeId } from '../merkle/node-id.js';

/** Tiles are 8 levels of the Merkle tree high (c2sp.org/tlog-tiles). */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile, entries in a full bundle. */
export const TILE_WIDTH = 2 ** TILE_HEIGHT;
/** The highest tile level a path may name. */
export const MAX_TILE_LEVEL = 63;
/** The longest entry a bundle can frame: its length prefix is a big-endian uint16. */
export const MAX_ENTRY_BYTES = 0xffff;

/**
 * A hash tile (`tile/<L>/<N>[.p/<W>]`) or an entry bundle (`tile/entries/<N>[.p/<W>]`).
 * `width` is 256 for a full tile, 1 to 255 for a partial one.
 */
export type Tile =
  | {
      readonly kind: 'hashes';
      readonly level: number;
      readonly index: number;
      readonly width: number;
    }
  | { readonly kind: 'entries'; readonly index: number; readonly width: number };

/** `n` as tlog-tiles path elements: zero-padded groups of three digits, all but the last `x`-prefixed. */
export function formatTileIndex(index: number): string {
  checkIndex(index);
  let rest = index;
  let path = String(rest % 1000).padStart(3, '0');
  while (rest >= 1000) {
    rest = Math.floor(rest / 1000);
    path = `x${String(rest % 1000).padStart(3, '0')}/${path}`;
  }
  return path;
}

/** The path of `tile` below the log's prefix, e.g. `tile/1/x001/234.p/17`. */
export function formatTilePath(tile: Tile): string {
  const kind = tile.kind === 'entries' ? 'entries' : String(tile.level);
  const partial = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
  return `tile/${kind}/${formatTileIndex(tile.index)}${partial}`;
}

const LEVEL = /^(0|[1-9][0-9]?)$/;
const WIDTH = /^[1-9][0-9]{0,2}$/;
const GROUP = /^x[0-9]{3}$/;
const LAST = /^[0-9]{3}$/;

/**
 * Parses a tile path below the log's prefix (`tile/<L>/<N>[.p/<W>]` or
 * `tile/entries/<N>[.p/<W>]`). Only the one canonical spelling of each tile is accepted (no
 * leading `x000` group, no leading zeros in `L` or `W`), so each resource has one URL.
 * Throws InvalidArgumentError naming what is wrong.
 */
export function parseTilePath(path: string): Tile {
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) {
    throw new InvalidArgumentError(
      `"${path}" is not a tile path: expected tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]`,
    );
  }
  let width = TILE_WIDTH;
  let elements = parts.slice(2);
  const last = elements[elements.length - 1];
  if (last.endsWith('.p')) {
    throw new InvalidArgumentError(
      `"${path}": a partial tile path ends in .p/<W>, the width is missing`,
    );
  }
  if (elements.length >= 2 && elements[elements.length - 2].endsWith('.p')) {
    const w = elements[elements.length - 1];
    if (!WIDTH.test(w) || Number(w) >= TILE_WIDTH) {
      throw new InvalidArgumentError(
        `"${path}": the partial width must be an integer from 1 to 255 without leading zeros, got "${w}"`,
      );
    }
    width = Number(w);
    elements = [...elements.slice(0, -2), elements[elements.length - 2].slice(0, -2)];
  }
  const index = parseIndex(path, elements);
  if (parts[1] === 'entries') return { kind: 'entries', index, width };
  if (!LEVEL.test(parts[1]) || Number(parts[1]) > MAX_TILE_LEVEL) {
    throw new InvalidArgumentError(
      `"${path}": the tile level must be "entries" or an integer from 0 to 63 without leading zeros, got "${parts[1]}"`,
    );
  }
  return { kind: 'hashes', level: Number(parts[1]), index, width };
}

function parseIndex(path: string, elements: readonly string[]): number {
  const groups = elements.slice(0, -1);
  const last = elements[elements.length - 1];
  if (!groups.every((group) => GROUP.test(group)) || !LAST.test(last)) {
    throw new InvalidArgumentError(
      `"${path}": the tile index must be groups of three digits, all but the last starting with x (e.g. x001/x234/067)`,
    );
  }
  if (groups[0] === 'x000') {
    throw new InvalidArgumentError(`"${path}": the tile index has a leading x000 group`);
  }
  let index = 0;
  for (const group of groups) index = index * 1000 + Number(group.slice(1));
  index = index * 1000 + Number(last);
  if (!Number.isSafeInteger(index)) {
    throw new InvalidArgumentError(`"${path}": the tile index is too large`);
  }
  return index;
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new InvalidArgumentError(
      `a tile index must be a non-negative safe integer, got ${index}`,
    );
  }
}

/** The tree level a tile's hashes sit at: 0 (leaves) for level-0 tiles and entry bundles. */
function hashLevel(tile: Tile): number {
  return tile.kind === 'entries' ? 0 : tile.level * TILE_HEIGHT;
}

/**
 * How many hashes of tile row `level` (0 for entry bundles) at `index` a tree of `treeSize`
 * leaves has: 256 when the tile is full, 1 to 255 when it is the rightmost, partial tile, 0
 * when the tree does not reach it.
 */
export function tileWidthIn(args: { level: number; index: number; treeSize: number }): number {
  const hashes = Math.floor(args.treeSize / TILE_WIDTH ** args.level);
  const start = args.index * TILE_WIDTH;
  if (hashes >= start + TILE_WIDTH) return TILE_WIDTH;
  return Math.max(0, hashes - start);
}

/**
 * Whether a tree of `treeSize` leaves holds every hash (or entry) of `tile`. A partial tile
 * narrower than the tree's rightmost one is held too: its hashes are a prefix of that tile's.
 */
export function treeHolds(tile: Tile, treeSize: number): boolean {
  const level = tile.kind === 'entries' ? 0 : tile.level;
  return tileWidthIn({ level, index: tile.index, treeSize }) >= tile.width;
}

/**
 * The perfect subtrees whose hashes make up `tile`, left to right: hash i of tile n at level l
 * is the Merkle Tree Hash of leaves [(n*256 + i) * 256^l, (n*256 + i + 1) * 256^l), which is
 * node (8l, n*256 + i). For an entry bundle, the leaves it holds.
 */
export function tileNodes(tile: Tile): NodeId[] {
  const level = hashLevel(tile);
  const first = tile.index * TILE_WIDTH;
  return Array.from({ length: tile.width }, (_, i) => ({ level, index: first + i }));
}

/** The leaf positions [first, end) whose entries an entry bundle holds. */
export function bundleRange(tile: Tile): { first: number; end: number } {
  const first = tile.index * TILE_WIDTH;
  return { first, end: first + tile.width };
}

/** A tile's bytes: its hashes concatenated. Precondition: every hash is 32 bytes. */
export function encodeTile(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(HASH_SIZE * hashes.length);
  hashes.forEach((hash, i) => {
    if (hash.length !== HASH_SIZE) {
      throw new InvalidArgumentError(`tile hashes are ${HASH_SIZE} bytes, got ${hash.length}`);
    }
    out.set(hash, HASH_SIZE * i);
  });
  return out;
}

/** Splits a tile's bytes into its hashes; throws when the length is not a multiple of 32. */
export function decodeTile(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length % HASH_SIZE !== 0) {
    throw new InvalidArgumentError(
      `a tile is a multiple of ${HASH_SIZE} bytes, got ${bytes.length}`,
    );
  }
  return Array.from({ length: bytes.length / HASH_SIZE }, (_, i) =>
    bytes.slice(HASH_SIZE * i, HASH_SIZE * (i + 1)),
  );
}

/**
 * An entry bundle: each entry prefixed with its length as a big-endian uint16. Throws when
 * an entry is longer than 65,535 bytes, which the format cannot frame.
 */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  entries.forEach((entry, i) => {
    if (entry.length > MAX_ENTRY_BYTES) {
      throw new InvalidArgumentError(
        `entry ${i} of the bundle is ${entry.length} bytes; an entry bundle frames at most ${MAX_ENTRY_BYTES}`,
      );
    }
    length += 2 + entry.length;
  });
  const out = new Uint8Array(length);
  let offset = 0;
  for (const entry of entries) {
    out[offset] = entry.length >>> 8;
    out[offset + 1] = entry.length & 0xff;
    out.set(entry, offset + 2);
    offset += 2 + entry.length;
  }
  return out;
}

/** The entries of a bundle; throws when a length prefix runs past the end. */
export function decodeEntryBundle(bytes: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length) {
      throw new InvalidArgumentError(
        `the entry bundle ends inside a length prefix at byte ${offset}`,
      );
    }
    const length = (bytes[offset] << 8) | bytes[offset + 1];
    if (offset + 2 + length > bytes.length) {
      throw new InvalidArgumentError(
        `entry ${entries.length} of the bundle claims ${length} bytes but only ${bytes.length - offset - 2} remain`,
      );
    }
    entries.push(bytes.slice(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return entries;
}

/**
 * Every tile and entry bundle a tree of `treeSize` leaves has, at its current widths:
 * full tiles, and the rightmost partial tile of each level that has one.
 */
export function tilesOf(treeSize: number): Tile[] {
  const tiles: Tile[] = [];
  for (let level = 0; level <= MAX_TILE_LEVEL; level++) {
    const hashes = Math.floor(treeSize / TILE_WIDTH ** level);
    if (hashes === 0) break;
    for (let index = 0; index * TILE_WIDTH < hashes; index++) {
      const width = tileWidthIn({ level, index, treeSize });
      tiles.push({ kind: 'hashes', level, index, width });
      if (level === 0) tiles.push({ kind: 'entries', index, width });
    }
  }
  return tiles;
}
