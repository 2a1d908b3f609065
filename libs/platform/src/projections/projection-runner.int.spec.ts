import { setImmediate as tick } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { LOG_SIZE_SQL, PostgresEventStore, type RecordedEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { until } from '../../../../test/support/until.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import {
  NotStalledAtError,
  ProjectionStalledError,
  UnknownProjectionError,
} from './parked-events.js';
import type { Projection } from './projection.js';
import { PROJECTION_LOCK, ProjectionRunner } from './projection-runner.js';
import { openReadDatabase } from './read-database.js';
import { ReadPositions } from './read-positions.js';

const actor = { subject: 'test', role: 'steward' };

/**
 * Counts events per stream of its own prefix (one per test), and fails on purpose, twice, on
 * an event whose data says `fail`.
 */
class CountingProjection implements Projection {
  readonly filter: { streamPrefix: string };
  attempts = 0;
  constructor(readonly name: string) {
    this.filter = { streamPrefix: `${name}-` };
  }

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) {
      await manager.query(
        `INSERT INTO read.probe_counts (projection, stream, events) VALUES ($1, $2, 1)
         ON CONFLICT (projection, stream) DO UPDATE SET events = probe_counts.events + 1`,
        [this.name, event.stream],
      );
      if (event.data.fail === true && this.attempts++ < 2) throw new Error('failing on purpose');
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM read.probe_counts WHERE projection = $1', [this.name]);
  }
}

/** Keeps a weak reference to every event it applies, to tell which ones are still reachable. */
class WatchingProjection extends CountingProjection {
  readonly seen: WeakRef<RecordedEvent>[] = [];
  override async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) this.seen.push(new WeakRef(event));
    await super.apply(events, manager);
  }
}

/** A full garbage collection, after which weak references to unreachable objects are empty. */
async function collectGarbage(): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  // A weak reference read in a job keeps its target until the job ends.
  await tick();
  gc();
  await tick();
}

describe('ProjectionRunner', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const runners: ProjectionRunner[] = [];

  const runner = (projection: Projection | Projection[], batchSize = 100, retryMs = 50) => {
    const created = new ProjectionRunner(store, dataSource, [projection].flat(), {
      connectionString: database.url,
      batchSize,
      retryMs,
      heartbeatMs: 50,
    });
    runners.push(created);
    return created;
  };
  /** Kills the active runner's lock session, as if its process had died. */
  const endActiveSession = async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
          WHERE locktype = 'advisory' AND objid = $1 AND granted`,
        [PROJECTION_LOCK],
      );
    } finally {
      await admin.end();
    }
  };
  const append = (stream: string, count: number, data: Record<string, boolean> = {}) =>
    store.append(
      stream,
      Array.from({ length: count }, () => ({ type: 'Counted', data, metadata: { actor } })),
      'any',
    );
  const counts = async (projection: string) => {
    const rows: { stream: string; events: number }[] = await dataSource.query(
      'SELECT stream, events FROM read.probe_counts WHERE projection = $1 ORDER BY stream',
      [projection],
    );
    return Object.fromEntries(rows.map((row) => [row.stream, row.events]));
  };
  /** A projection that fails on every event whose data says `fail`, for as long as a test runs. */
  const failing = (name: string) => {
    const projection = new CountingProjection(name);
    projection.attempts = -1_000_000;
    return projection;
  };
  const parkedRows = async (projection: string) =>
    (
      await dataSource.query(
        'SELECT count(*)::int AS n FROM read.parked_events WHERE projection = $1',
        [projection],
      )
    )[0].n as number;
  const checkpointRow = async (name: string) =>
    (
      await dataSource.query(
        `SELECT position::int, stalled_at::int, stall_attempts FROM read.projection_checkpoints
          WHERE name = $1`,
        [name],
      )
    )[0] as { position: number; stalled_at: number | null; stall_attempts: number | null };
  const checkpoint = async (name: string) =>
    Number(
      (
        await dataSource.query('SELECT position FROM read.projection_checkpoints WHERE name = $1', [
          name,
        ])
      )[0]?.position ?? -1,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url, pollMs: 100 });
    dataSource = await openReadDatabase({
      connectionString: database.url,
      entities: [],
      migrations: [],
    });
    await dataSource.query(
      `CREATE TABLE read.probe_counts (projection text, stream text, events integer,
         PRIMARY KEY (projection, stream))`,
    );
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('applies the log up to its head, moving the checkpoint past events it filters out', async () => {
    await append('a-1', 150);
    await append('other', 10);
    await append('a-2', 5);

    const applied = await runner(new CountingProjection('a')).catchUpOnce();

    expect(applied).toEqual({ a: 155 });
    expect(await counts('a')).toEqual({ 'a-1': 150, 'a-2': 5 });
    expect(await checkpoint('a')).toBe(165);
  });

  it('keeps nothing of a batch that failed, and applies it once when retried', async () => {
    await append('b-1', 3);
    await append('b-2', 1, { fail: true });
    await append('b-1', 2);
    const head = await store.head();
    const projection = new CountingProjection('b');

    runner(projection, 3).start();
    await until(
      () => checkpoint('b'),
      (position) => position === head,
    );

    expect(projection.attempts).toBe(3); // failed twice, then applied
    expect(await counts('b')).toEqual({ 'b-1': 5, 'b-2': 1 });
  });

  it('reports a projection stuck on an event, and clears the report once it gets past', async () => {
    await append('s-1', 2);
    await append('s-1', 1, { fail: true });
    const stuckAt = (await store.head()) - 1;
    const projection = new CountingProjection('s');
    projection.attempts = -1_000_000; // keeps failing until the test lets it through
    const active = runner(projection, 1);
    active.start();

    await until(
      async () => active.stalled,
      (stalls) => (stalls[0]?.attempts ?? 0) >= 2,
    );
    const [stall] = active.stalled;
    expect(stall).toMatchObject({
      projection: 's',
      checkpoint: stuckAt,
      error: 'failing on purpose',
    });
    expect(await counts('s')).toEqual({ 's-1': 2 });

    projection.attempts = 2;
    await until(
      () => checkpoint('s'),
      (position) => position === stuckAt + 1,
    );
    expect(active.stalled).toEqual([]);
  });

  it('follows new events live, and a new runner resumes from the checkpoint', async () => {
    const first = runner(new CountingProjection('c'));
    first.start();
    await append('c-1', 4);
    await until(
      () => counts('c'),
      (c) => c['c-1'] === 4,
    );
    await first.stop();

    await append('c-1', 3);
    const second = runner(new CountingProjection('c'));
    second.start();
    await until(
      () => counts('c'),
      (c) => c['c-1'] === 7,
    );
    await append('c-1', 1);
    await until(
      () => counts('c'),
      (c) => c['c-1'] === 8,
    );

    expect(await checkpoint('c')).toBe(await store.head());
  });

  it('keeps no event it applied while it goes on following the log', async () => {
    const events = 3000;
    for (let i = 0; i < events / 100; i++) await append('x-1', 100);
    const head = await store.head();
    const projection = new WatchingProjection('x');

    runner(projection, 100).start();
    await until(
      () => checkpoint('x'),
      (position) => position === head,
    );
    await collectGarbage();
    const reachable = projection.seen.filter((ref) => ref.deref() !== undefined).length;

    expect(projection.seen.length).toBe(events);
    // At most the page the subscription holds: nothing accumulates per event.
    expect(reachable).toBeLessThanOrEqual(100);
  });

  it('lets one runner be active; another takes over when its session dies', async () => {
    const a = runner(new CountingProjection('d'));
    const b = runner(new CountingProjection('d'));
    a.start();
    await until(async () => a.active, Boolean);
    b.start();
    await append('d-1', 5);
    await until(
      () => counts('d'),
      (c) => c['d-1'] === 5,
    );
    expect(b.active).toBe(false);

    await endActiveSession();
    await until(async () => b.active, Boolean);
    await append('d-1', 5);
    await until(
      () => counts('d'),
      (c) => c['d-1'] === 10,
    );

    expect(await checkpoint('d')).toBe(await store.head());
    expect(await counts('d')).toEqual({ 'd-1': 10 });
  });

  it('rebuilds a projection from the log after a reset, also while a runner is active', async () => {
    await append('e-1', 6);
    const active = runner(new CountingProjection('e'));
    active.start();
    await until(
      () => counts('e'),
      (c) => c['e-1'] === 6,
    );
    const resetter = new ProjectionRunner(store, dataSource, [new CountingProjection('e')], {
      connectionString: database.url,
    });

    await resetter.reset('e');
    expect(await counts('e')).toEqual({});
    await until(
      () => counts('e'),
      (c) => c['e-1'] === 6,
    );

    expect(await checkpoint('e')).toBe(await store.head());
    expect(await resetter.catchUpOnce()).toBeUndefined(); // the active runner holds the lock
  });

  describe('a filtered projection whose last events are not its own', () => {
    it('catches up to the head, past the events it filters out', async () => {
      await append('fh-1', 3);
      await append('other', 5);
      const head = await store.head();

      const applied = await runner(new CountingProjection('fh'), 2).catchUpOnce();

      expect(applied).toEqual({ fh: 3 });
      expect(await checkpoint('fh')).toBe(head);
      // Nothing left to scan: the next catch-up reads from the head.
      expect(await runner(new CountingProjection('fh'), 2).catchUpOnce()).toEqual({ fh: 0 });
    });

    it('moves its checkpoint to the head even when none of the events are its own', async () => {
      await append('other', 4);
      const head = await store.head();

      expect(await runner(new CountingProjection('fn')).catchUpOnce()).toEqual({ fn: 0 });

      expect(await checkpoint('fn')).toBe(head);
    });

    it('follows the head live while only other events are written', async () => {
      runner(new CountingProjection('fl')).start();
      await append('fl-1', 2);
      await append('other', 3); // likely in the same batch as l-1's
      await until(
        async () => [await checkpoint('fl'), await store.head()],
        ([position, head]) => position === head,
      );
      await append('other', 2); // alone: nothing for the projection to apply
      const head = await store.head();

      await until(
        () => checkpoint('fl'),
        (position) => position === head,
      );
      expect(await counts('fl')).toEqual({ 'fl-1': 2 });
    });

    it('answers a consistency wait for a position past its last event', async () => {
      const live = new CountingProjection('fw');
      runner(live).start();
      await append('fw-1', 1);
      const [position] = (await append('other', 3)).positions.slice(-1);
      const reads = new ReadPositions(store, dataSource, [live], {
        logSizeSql: LOG_SIZE_SQL,
        waitMs: 10_000,
      });

      await expect(reads.reach(position, 'minPosition')).resolves.toBeUndefined();
      await until(
        () => checkpoint('fw'),
        (at) => at === position + 1,
      );
      // Now from the checkpoint alone: a wait that only looks once is answered too.
      const once = new ReadPositions(store, dataSource, [live], {
        logSizeSql: LOG_SIZE_SQL,
        waitMs: 0,
      });
      await expect(once.now()).resolves.toEqual({ head: position + 1, reached: position + 1 });
      await expect(once.reach(position, 'minPosition')).resolves.toBeUndefined();
    });

    it('reaches the head after a failed batch whose events all apply when retried in parts', async () => {
      await append('fr-1', 2);
      await append('fr-2', 1, { fail: true });
      await append('other', 3);
      const head = await store.head();
      const projection = new CountingProjection('fr');
      projection.attempts = 1; // fails once, on the whole batch

      const applied = await runner(projection).catchUpOnce();

      expect(applied).toEqual({ fr: 3 });
      expect(await counts('fr')).toEqual({ 'fr-1': 2, 'fr-2': 1 });
      expect(await checkpoint('fr')).toBe(head);
    });

    it('stops at a poison event before events of others, then goes on to the head', async () => {
      await append('fp-1', 1);
      const [poison] = (await append('fp-2', 1, { fail: true })).positions;
      await append('other', 3);
      const head = await store.head();
      const projection = failing('fp');
      runner(projection).start();

      await until(
        () => checkpointRow('fp'),
        (row) => row?.stalled_at === poison && row.position === poison,
      );
      projection.attempts = 2; // lets it through
      await until(
        () => checkpoint('fp'),
        (position) => position === head,
      );
      expect(await counts('fp')).toEqual({ 'fp-1': 1, 'fp-2': 1 });
      expect(await checkpointRow('fp')).toMatchObject({ stalled_at: null });
    });
  });

  describe('when an event cannot be applied', () => {
    /** f-1 x3, unrelated x2, f-2 that fails (its position returned), f-1 x2. */
    const poisoned = async (name: string) => {
      await append(`${name}-1`, 3);
      await append('unrelated', 2);
      const [poison] = (await append(`${name}-2`, 1, { fail: true })).positions;
      await append(`${name}-1`, 2);
      return poison;
    };

    it('stops at that very event inside a batch, past the events it filters out', async () => {
      const poison = await poisoned('f');

      const caught = await runner(failing('f'))
        .catchUpOnce()
        .catch((error: unknown) => error);

      expect(caught).toBeInstanceOf(ProjectionStalledError);
      expect(caught).toMatchObject({ projection: 'f', position: poison });
      expect(await counts('f')).toEqual({ 'f-1': 3 });
      expect(await checkpointRow('f')).toEqual({
        position: poison,
        stalled_at: poison,
        stall_attempts: 1,
      });
    });

    it('shows the stall to any process, with the error and the attempts', async () => {
      const poison = await poisoned('g');
      await runner(failing('g'))
        .catchUpOnce()
        .catch(() => undefined);
      await runner(failing('g'))
        .catchUpOnce()
        .catch(() => undefined);

      const [status] = await runner(failing('g')).status();

      expect(status).toMatchObject({
        projection: 'g',
        checkpoint: poison,
        stall: { projection: 'g', checkpoint: poison, error: 'failing on purpose', attempts: 2 },
        parked: [],
      });
    });

    it('parks it, then skips exactly that position, also after a restart and on a rebuild', async () => {
      const poison = await poisoned('h');
      const [poisonEvent] = await store.readAll({ from: poison, limit: 1 });
      await runner(failing('h'))
        .catchUpOnce()
        .catch(() => undefined);

      const parked = await runner(failing('h')).park({
        projection: 'h',
        position: poison,
        reason: '  written by hand during a migration  ',
        parkedBy: 'ana',
      });
      const applied = await runner(failing('h')).catchUpOnce();

      expect(parked).toMatchObject({
        projection: 'h',
        position: poison,
        eventId: poisonEvent.id,
        stream: 'h-2',
        type: 'Counted',
        error: 'failing on purpose',
        reason: 'written by hand during a migration',
        parkedBy: 'ana',
      });
      expect(parked.parkedAt).toBeInstanceOf(Date);
      expect(applied).toEqual({ h: 2 });
      expect(await counts('h')).toEqual({ 'h-1': 5 });
      expect(await checkpointRow('h')).toEqual({
        position: await store.head(),
        stalled_at: null,
        stall_attempts: null,
      });

      const rebuilder = runner(failing('h'));
      await rebuilder.reset('h');
      expect(await rebuilder.catchUpOnce()).toEqual({ h: 5 });
      expect(await counts('h')).toEqual({ 'h-1': 5 });
      const [status] = await rebuilder.status();
      expect(status.stall).toBeNull();
      expect(status.parked.map((p) => p.position)).toEqual([poison]);
    });

    it('lets a running runner go on once another process parks the event', async () => {
      const poison = await poisoned('k');
      const active = runner(failing('k'), 1);
      active.start();
      await until(
        () => checkpointRow('k'),
        (row) => row?.stalled_at === poison,
      );

      await runner(failing('k')).park({ projection: 'k', position: poison, reason: 'bad event' });
      await append('k-1', 1);

      await until(
        async () => ({ checkpoint: await checkpoint('k'), head: await store.head() }),
        ({ checkpoint, head }) => checkpoint === head,
      );
      expect(await counts('k')).toEqual({ 'k-1': 6 });
      expect(active.stalled).toEqual([]);
    });

    it('forgets a stall it saw once it loses its lock, and the runner that takes over gets past', async () => {
      const poison = await poisoned('t');
      // Waits a minute before trying the event again, or the lock: the other runner takes over.
      const stalled = runner(failing('t'), 100, 60_000);
      stalled.start();
      await until(
        () => checkpointRow('t'),
        (row) => row?.stalled_at === poison,
      );
      expect((await stalled.status())[0].stall).toMatchObject({ checkpoint: poison });
      const fixed = new CountingProjection('t');
      fixed.attempts = 2; // applies every event
      const takingOver = runner(fixed);
      takingOver.start();

      await endActiveSession();
      await until(
        () => checkpoint('t'),
        (position) => position === poison + 3,
      );

      expect(takingOver.active).toBe(true);
      expect(stalled.active).toBe(false);
      expect(stalled.stalled).toEqual([]);
      const [status] = await stalled.status();
      expect(status).toMatchObject({ checkpoint: poison + 3, stall: null });
    });

    it('rebuilds one projection at a time: one that stops on an event leaves the next rebuilt', async () => {
      const poison = await poisoned('u');
      await append('v-1', 4);
      await runner(new CountingProjection('v')).catchUpOnce();
      const head = await store.head();

      const outcomes = await runner([failing('u'), new CountingProjection('v')]).rebuild();

      expect(outcomes).toEqual([
        { status: 'stalled', projection: 'u', error: expect.any(ProjectionStalledError) },
        { status: 'rebuilt', projection: 'v', events: 4, ms: expect.any(Number) },
      ]);
      expect(outcomes[0]).toMatchObject({ error: { projection: 'u', position: poison } });
      expect(await counts('u')).toEqual({ 'u-1': 3 });
      expect(await counts('v')).toEqual({ 'v-1': 4 });
      expect(await checkpointRow('u')).toMatchObject({ position: poison, stalled_at: poison });
      expect(await checkpoint('v')).toBe(head);
    });

    it('rebuilds nothing when a name is unknown', async () => {
      await append('w-1', 2);
      await runner(new CountingProjection('w')).catchUpOnce();
      const before = await checkpoint('w');

      const refused = await runner(new CountingProjection('w'))
        .rebuild(['w', 'nope'])
        .catch((error: unknown) => error);

      expect(refused).toBeInstanceOf(UnknownProjectionError);
      expect(await counts('w')).toEqual({ 'w-1': 2 });
      expect(await checkpoint('w')).toBe(before);
    });

    it('refuses to park anything but the position it is stalled at, writing nothing', async () => {
      const poison = await poisoned('m');
      await runner(failing('m'))
        .catchUpOnce()
        .catch(() => undefined);
      const before = await checkpointRow('m');
      const parker = runner(failing('m'));
      const park = (projection: string, position: number, reason = 'bad event') =>
        parker.park({ projection, position, reason }).catch((error: unknown) => error);

      const unknown = await park('nope', poison);
      const elsewhere = await park('m', poison + 1);
      const earlier = await park('m', poison - 1);
      const reasonless = await park('m', poison, '   ');
      const negative = await park('m', -1);

      expect(unknown).toBeInstanceOf(UnknownProjectionError);
      expect(unknown).toMatchObject({ projection: 'nope' });
      expect(elsewhere).toBeInstanceOf(NotStalledAtError);
      expect(elsewhere).toMatchObject({ position: poison + 1, stalledAt: poison });
      expect(earlier).toMatchObject({ position: poison - 1, stalledAt: poison });
      expect(reasonless).toBeInstanceOf(InvalidInputError);
      expect(reasonless).toMatchObject({ field: 'reason' });
      expect(negative).toMatchObject({ field: 'position' });
      expect(await parkedRows('m')).toBe(0);
      expect(await parkedRows('nope')).toBe(0);
      expect(await checkpointRow('m')).toEqual(before);
    });

    it('refuses to park when the projection is not stalled, writing nothing', async () => {
      await append('n-1', 3);
      await runner(new CountingProjection('n')).catchUpOnce();
      const before = await checkpointRow('n');

      const refused = await runner(new CountingProjection('n'))
        .park({ projection: 'n', position: before.position - 1, reason: 'bad event' })
        .catch((error: unknown) => error);

      expect(refused).toBeInstanceOf(NotStalledAtError);
      expect(refused).toMatchObject({ stalledAt: null, checkpoint: before.position });
      expect(await parkedRows('n')).toBe(0);
      expect(await checkpointRow('n')).toEqual(before);
    });

    it('keeps parked events append-only', async () => {
      const poison = await poisoned('q');
      await runner(failing('q'))
        .catchUpOnce()
        .catch(() => undefined);
      await runner(failing('q')).park({ projection: 'q', position: poison, reason: 'bad' });

      for (const statement of [
        `UPDATE read.parked_events SET reason = 'forgotten'`,
        'DELETE FROM read.parked_events',
        'TRUNCATE read.parked_events',
      ]) {
        await expect(dataSource.query(statement)).rejects.toMatchObject({
          code: '42501',
          hint: 'cuenta-append-only',
        });
      }
      expect(await parkedRows('q')).toBe(1);
    });
  });
});
