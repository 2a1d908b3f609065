import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { outageProxy, type OutageProxy } from '../../../../test/support/outage-proxy.js';
import { event } from '../../test/conformance/event-store.conformance.js';
import { DatabaseUnavailableError } from '../event-store.errors.js';
import type { RecordedEvent, Subscription } from '../event-store.port.js';
import { isConnectionLoss, ListeningConnection } from './connections.js';
import { PostgresEventStore } from './postgres-event-store.js';

// The store between lost connections: a proxy makes the database unreachable for a while,
// pg_terminate_backend ends every session as an operator or a failover would.

async function take(subscription: Subscription, count: number): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  for await (const recorded of subscription) {
    seen.push(recorded);
    if (seen.length === count) break;
  }
  return seen;
}

describe('PostgresEventStore when the database connection is lost', () => {
  let database: TestDatabase;
  let proxy: OutageProxy;
  /** Writes straight to the database, whatever the proxy does. */
  let writer: PostgresEventStore;
  const opened: PostgresEventStore[] = [];

  const openThroughProxy = async (unavailableAfterMs: number) => {
    const store = await PostgresEventStore.open({
      connectionString: proxy.url,
      pollMs: 200,
      unavailableAfterMs,
    });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await outageProxy(database.url);
    writer = await PostgresEventStore.open({ connectionString: database.url, pollMs: 200 });
  });

  afterEach(async () => {
    proxy.restore();
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  afterAll(async () => {
    await writer.close();
    await proxy.close();
    await database.drop();
  });

  it('keeps a subscription going through an outage shorter than its limit: every event once', async () => {
    const store = await openThroughProxy(30_000);
    const from = await writer.head();
    const subscription = store.subscribe({ from });
    const received = take(subscription, 10);
    for (let i = 0; i < 5; i++) await writer.append('outage-short', [event('E', { i })], 'any');
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.cut();
    for (let i = 5; i < 10; i++) await writer.append('outage-short', [event('E', { i })], 'any');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    proxy.restore();

    const events = await received;
    await subscription.close();
    expect(events.map((e) => e.data.i)).toEqual([...Array(10).keys()]);
    expect(events.map((e) => e.position)).toEqual([...Array(10).keys()].map((i) => from + i));
  });

  it('ends a subscription with DATABASE_UNAVAILABLE and the position to resume from once the outage outlasts its limit', async () => {
    const store = await openThroughProxy(1000);
    await writer.append('outage-long', [event('E', { i: 0 }), event('E', { i: 1 })], 'any');
    const from = (await writer.head()) - 2;
    const subscription = store.subscribe({ from });
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.position).toBe(from);
    expect((await iterator.next()).value?.position).toBe(from + 1);
    proxy.cut();

    const ended = await iterator.next().then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(ended).toBeInstanceOf(DatabaseUnavailableError);
    const error = ended as DatabaseUnavailableError;
    expect(error.code).toBe('DATABASE_UNAVAILABLE');
    expect(error.details()).toEqual({ position: from + 2 });
    expect(error.message).toContain(`from position ${from + 2}`);
  });

  it('answers every append once while every session is terminated again and again', async () => {
    const store = await openThroughProxy(30_000);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const outcomes: Array<{ i: number; positions?: number[]; code?: string }> = [];
    try {
      const appends = Array.from({ length: 200 }, async (_, i) => {
        // Spread over the terminations below.
        await new Promise((resolve) => setTimeout(resolve, i * 5));
        try {
          const result = await store.append(`terminated-${i}`, [event('E', { i })], 'no_stream');
          outcomes.push({ i, positions: result.positions });
        } catch (error) {
          outcomes.push({ i, code: (error as { code?: string }).code ?? String(error) });
        }
      });
      for (let round = 0; round < 5; round++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name = 'cuenta-event-store'`,
          [database.name],
        );
      }
      await Promise.all(appends);
    } finally {
      await admin.end();
    }
    // Retrying the ones that failed, with the same stream and expectation, stores nothing twice.
    for (const failed of outcomes.filter((o) => o.code !== undefined)) {
      expect(failed.code).toBe('DATABASE_UNAVAILABLE');
    }

    const stored = await writer.readAll({
      from: 0,
      limit: 10_000,
      filter: { streamPrefix: 'terminated-' },
    });
    const acknowledged = outcomes.filter((o) => o.positions).flatMap((o) => o.positions ?? []);
    expect(new Set(stored.map((e) => e.stream)).size).toBe(stored.length);
    expect(acknowledged.filter((p) => !stored.some((e) => e.position === p))).toEqual([]);
    const all = await writer.readAll({ from: 0, limit: 10_000 });
    expect(all.map((e) => e.position)).toEqual([...Array(all.length).keys()]);
  });
});

describe('ListeningConnection', () => {
  let database: TestDatabase;
  let proxy: OutageProxy;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await outageProxy(database.url);
  });

  afterAll(async () => {
    await proxy.close();
    await database.drop();
  });

  const waitUntil = async (what: string, done: () => boolean) => {
    for (let waited = 0; !done(); waited += 50) {
      if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('notices a connection that went silent, makes it again and hears notifications again', async () => {
    const seen = { listening: 0, down: 0, notifications: [] as string[] };
    const connection = new ListeningConnection({
      connectionString: proxy.url,
      applicationName: 'cuenta-test-listen',
      channels: ['cuenta_test_channel'],
      heartbeatMs: 300,
      onNotification: (message) => seen.notifications.push(message.payload ?? ''),
      onListening: () => seen.listening++,
      onDown: () => seen.down++,
    });
    const notify = async (payload: string) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query(`SELECT pg_notify('cuenta_test_channel', $1)`, [payload]);
      await client.end();
    };
    try {
      connection.start();
      await waitUntil('the first LISTEN', () => seen.listening === 1);
      await notify('before');
      await waitUntil('the first notification', () => seen.notifications.length === 1);

      proxy.freeze();
      await waitUntil('the silence to be noticed', () => seen.down > 0);
      expect(connection.listening).toBe(false);
      proxy.restore();
      await waitUntil('LISTEN again', () => seen.listening >= 2);
      await notify('after');
      await waitUntil('the notification after', () => seen.notifications.includes('after'));

      expect(seen.notifications).toEqual(['before', 'after']);
      expect(connection.downSince).toBeUndefined();
    } finally {
      proxy.restore();
      await connection.close();
    }
  });
});

describe('isConnectionLoss', () => {
  const databaseError = (code: string) => {
    const error = new pg.DatabaseError('message', 0, 'error');
    error.code = code;
    return error;
  };

  it('takes a terminated session, a shutdown or a refused connection for a lost connection', () => {
    expect(isConnectionLoss(databaseError('57P01'))).toBe(true);
    expect(isConnectionLoss(databaseError('57P03'))).toBe(true);
    expect(isConnectionLoss(databaseError('08006'))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    // As TypeORM reports it (QueryFailedError), with the driver's error inside.
    const wrapped = Object.assign(
      new Error('terminating connection due to administrator command'),
      {
        driverError: databaseError('57P01'),
      },
    );
    expect(isConnectionLoss(wrapped)).toBe(true);
  });

  it("takes a socket error made in another realm (Node's own, beside a sandbox) for a lost connection", () => {
    const reset = runInNewContext(
      "Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })",
    ) as unknown;
    const terminated = runInNewContext("new Error('Connection terminated')") as unknown;

    expect(reset instanceof Error).toBe(false);
    expect([isConnectionLoss(reset), isConnectionLoss(terminated)]).toEqual([true, true]);
  });

  it('takes a statement refused on a healthy connection for what it is', () => {
    expect(isConnectionLoss(databaseError('23505'))).toBe(false);
    expect(isConnectionLoss(databaseError('40001'))).toBe(false);
    expect(isConnectionLoss(new Error('version conflict'))).toBe(false);
    expect(isConnectionLoss('Connection terminated')).toBe(false);
  });
});
