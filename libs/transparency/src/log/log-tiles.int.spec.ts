import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { canonicalize, decodeEntryBundle, decodeTile, leafBytesOf, leafHash, toHex } from '#ledger';
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
