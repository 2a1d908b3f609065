import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import {
  formatTilePath,
  InvalidArgumentError,
  parseTilePath,
  TILE_WIDTH,
  tileNodes,
  treeHolds,
  type Tile,
} from '#ledger';
import {
  InvalidLedgerRequestError,
  LogEntryNotFoundError,
  readStoredHashRun,
  type PostgresEventStore,
} from '#event-store';
import { SingleFlight } from '#kernel';
import { EntryBundles } from './entry-bundles.js';

export interface LogTilesOptions {
  /** Upper bound of the bytes of tiles and entry bundles kept in memory. */
  cacheBytes?: number;
}

export interface ServedTile {
  tile: Tile;
  /** Full tiles never change; a partial one's path names its width, so it does not either. */
  full: boolean;
  /** `gzip` when the bytes are the gzip of the resource (entry bundles, when asked for). */
  encoding: 'identity' | 'gzip';
  bytes: Uint8Array;
}

const gzipped = promisify(gzip);
const gunzipped = promisify(gunzip);

/** 64 MiB: 8,192 full hash tiles, or the entry bundles of a few hundred thousand events. */
export const DEFAULT_TILE_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The log as c2sp.org/tlog-tiles resources: hash tiles assembled from the subtree hashes the
 * event rows store (no leaf is rehashed; one query per tile), and entry bundles of each
 * event's leaf bytes, its RFC 8785 canonical JSON. A full bundle is read as the log stored it,
 * gzip-compressed (EntryBundles; the first request for one not stored yet stores it); a partial
 * one is assembled from its events. A tile's bytes depend only on its path once the tree holds
 * it, so tiles are kept in a bounded LRU cache by path, and concurrent reads of one path share
 * one read.
 */
export class LogTiles {
  private readonly cache: LRUCache<string, Uint8Array>;
  private readonly reading = new SingleFlight<Uint8Array>();
  private readonly bundles: EntryBundles;

  constructor(
    private readonly store: PostgresEventStore,
    options: LogTilesOptions = {},
  ) {
    this.bundles = new EntryBundles(store);
    this.cache = new LRUCache<string, Uint8Array>({
      maxSize: options.cacheBytes ?? DEFAULT_TILE_CACHE_BYTES,
      // An empty value would count as nothing; every tile holds at least one hash or entry.
      sizeCalculation: (bytes) => Math.max(1, bytes.length),
    });
  }

  /**
   * The tile or entry bundle at `path` (below the log's prefix, e.g. `tile/0/x001/234.p/17`).
   * With `gzip`, an entry bundle comes compressed (the spec asks bundles to be compressed at
   * the HTTP layer; hashes do not compress). Throws InvalidLedgerRequestError for a path that
   * names no tile, and LogEntryNotFoundError for a tile the tree does not reach yet.
   */
  async read(path: string, options: { gzip?: boolean } = {}): Promise<ServedTile> {
    const tile = parse(path);
    const key = formatTilePath(tile);
    const full = tile.width === TILE_WIDTH;
    if (tile.kind !== 'entries') {
      const bytes = await this.cached(key, () => this.hashTile(tile, key));
      return { tile, full, encoding: 'identity', bytes };
    }
    const gzip = options.gzip === true;
    const encoding = gzip ? 'gzip' : 'identity';
    if (full) {
      const bytes = await this.cached(gzip ? `${key} gzip` : key, () =>
        this.fullBundle(tile, key, gzip),
      );
      return { tile, full, encoding, bytes };
    }
    const partial = () =>
      this.cached(key, async () => {
        await this.assertHeld(tile, key);
        return this.bundles.assemble(tile);
      });
    const bytes = gzip
      ? await this.cached(`${key} gzip`, async () => new Uint8Array(await gzipped(await partial())))
      : await partial();
    return { tile, full, encoding, bytes };
  }

  /** Drops every cached tile (benchmarks measure the uncached path with it). */
  clearCache(): void {
    this.cache.clear();
  }

  /** `key`'s bytes from the cache, or from `read` (one read at a time per key), then cached. */
  private async cached(key: string, read: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const bytes = await this.reading.run(key, read);
    this.cache.set(key, bytes);
    return bytes;
  }

  /**
   * A full bundle, its gzip or its bytes, as stored; stored first when it is not yet. Serving
   * identity inflates the stored gzip.
   */
  private async fullBundle(tile: Tile, key: string, gzip: boolean): Promise<Uint8Array> {
    const stored = await this.bundles.stored(tile.index);
    if (stored) return gzip ? stored : new Uint8Array(await gunzipped(stored));
    await this.assertHeld(tile, key);
    const saved = await this.bundles.save(tile.index);
    return gzip ? saved.gzip : saved.bytes;
  }

  private async hashTile(tile: Tile, key: string): Promise<Uint8Array> {
    // A subtree's hash is stored with its last leaf, in the append's transaction: every row
    // read means the tree holds the tile. The size is read only to say why a row is missing.
    try {
      return await readStoredHashRun(this.store.pool, tileNodes(tile));
    } catch (error) {
      await this.assertHeld(tile, key);
      throw error;
    }
  }

  private async assertHeld(tile: Tile, key: string): Promise<void> {
    const size = await this.size();
    if (!treeHolds(tile, size)) {
      throw new LogEntryNotFoundError(
        'tile',
        `${key} is beyond the log, which has ${size} events; ` +
          'fetch the checkpoint and only the tiles its size requires',
      );
    }
  }

  private async size(): Promise<number> {
    const { rows } = await this.store.pool.query<{ size: string }>(
      'SELECT size FROM events.log_head',
    );
    return Number(rows[0].size);
  }
}

function parse(path: string): Tile {
  try {
    return parseTilePath(path);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw new InvalidLedgerRequestError('path', error.message);
    }
    throw error;
  }
}
