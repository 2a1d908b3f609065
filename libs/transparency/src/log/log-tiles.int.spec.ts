import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  canonicalize,
  decodeEntryBundle,
  decodeTile,
  encodeEntryBundle,
  leafBytesOf,
  leafHash,
  toHex,
} from '#ledger';
import { InvalidLedgerRequestError, LogEntryNotFoundError, PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { event } from '../../../event-store/test/conformance/event-store.conformance.js';
import { LogTiles } from './log-tiles.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('LogTiles', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  const appendEvents = (count: number, stream: string) =>
    store.append(
      stream,
      Array.from({ length: count }, (_, i) => event('E', { i, stream })),
      'any',
    );
  const leafHashes = async (from: number, count: number) =>
    (await store.readAll({ from, limit: count, raw: true })).map((e) =>
      toHex(leafHash(leafBytesOf(e))),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    await appendEvents(10, 'first');
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('serves a tile once the log reaches it, though it was asked for before', async () => {
    const tiles = new LogTiles(store);
    await expect(tiles.read('tile/0/000.p/12')).rejects.toThrow(LogEntryNotFoundError);
    await appendEvents(5, 'second');
    const served = await tiles.read('tile/0/000.p/12');
    expect(decodeTile(served.bytes).map(toHex)).toEqual(await leafHashes(0, 12));
    expect(served).toMatchObject({ full: false, encoding: 'identity' });
  });

  it('keeps serving a narrower partial tile, unchanged, after the log grows', async () => {
    const tiles = new LogTiles(store);
    const before = await tiles.read('tile/0/000.p/10');
    await appendEvents(3, 'third');
    const fresh = new LogTiles(store);
    const after = await fresh.read('tile/0/000.p/10');
    expect(toHex(after.bytes)).toBe(toHex(before.bytes));
  });

  it('gzips an entry bundle when asked, and only entry bundles', async () => {
    const tiles = new LogTiles(store);
    const bundle = await tiles.read('tile/entries/000.p/10', { gzip: true });
    expect(bundle.encoding).toBe('gzip');
    const events = await store.readAll({ from: 0, limit: 10, raw: true });
    expect(decodeEntryBundle(new Uint8Array(gunzipSync(bundle.bytes))).map(text)).toEqual(
      events.map((e) => canonicalize(e)),
    );
    const hashes = await tiles.read('tile/0/000.p/10', { gzip: true });
    expect(hashes.encoding).toBe('identity');
    expect(hashes.bytes).toHaveLength(320);
  });

  it('stays within its cache bound', async () => {
    const tiles = new LogTiles(store, { cacheBytes: 400 });
    const first = await tiles.read('tile/0/000.p/10');
    await tiles.read('tile/0/000.p/11');
    // 320 + 352 bytes do not fit in 400: the first was evicted and is read again, equal.
    const again = await tiles.read('tile/0/000.p/10');
    expect(again.bytes).not.toBe(first.bytes);
    expect(toHex(again.bytes)).toBe(toHex(first.bytes));
    const cached = await tiles.read('tile/0/000.p/10');
    expect(cached.bytes).toBe(again.bytes);
  });

  it('refuses a malformed path as a bad request naming the path', async () => {
    const tiles = new LogTiles(store);
    await expect(tiles.read('tile/0/12')).rejects.toThrow(InvalidLedgerRequestError);
    await expect(tiles.read('tile/0/12')).rejects.toThrow('"tile/0/12"');
  });
});

describe('LogTiles, full entry bundles', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  const storedGzip = async (index: number) => {
    const { rows } = await store.pool.query<{ gzip: Buffer }>(
      'SELECT gzip FROM events.entry_bundles WHERE tile_index = $1',
      [index],
    );
    return rows.map((row) => toHex(row.gzip));
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    // 800 events: full bundles 0 to 2, and a partial one of 32.
    for (let batch = 0; batch < 8; batch++) {
      await store.append(
        `stream-${batch}`,
        Array.from({ length: 100 }, (_, i) => event('E', { batch, i, note: 'ñandú 𝄞' })),
        'any',
      );
    }
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('stores a full bundle the first time it is read, and serves every later read from it', async () => {
    const events = await store.readAll({ from: 0, limit: 256, raw: true });
    const expected = toHex(encodeEntryBundle(events.map(leafBytesOf)));
    expect(await storedGzip(0)).toEqual([]);

    const first = await new LogTiles(store).read('tile/entries/000', { gzip: true });
    expect(first).toMatchObject({ full: true, encoding: 'gzip' });
    expect(await storedGzip(0)).toEqual([toHex(first.bytes)]);
    expect(toHex(gunzipSync(first.bytes))).toBe(expected);

    // Processes that never read it (no cache) serve the stored bytes, and inflate them for
    // a client that does not take gzip.
    const gzipped = await new LogTiles(store).read('tile/entries/000', { gzip: true });
    expect(toHex(gzipped.bytes)).toBe(toHex(first.bytes));
    const identity = await new LogTiles(store).read('tile/entries/000');
    expect(identity).toMatchObject({ full: true, encoding: 'identity' });
    expect(toHex(identity.bytes)).toBe(expected);
  });

  it('stores a full bundle first read without gzip too', async () => {
    const served = await new LogTiles(store).read('tile/entries/001');
    const events = await store.readAll({ from: 256, limit: 256, raw: true });
    expect(toHex(served.bytes)).toBe(toHex(encodeEntryBundle(events.map(leafBytesOf))));
    const [stored] = await storedGzip(1);
    expect(toHex(gunzipSync(Buffer.from(stored, 'hex')))).toBe(toHex(served.bytes));
  });

  it('assembles a partial bundle from its events and stores nothing for it', async () => {
    const served = await new LogTiles(store).read('tile/entries/003.p/32', { gzip: true });
    const events = await store.readAll({ from: 768, limit: 32, raw: true });
    expect(served).toMatchObject({ full: false, encoding: 'gzip' });
    expect(toHex(gunzipSync(served.bytes))).toBe(toHex(encodeEntryBundle(events.map(leafBytesOf))));
    expect(await storedGzip(3)).toEqual([]);
  });

  it('answers a full bundle beyond the log as not found, and stores nothing', async () => {
    const tiles = new LogTiles(store);
    await expect(tiles.read('tile/entries/003', { gzip: true })).rejects.toThrow(
      LogEntryNotFoundError,
    );
    await expect(tiles.read('tile/entries/003')).rejects.toThrow(LogEntryNotFoundError);
    expect(await storedGzip(3)).toEqual([]);
  });

  it('shares one read between concurrent requests for the same bundle', async () => {
    const tiles = new LogTiles(store);
    const [a, b] = await Promise.all([
      tiles.read('tile/entries/002', { gzip: true }),
      tiles.read('tile/entries/002', { gzip: true }),
    ]);
    expect(a.bytes).toBe(b.bytes);
    expect(await storedGzip(2)).toEqual([toHex(a.bytes)]);
  });
});
