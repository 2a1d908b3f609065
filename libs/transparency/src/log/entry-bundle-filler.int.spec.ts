import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { encodeEntryBundle, leafBytesOf, toHex } from '#ledger';
import { PostgresEventStore } from '#event-store';
import { AdvisoryLease } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { event } from '../../../event-store/test/conformance/event-store.conformance.js';
import { ENTRY_BUNDLE_LOCK, EntryBundleFiller } from './entry-bundle-filler.js';
import { EntryBundles } from './entry-bundles.js';

async function append(store: PostgresEventStore, count: number): Promise<void> {
  for (let from = 0; from < count; from += 100) {
    await store.append(
      `commitment-${from}`,
      Array.from({ length: Math.min(100, count - from) }, (_, i) =>
        event('ProgressReported', { i: from + i }),
      ),
      'any',
    );
  }
}

async function storedIndexes(store: PostgresEventStore): Promise<number[]> {
  const { rows } = await store.pool.query<{ tile_index: string }>(
    'SELECT tile_index FROM events.entry_bundles ORDER BY tile_index',
  );
  return rows.map((row) => Number(row.tile_index));
}

describe('EntryBundleFiller', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('stores the full bundles of the log as it grows, never a partial one', async () => {
    const filler = new EntryBundleFiller(store, new EntryBundles(store));
    expect(await filler.tick()).toBe(0);
    await append(store, 600);
    expect(await filler.tick()).toBe(2);
    expect(await storedIndexes(store)).toEqual([0, 1]);
    expect(await filler.tick()).toBe(0);
    await append(store, 200);
    expect(await filler.tick()).toBe(1);
    expect(await storedIndexes(store)).toEqual([0, 1, 2]);

    const stored = await new EntryBundles(store).stored(2);
    const events = await store.readAll({ from: 512, limit: 256, raw: true });
    expect(toHex(gunzipSync(stored as Uint8Array))).toBe(
      toHex(encodeEntryBundle(events.map(leafBytesOf))),
    );
  });

  it('stands by while another process holds its lease, and takes over when it is free', async () => {
    await append(store, 256); // 1,056 events: bundle 3 is full
    const holder = new AdvisoryLease(database.url, ENTRY_BUNDLE_LOCK, 'test-holder');
    expect(await holder.acquire()).toBe(true);
    const lease = new AdvisoryLease(database.url, ENTRY_BUNDLE_LOCK, 'test-standby');
    const filler = new EntryBundleFiller(store, new EntryBundles(store), {
      lease,
      standbyMs: 5000,
    });
    try {
      const now = Date.now();
      expect(await filler.tick(now)).toBe(0);
      expect(await storedIndexes(store)).toEqual([0, 1, 2]);
      await holder.release();
      // Not before its next attempt at the lease...
      expect(await filler.tick(now + 1000)).toBe(0);
      // ...then it takes it and catches up.
      expect(await filler.tick(now + 5000)).toBe(1);
      expect(lease.held).toBe(true);
      expect(await storedIndexes(store)).toEqual([0, 1, 2, 3]);
    } finally {
      await filler.stop();
      await holder.release();
    }
    expect(lease.held).toBe(false);
  });
});

describe('EntryBundleFiller over a log whose event was changed behind its back', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    await append(store, 300);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `ALTER TABLE events.events DISABLE TRIGGER events_refuse_update_delete;
         UPDATE events.events SET data = '{"i": 7, "altered": true}' WHERE global_position = 7;
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

  it('stores nothing, says which bundle failed, and waits before trying again', async () => {
    const lines: string[] = [];
    const filler = new EntryBundleFiller(store, new EntryBundles(store), {
      retryMs: 60_000,
      log: (line) => lines.push(line),
    });
    const now = Date.now();
    expect(await filler.tick(now)).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^storing entry bundle 0 failed: /);
    expect(await filler.tick(now + 1000)).toBe(0);
    expect(lines).toHaveLength(1);
    expect(await filler.tick(now + 60_000)).toBe(0);
    expect(lines).toHaveLength(2);
    expect(await storedIndexes(store)).toEqual([]);
  });
});
