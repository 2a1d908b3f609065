import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  bundleRange,
  bytesEqual,
  encodeEventBundle,
  leafHash,
  TILE_WIDTH,
  tileNodes,
  toBase64,
  type Tile,
} from '#ledger';
import { readStoredHashes, type PostgresEventStore } from '#event-store';

const gzipped = promisify(gzip);

/** A full entry bundle as stored: its bytes and their gzip. */
export interface StoredBundle {
  bytes: Uint8Array;
  gzip: Uint8Array;
}

/**
 * The log's entry bundles (c2sp.org/tlog-tiles): assembled from the events, and, for full
 * ones, stored once gzip-compressed in events.entry_bundles. A full bundle never changes, so
 * reading it back costs one primary-key lookup instead of reading its 256 events, writing
 * each one's canonical JSON and compressing the lot.
 */
export class EntryBundles {
  constructor(private readonly store: PostgresEventStore) {}

  /** The stored gzip of full bundle `index`, or undefined when it is not stored (yet). */
  async stored(index: number): Promise<Uint8Array | undefined> {
    const { rows } = await this.store.pool.query<{ gzip: Buffer }>(
      'SELECT gzip FROM events.entry_bundles WHERE tile_index = $1',
      [index],
    );
    return rows.length === 0 ? undefined : bytesOf(rows[0].gzip);
  }

  /**
   * The bundle `tile` names, assembled from its events: each one's leaf bytes, framed.
   * Precondition: the log holds them all (`treeHolds(tile, size)` for a size read before).
   */
  async assemble(tile: Tile): Promise<Uint8Array> {
    const { first, end } = bundleRange(tile);
    const events = await this.store.readAll({ from: first, limit: end - first, raw: true });
    events.forEach((event, i) => {
      if (event.position !== first + i) {
        throw new Error(`the event store is missing the event at position ${first + i}`);
      }
    });
    if (events.length !== end - first) {
      throw new Error(`the event store is missing the event at position ${first + events.length}`);
    }
    return encodeEventBundle(events);
  }

  /**
   * Assembles full bundle `index`, checks that each entry hashes to the leaf hash the tree
   * stores for its position, and stores its gzip, unless another process stored it first (then
   * that one is returned). Precondition: the log holds its 256 events; the database refuses
   * to store it otherwise.
   */
  async save(index: number): Promise<StoredBundle> {
    const tile: Tile = { kind: 'entries', index, width: TILE_WIDTH };
    const [bytes, leaves] = await Promise.all([
      this.assemble(tile),
      readStoredHashes(this.store.pool, tileNodes(tile)),
    ]);
    checkLeaves(bytes, leaves, index * TILE_WIDTH);
    const compressed = await gzipped(bytes);
    const { rows } = await this.store.pool.query(
      `INSERT INTO events.entry_bundles (tile_index, gzip) VALUES ($1, $2)
       ON CONFLICT (tile_index) DO NOTHING RETURNING tile_index`,
      [index, compressed],
    );
    if (rows.length === 1) return { bytes, gzip: bytesOf(compressed) };
    // Stored meanwhile by another process: serve the bytes every process serves.
    return { bytes, gzip: (await this.stored(index)) ?? bytesOf(compressed) };
  }

  /**
   * Indexes of the full bundles of a log of `size` events that are not stored, from `from`
   * on, in order, at most `limit` of them.
   */
  async missing(args: { from: number; size: number; limit: number }): Promise<number[]> {
    const full = Math.floor(args.size / TILE_WIDTH);
    if (args.from >= full) return [];
    const { rows } = await this.store.pool.query<{ index: string }>(
      `SELECT wanted AS index FROM generate_series($1::bigint, $2::bigint - 1) AS wanted
        WHERE NOT EXISTS (SELECT FROM events.entry_bundles WHERE tile_index = wanted)
        ORDER BY wanted LIMIT $3`,
      [args.from, full, args.limit],
    );
    return rows.map((row) => Number(row.index));
  }
}

/**
 * Checks that entry i of `bundle` hashes to `leaves[i]`, the leaf hash the tree stores for
 * position `first + i`: a stored bundle is served for as long as the log exists, so it must be
 * the log's own leaves, whatever the code that assembled it.
 */
function checkLeaves(bundle: Uint8Array, leaves: readonly Uint8Array[], first: number): void {
  let offset = 0;
  leaves.forEach((leaf, i) => {
    const length = (bundle[offset] << 8) | bundle[offset + 1];
    const entry = bundle.subarray(offset + 2, offset + 2 + length);
    const hash = leafHash(entry);
    if (!bytesEqual(hash, leaf)) {
      throw new Error(
        `the entry assembled for position ${first + i} hashes to ${toBase64(hash)}, but the ` +
          `tree's leaf hash there is ${toBase64(leaf)}; the bundle is not stored`,
      );
    }
    offset += 2 + length;
  });
  if (offset !== bundle.length)
    throw new Error('the assembled bundle holds more entries than the tile');
}

function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
