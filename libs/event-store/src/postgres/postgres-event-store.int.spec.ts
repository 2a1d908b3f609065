import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { CompactRange, leafBytesOf, leafHash, rootOf, storedAt } from '#ledger';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { until } from '../../../../test/support/until.js';
import {
  describeEventStoreConformance,
  event,
} from '../../test/conformance/event-store.conformance.js';
import { InvalidEventError, VersionConflictError } from '../event-store.errors.js';
import type { EventStore, NewEvent } from '../event-store.port.js';
import { EVENT_STORE_MIGRATIONS, runMigrations } from './migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

const databases = new Map<EventStore, TestDatabase>();

async function openFresh(options: Parameters<typeof PostgresEventStore.open>[0] | object = {}) {
  const database = await createTestDatabase();
  const store = await PostgresEventStore.open({
    connectionString: database.url,
    pollMs: 200,
    ...options,
  });
  databases.set(store, database);
  return store;
}

/** Runs SQL as the superuser on the store's database, outside the store. */
async function sql(store: EventStore, text: string) {
  const database = databases.get(store);
  if (!database) throw new Error('unknown store');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

describeEventStoreConformance('PostgreSQL', {
  open: ({ upcasters }) => openFresh({ upcasters }),
  tamperAttempts: (store) => [
    { name: 'UPDATE', attempt: () => sql(store, `UPDATE events.events SET data = '{"value":2}'`) },
    { name: 'DELETE', attempt: () => sql(store, 'DELETE FROM events.events') },
    { name: 'TRUNCATE', attempt: () => sql(store, 'TRUNCATE events.events') },
    { name: 'TRUNCATE CASCADE', attempt: () => sql(store, 'TRUNCATE events.events CASCADE') },
  ],
  dispose: async (store) => {
    await databases.get(store)?.drop();
    databases.delete(store);
  },
});

describe('PostgresEventStore', () => {
  let store: PostgresEventStore;

  beforeAll(async () => {
    store = await openFresh();
  });

  afterAll(async () => {
    await store.close();
    await databases.get(store)?.drop();
  });

  it('groups concurrent appends into shared transactions (group commit)', async () => {
    const before = await store.head();
    await Promise.all(
      Array.from({ length: 64 }, (_, i) => store.append(`group-${i}`, [event('E')], 'no_stream')),
    );
    const { rows } = await sql(
      store,
      `SELECT count(DISTINCT xmin::text)::int AS transactions, count(*)::int AS events
         FROM events.events WHERE global_position >= ${before}`,
    );
    expect(rows[0].events).toBe(64);
    expect(rows[0].transactions).toBeLessThanOrEqual(8);
  });

  it('serves subscriptions that wake together with one read each time, every one getting every event', async () => {
    const from = await store.head();
    await store.append('shared-reads', [event('A'), event('B')], 'no_stream');
    const readAll = jest.spyOn(store, 'readAll');
    try {
      const followers = Array.from({ length: 50 }, () =>
        store.subscribe({ from })[Symbol.asyncIterator](),
      );
      // Every follower asks for its first event in the same turn: one statement answers all.
      const first = await Promise.all(followers.map((follower) => follower.next()));
      expect(readAll).toHaveBeenCalledTimes(1);
      expect(first.map((result) => result.value?.type)).toEqual(Array(50).fill('A'));
      const second = await Promise.all(followers.map((follower) => follower.next()));
      expect(second.map((result) => result.value?.type)).toEqual(Array(50).fill('B'));

      // Then live: each waits for the next notification and all read the new event together.
      const waiting = Promise.all(followers.map((follower) => follower.next()));
      readAll.mockClear();
      await store.append('shared-reads', [event('C')], 2);
      const third = await waiting;
      expect(third.map((result) => result.value?.type)).toEqual(Array(50).fill('C'));
      expect(readAll.mock.calls.length).toBeLessThanOrEqual(2);
      await Promise.all(followers.map((follower) => follower.return?.()));
    } finally {
      readAll.mockRestore();
    }
  });

  it('after a short page, waits for the next notification rather than reading again', async () => {
    // No periodic wake-up during the test: only notifications wake the follower.
    const quiet = await openFresh({ pollMs: 60_000 });
    const readAll = jest.spyOn(quiet, 'readAll');
    const subscription = quiet.subscribe({ from: 0 });
    const follower = subscription[Symbol.asyncIterator]();
    try {
      // Live, as a server's followers are: waiting for the first event when it comes, once
      // the store listens (its first read, then one more when the listening starts).
      const first = follower.next();
      await until(
        async () => readAll.mock.calls.length,
        (reads) => reads >= 2,
      );
      await quiet.append('short-pages', [event('A')], 'no_stream');
      expect((await first).value?.type).toBe('A');
      const calls = readAll.mock.calls.length;
      const waiting = follower.next();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The read that found A held all there was: no read after it until something is new.
      expect(readAll).toHaveBeenCalledTimes(calls);

      await quiet.append('short-pages', [event('B')], 1);
      expect((await waiting).value?.type).toBe('B');
      expect(readAll).toHaveBeenCalledTimes(calls + 1);
    } finally {
      await subscription.close();
      readAll.mockRestore();
      await quiet.close();
      await databases.get(quiet)?.drop();
    }
  });

  it('tells append observers how each append that reached the database ended', async () => {
    const seen: Array<{ outcome: string; events: number }> = [];
    const stop = store.observeAppends(({ outcome, events, seconds }) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      seen.push({ outcome, events });
    });
    try {
      await store.append('observed', [event('E'), event('E')], 'no_stream');
      await expect(store.append('observed', [event('E')], 0)).rejects.toThrow(VersionConflictError);
      // Refused before the database: not an append.
      await expect(store.append('observed', [], 2)).rejects.toThrow(InvalidEventError);
    } finally {
      stop();
    }
    await store.append('observed', [event('E')], 2);

    expect(seen).toEqual([
      { outcome: 'appended', events: 2 },
      { outcome: 'conflict', events: 1 },
    ]);
  });

  it('explains a refused change in the error message', async () => {
    await store.append('immutable', [event('E')], 'any');
    await expect(sql(store, 'DELETE FROM events.events')).rejects.toThrow(
      'events.events is append-only: DELETE is refused; record a correction event instead',
    );
  });

  it('stores the Merkle hashes of the subtrees each event completes', async () => {
    const { rows } = await sql(
      store,
      'SELECT global_position::int AS position, octet_length(hashes) AS bytes FROM events.events ORDER BY 1 LIMIT 8',
    );
    // Leaf i completes one subtree per trailing 1 bit of i, on top of its own leaf hash.
    expect(rows.map((r) => r.bytes / 32)).toEqual([1, 2, 1, 3, 1, 2, 1, 4]);
  });

  it('picks up where another process left the log, with the right tree', async () => {
    const other = await PostgresEventStore.open({
      connectionString: databases.get(store)?.url ?? '',
    });
    try {
      const before = await store.head();
      await other.append('other-process', [event('E')], 'any');
      const mine = await store.append('this-process', [event('E')], 'any');
      expect(mine.positions).toEqual([before + 1]);
    } finally {
      await other.close();
    }
  });

  it('stores leaf hashes of the stored envelopes and subtree hashes that make the right root', async () => {
    await Promise.all(
      Array.from({ length: 37 }, (_, i) =>
        store.append(`tree-${i % 5}`, [event('T', { i })], 'any'),
      ),
    );
    const size = await store.head();
    const events = await store.readAll({ raw: true, limit: size });
    const { rows } = await sql(store, 'SELECT hashes FROM events.events ORDER BY global_position');
    const leaves = events.map((e) => leafHash(leafBytesOf(e)));
    expect(rows.map((r) => Buffer.from(r.hashes.subarray(0, 32)).toString('hex'))).toEqual(
      leaves.map((h) => Buffer.from(h).toString('hex')),
    );
    const nodes = CompactRange.nodesFor(size).map(
      (node) =>
        new Uint8Array(
          rows[storedAt(node)].hashes.subarray(32 * node.level, 32 * (node.level + 1)),
        ),
    );
    expect(Buffer.from(CompactRange.fromHashes(size, nodes).root()).toString('hex')).toBe(
      Buffer.from(rootOf(leaves)).toString('hex'),
    );
  });

  it('stores, in one batch, metadata and data of every shape exactly as their leaves hash them', async () => {
    const from = await store.head();
    const shapes: NewEvent[] = [
      event(
        'Shaped',
        { text: 'ñandú "citado" \\ \u2028 😀', n: [1.5, 1e21, null] },
        {
          metadata: {
            actor: { subject: 'planeacion-ana', role: 'steward', agency: 'planeacion' },
            occurredAt: '2023-03-01T00:00:00-05:00',
            reason: 'la audiencia se aplazó\n"por lluvias"',
            commandId: 'cmd-1',
            correlationId: 'corr-1',
            causationId: 'cause-1',
          },
        },
      ),
      event('Shaped', {}, { metadata: { actor: null } }),
      event(
        'Shaped',
        { z: { b: 1, a: 2 } },
        { metadata: { actor: { subject: 'c', role: 'citizen' }, reason: 'r' } },
      ),
    ];
    await Promise.all(shapes.map((shape, i) => store.append(`shaped-${i}`, [shape], 'no_stream')));

    const events = await store.readAll({ raw: true, from, limit: shapes.length });
    const { rows } = await sql(
      store,
      `SELECT hashes FROM events.events WHERE global_position >= ${from} ORDER BY global_position`,
    );
    expect(rows.map((r) => Buffer.from(r.hashes.subarray(0, 32)).toString('hex'))).toEqual(
      events.map((e) => Buffer.from(leafHash(leafBytesOf(e))).toString('hex')),
    );
    const byStream = new Map(events.map((e) => [e.stream, e]));
    shapes.forEach((shape, i) => {
      const stored = byStream.get(`shaped-${i}`);
      expect(stored?.data).toEqual(shape.data);
      expect(stored?.metadata.reason).toBe(shape.metadata.reason);
    });
  });

  it('refuses a lone surrogate in one append, on its field, without failing the batch it shares', async () => {
    const from = await store.head();
    const bad = store.append(
      'lone-bad',
      [event('E', {}, { metadata: { actor: null, reason: 'aplazado \ud800' } })],
      'no_stream',
    );
    const good = store.append('lone-good', [event('E')], 'no_stream');

    await expect(bad).rejects.toMatchObject({
      code: 'INVALID_EVENT',
      field: 'events[0].metadata.reason',
    });
    await expect(good).resolves.toMatchObject({ positions: [from] });
    expect(await store.readStream('lone-bad')).toEqual([]);
  });

  it('refuses a NUL character in metadata on its field, not with a database error', async () => {
    const from = await store.head();
    const bad = store.append(
      'nul-bad',
      [
        event(
          'E',
          {},
          { metadata: { actor: { subject: 'ana', role: 'steward' }, reason: 'a\u0000b' } },
        ),
      ],
      'no_stream',
    );
    const good = store.append('nul-good', [event('E')], 'no_stream');

    await expect(bad).rejects.toMatchObject({
      code: 'INVALID_EVENT',
      field: 'events[0].metadata.reason',
    });
    await expect(good).resolves.toMatchObject({ positions: [from] });
    expect(await store.readStream('nul-bad')).toEqual([]);
  });

  it('keeps the tree right when two processes append concurrently, each planning ahead', async () => {
    const url = databases.get(store)?.url ?? '';
    const other = await PostgresEventStore.open({ connectionString: url });
    try {
      const before = await store.head();
      await Promise.all(
        [store, other].flatMap((writer, p) =>
          Array.from({ length: 16 }, async (_, w) => {
            for (let i = 0; i < 15; i++) {
              await writer.append(
                `race-${p}-${w}`,
                [event('R', { p, w, i }), event('S', { i })],
                i * 2,
              );
            }
          }),
        ),
      );
      const size = await store.head();
      expect(size - before).toBe(2 * 16 * 15 * 2);
      const events = await store.readAll({ raw: true, limit: size });
      expect(events.map((e) => e.position)).toEqual([...Array(size).keys()]);
      const { rows } = await sql(
        store,
        'SELECT hashes FROM events.events ORDER BY global_position',
      );
      const leaves = events.map((e) => leafHash(leafBytesOf(e)));
      rows.forEach((row, i) =>
        expect(Buffer.from(row.hashes.subarray(0, 32)).toString('hex')).toBe(
          Buffer.from(leaves[i]).toString('hex'),
        ),
      );
      const nodes = CompactRange.nodesFor(size).map(
        (node) =>
          new Uint8Array(
            rows[storedAt(node)].hashes.subarray(32 * node.level, 32 * (node.level + 1)),
          ),
      );
      expect(Buffer.from(CompactRange.fromHashes(size, nodes).root()).toString('hex')).toBe(
        Buffer.from(rootOf(leaves)).toString('hex'),
      );
    } finally {
      await other.close();
    }
  });

  it('runs each migration once, however often it is asked to', async () => {
    const pool = new pg.Pool({ connectionString: databases.get(store)?.url });
    try {
      expect(await runMigrations(pool)).toEqual([]);
      const { rows } = await pool.query('SELECT version FROM events.schema_migrations');
      expect(rows.map((r) => r.version)).toEqual(EVENT_STORE_MIGRATIONS.map((m) => m.version));
    } finally {
      await pool.end();
    }
  });
});
