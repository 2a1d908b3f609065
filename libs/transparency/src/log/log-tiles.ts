import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import {
  bundleRange,
  encodeEntryBundle,
  encodeTile,
  formatTilePath,
  InvalidArgumentError,
  leafBytesOf,
  MAX_ENTRY_BYTES,
  parseTilePath,
  TILE_WIDTH,
  tileNodes,
  treeHolds,
  type Tile,
} from '#ledger';
import {
  InvalidLedgerRequestError,
  LogEntryNotFoundError,
  readStoredHashes,
  type PostgresEventStore,
} from '#event-store';

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

/** 64 MiB: 8,192 full hash tiles, or the entry bundles of a few hundred thousand events. */
export const DEFAULT_TILE_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The log as c2sp.org/tlog-tiles resources: hash tiles assembled from the subtree hashes the
 * event rows store (no leaf is rehashed; one primary-key query per tile), and entry bundles of
 * each event's leaf bytes, its RFC 8785 canonical JSON. A tile's bytes depend only on its path
 * once the tree holds it, so tiles are kept in a bounded LRU cache by path.
 */
export class LogTiles {
  private readonly cache: LRUCache<string, Uint8Array>;

  constructor(
    private readonly store: PostgresEventStore,
    options: LogTilesOptions = {},
  ) {
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
    if (tile.kind !== 'entries' || !options.gzip) {
      return { tile, full, encoding: 'identity', bytes: await this.bytesOf(tile, key) };
    }
    const compressedKey = `${key} gzip`;
    let bytes = this.cache.get(compressedKey);
    if (!bytes) {
      bytes = new Uint8Array(await gzipped(await this.bytesOf(tile, key)));
      this.cache.set(compressedKey, bytes);
    }
    return { tile, full, encoding: 'gzip', bytes };
  }

  private async bytesOf(tile: Tile, key: string): Promise<Uint8Array> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const size = await this.size();
    if (!treeHolds(tile, size)) {
      throw new LogEntryNotFoundError(
        'tile',
        `${key} is beyond the log, which has ${size} events; ` +
          'fetch the checkpoint and only the tiles its size requires',
      );
    }
    const bytes = tile.kind === 'entries' ? await this.bundle(tile) : await this.hashTile(tile);
    this.cache.set(key, bytes);
    return bytes;
  }

  /** Drops every cached tile (benchmarks measure the uncached path with it). */
  clearCache(): void {
    this.cache.clear();
  }

  private async hashTile(tile: Tile): Promise<Uint8Array> {
    return encodeTile(await readStoredHashes(this.store.pool, tileNodes(tile)));
  }

  private async bundle(tile: Tile): Promise<Uint8Array> {
    const { first, end } = bundleRange(tile);
    const events = await this.store.readAll({ from: first, limit: end - first, raw: true });
    const entries = events.map((event, i) => {
      if (event.position !== first + i) {
        throw new Error(`the event store is missing the event at position ${first + i}`);
      }
      const entry = leafBytesOf(event);
      if (entry.length > MAX_ENTRY_BYTES) {
        throw new Error(
          `the event at position ${event.position} is ${entry.length} bytes of canonical JSON, ` +
            `more than the ${MAX_ENTRY_BYTES} an entry bundle can frame`,
        );
      }
      return entry;
    });
    if (entries.length !== end - first) {
      throw new Error(`the event store is missing the event at position ${first + entries.length}`);
    }
    return encodeEntryBundle(entries);
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
