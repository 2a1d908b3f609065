import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { encodeEntryBundle, leafBytesOf, toHex } from '#ledger';
import { PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { event } from '../../../event-store/test/conformance/event-store.conformance.js';
import { EntryBundles } from './entry-bundles.js';

const hex = (bytes: Uint8Array) => toHex(bytes);

/** What the log's tiles served before bundles were stored: its events' leaf bytes, framed. */
async function expectedBundle(store: PostgresEventStore, index: number): Promise<string> {
  const events = await store.readAll({ from: index * 256, limit: 256, raw: true });
  expect(events).toHaveLength(256);
  return hex(encodeEntryBundle(events.map(leafBytesOf)));
}

async function append(store: PostgresEventStore, count: number, stream: string): Promise<void> {
  for (let from = 0; from < count; from += 100) {
    await store.append(
      stream,
      Array.from({ length: Math.min(100, count - from) }, (_, i) =>
        event('ProgressReported', { i: from + i, note: `avance ${from + i} — ñandú 𝄞` }),
      ),
      'any',
    );
  }
}

describe('EntryBundles', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let bundles: EntryBundles;
  const sql = (text: string, values: unknown[] = []) => store.pool.query(text, values);

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    bundles = new EntryBundles(store);
    // Two full bundles and a partial one of 88.
    await append(store, 600, 'commitment-1');
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('stores a full bundle whose bytes are exactly the leaves the tiles served', async () => {
    const saved = await bundles.save(1);
    const expected = await expectedBundle(store, 1);
    expect(hex(saved.bytes)).toBe(expected);
    expect(hex(gunzipSync(saved.gzip))).toBe(expected);
    const stored = await bundles.stored(1);
    expect(stored && hex(stored)).toBe(hex(saved.gzip));
  });

  it('returns the bundle stored first when it is saved again', async () => {
    const first = await bundles.save(0);
    const again = await bundles.save(0);
    expect(hex(again.gzip)).toBe(hex(first.gzip));
    const { rows } = await sql('SELECT count(*)::int AS n FROM events.entry_bundles');
    expect(rows[0].n).toBe(2);
  });

  it('assembles a partial bundle from its events, as the tiles served it', async () => {
    const bytes = await bundles.assemble({ kind: 'entries', index: 2, width: 88 });
    const events = await store.readAll({ from: 512, limit: 88, raw: true });
    expect(hex(bytes)).toBe(hex(encodeEntryBundle(events.map(leafBytesOf))));
  });

  it('says nothing is stored for a bundle not stored yet', async () => {
    expect(await bundles.stored(2)).toBeUndefined();
  });

  it('refuses to store a bundle the log does not fully hold, and stores nothing', async () => {
    await expect(bundles.save(2)).rejects.toThrow();
    await expect(
      sql('INSERT INTO events.entry_bundles (tile_index, gzip) VALUES (2, $1)', [Buffer.from('x')]),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      sql('INSERT INTO events.entry_bundles (tile_index, gzip) VALUES (9, $1)', [Buffer.from('x')]),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await bundles.stored(2)).toBeUndefined();
  });

  it.each([
    ['UPDATE', `UPDATE events.entry_bundles SET gzip = '\\x00'`],
    ['DELETE', 'DELETE FROM events.entry_bundles'],
    ['TRUNCATE', 'TRUNCATE events.entry_bundles'],
  ])('refuses %s of a stored bundle', async (_, statement) => {
    await expect(sql(statement)).rejects.toMatchObject({ code: '42501' });
    const { rows } = await sql('SELECT count(*)::int AS n FROM events.entry_bundles');
    expect(rows[0].n).toBe(2);
  });

  it('lists the full bundles not stored, in order, from where it is asked, up to a limit', async () => {
    await append(store, 1200, 'commitment-2'); // 1,800 events: full bundles 0 to 6
    expect(await bundles.missing({ from: 0, size: 1800, limit: 10 })).toEqual([2, 3, 4, 5, 6]);
    expect(await bundles.missing({ from: 4, size: 1800, limit: 10 })).toEqual([4, 5, 6]);
    expect(await bundles.missing({ from: 0, size: 1800, limit: 2 })).toEqual([2, 3]);
    // A log of 1,791 holds six full bundles; bundle 6 is partial.
    expect(await bundles.missing({ from: 0, size: 1791, limit: 10 })).toEqual([2, 3, 4, 5]);
    expect(await bundles.missing({ from: 7, size: 1800, limit: 10 })).toEqual([]);
  });
});

describe('EntryBundles over a log whose event was changed behind its back', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    await append(store, 300, 'commitment-1');
    // A superuser alters the data of position 7; its leaf hash in the tree stays the original.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `ALTER TABLE events.events DISABLE TRIGGER events_refuse_update_delete;
         UPDATE events.events SET data = '{"i": 7, "note": "otra cosa"}' WHERE global_position = 7;
         ALTER TABLE events.events ENABLE TRIGGER events_refuse_update_delete;`,
      );
    } finally {
      await admin.end();
    }
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('refuses to store a bundle whose entries are not the leaves of the tree', async () => {
    const bundles = new EntryBundles(store);
    await expect(bundles.save(0)).rejects.toThrow(/position 7 hashes to/);
    expect(await bundles.stored(0)).toBeUndefined();
  });
});
