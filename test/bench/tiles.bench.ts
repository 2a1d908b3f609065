import { PostgresEventStore } from '#event-store';
import { LogTiles } from '#transparency';
import {
  bytesEqual,
  CompactRange,
  decodeTile,
  formatTilePath,
  rootOf,
  TILE_WIDTH,
  tilesOf,
  type Tile,
} from '#ledger';

// The log's c2sp.org/tlog-tiles resources at scale, in process through LogTiles (what the
// /log controller calls, without HTTP): every tile and entry bundle of the tree produced once
// from the database, storing each full entry bundle as the first read of it does; then all
// again from the database, full bundles as stored, gzipped as clients ask for them; then one
// full tile read again and again from the cache.

export interface TileResults {
  tiles: number;
  bundles: number;
  /** Bytes of all hash tiles and (uncompressed) entry bundles. */
  bytes: number;
  /**
   * Wall time to produce every tile and bundle once, uncached, 4 at a time, on a log whose
   * full entry bundles were not stored yet: each first read stores its bundle.
   */
  storeSeconds: number;
  /** The same again, uncached, full bundles read as stored (gzip, as clients ask). */
  allSeconds: number;
  /** Reads of one cached full tile per second, one at a time. */
  cachedPerSecond: number;
  /** Reads of one cached gzipped full entry bundle per second, one at a time. */
  cachedBundlePerSecond: number;
}

const CONCURRENCY = 4;
const CACHED_READS = 100_000;

export async function benchTiles(args: {
  url: string;
  size: number;
  root: Uint8Array;
  log?: (line: string) => void;
}): Promise<TileResults> {
  const store = await PostgresEventStore.open({
    connectionString: args.url,
    migrate: false,
    poolSize: CONCURRENCY,
  });
  try {
    // Small enough that the pass over all tiles measures the database, not the cache.
    const tiles = new LogTiles(store, { cacheBytes: 16 * 1024 * 1024 });
    const all = tilesOf(args.size);
    let bytes = 0;
    let next = 0;
    // The partial tile of each level, to recompute the root from the tiles alone.
    const rightmost = new Map<number, Uint8Array[]>();
    let started = performance.now();
    const worker = async () => {
      while (next < all.length) {
        const tile = all[next++];
        const served = await tiles.read(formatTilePath(tile));
        bytes += served.bytes.length;
        if (tile.kind === 'hashes') keepForRoot(rightmost, tile, served.bytes);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const storeSeconds = (performance.now() - started) / 1000;
    if (!bytesEqual(rootFromTiles(rightmost, args.size), args.root)) {
      throw new Error('the tiles do not hash to the root the bench computed');
    }
    const hashTiles = all.filter((tile) => tile.kind === 'hashes').length;
    args.log?.(
      `all ${all.length} tiles and bundles once, storing the full bundles: ${storeSeconds.toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(0)} MiB`,
    );

    tiles.clearCache();
    next = 0;
    started = performance.now();
    const again = async () => {
      while (next < all.length) {
        const tile = all[next++];
        await tiles.read(formatTilePath(tile), { gzip: tile.kind === 'entries' });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, again));
    const allSeconds = (performance.now() - started) / 1000;
    args.log?.(`all again, full bundles as stored: ${allSeconds.toFixed(1)} s`);

    const rate = async (path: string, gzip: boolean) => {
      await tiles.read(path, { gzip });
      const from = performance.now();
      for (let i = 0; i < CACHED_READS; i++) await tiles.read(path, { gzip });
      return CACHED_READS / ((performance.now() - from) / 1000);
    };
    const cachedPerSecond = await rate('tile/0/000', false);
    const cachedBundlePerSecond = await rate('tile/entries/000', true);
    args.log?.(
      `cached full tile: ${Math.round(cachedPerSecond)} reads/s; cached gzipped bundle: ${Math.round(cachedBundlePerSecond)} reads/s`,
    );
    return {
      tiles: hashTiles,
      bundles: all.length - hashTiles,
      bytes,
      storeSeconds,
      allSeconds,
      cachedPerSecond,
      cachedBundlePerSecond,
    };
  } finally {
    await store.close();
  }
}

/**
 * Keeps the partial tiles: every node of the tree's compact range below level 8(L+1) lies
 * in the partial tile of level L, so they are all the root needs.
 */
function keepForRoot(kept: Map<number, Uint8Array[]>, tile: Tile, bytes: Uint8Array): void {
  if (tile.kind !== 'hashes' || tile.width === TILE_WIDTH) return;
  const hashes: Uint8Array[] = [];
  decodeTile(bytes).forEach((hash, i) => (hashes[tile.index * TILE_WIDTH + i] = hash));
  kept.set(tile.level, hashes);
}

/**
 * The root of a tree of `size` from its partial tiles: each perfect subtree of its compact
 * range at level 8L + b is the root of 2^b consecutive hashes of the level-L tile.
 */
function rootFromTiles(kept: Map<number, Uint8Array[]>, size: number): Uint8Array {
  const nodes = CompactRange.nodesFor(size);
  const hashes = nodes.map((node) => {
    const tileLevel = Math.floor(node.level / 8);
    const below = node.level - tileLevel * 8;
    const row = kept.get(tileLevel) ?? [];
    const first = node.index * 2 ** below;
    return rootOf(row.slice(first, first + 2 ** below));
  });
  return CompactRange.fromHashes(size, hashes).root();
}
