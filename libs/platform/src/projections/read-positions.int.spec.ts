import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { LOG_SIZE_SQL, PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { openReadDatabase } from './read-database.js';
import { ReadModelsBehindError, ReadPositions } from './read-positions.js';
import { until } from '../../../../test/support/until.js';

const actor = { subject: 'test', role: 'steward' };

/** Takes the events of streams of its own prefix and keeps nothing: only its checkpoint moves. */
function projection(name: string): Projection {
  return {
    name,
    filter: { streamPrefix: `${name}-` },
    apply: async () => {},
    reset: async () => {},
  };
}

describe('ReadPositions', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;

  /** A projection of its own, its runner (not started: it applies on catchUpOnce) and its positions. */
  const setUp = (name: string, waitMs: number) => {
    const projections = [projection(name)];
    const runner = new ProjectionRunner(store, dataSource, projections, {
      connectionString: database.url,
    });
    const reads = new ReadPositions(store, dataSource, projections, {
      logSizeSql: LOG_SIZE_SQL,
      waitMs,
    });
    return { runner, reads };
  };
  const append = async (stream: string, count: number) =>
    (
      await store.append(
        stream,
        Array.from({ length: count }, () => ({ type: 'Counted', data: {}, metadata: { actor } })),
        'any',
      )
    ).positions;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    dataSource = await openReadDatabase({
      connectionString: database.url,
      entities: [],
      migrations: [],
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('counts the events a projection does not take as reached, after its checkpoint too', async () => {
    const { runner, reads } = setUp('skips', 0);
    const own = await append('skips-a', 2);
    const before = await reads.now();
    await runner.catchUpOnce();
    const others = await append('other-a', 3);

    const after = await reads.now();

    // Before: everything up to its own first event (an earlier test's events included).
    expect(before).toEqual({ head: own[1] + 1, reached: own[0] });
    // After: its checkpoint is still after its own last event (no runner has looked at the
    // others' since), but the others' are not its own.
    expect((await runner.checkpoints()).skips).toBe(own[1] + 1);
    expect(after).toEqual({ head: others[2] + 1, reached: others[2] + 1 });
  });

  it('refuses at once a position the log does not hold yet', async () => {
    const { reads } = setUp('beyond', 60_000);
    const { head } = await reads.now();

    const refused = await reads.reach(head, 'minPosition').catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(refused).toMatchObject({
      field: 'minPosition',
      rule: `is beyond the log's head: the log holds positions 0 to ${head - 1}`,
    });
  });

  it('says how far the read models are when the wait runs out, and settles false', async () => {
    const { reads } = setUp('behind', 0);
    const [position] = await append('behind-a', 1);

    const refused = await reads.reach(position, 'minPosition').catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ReadModelsBehindError);
    expect(refused).toMatchObject({ code: 'READ_MODELS_BEHIND', position, waitedMs: 0 });
    expect((refused as ReadModelsBehindError).reached).toBeLessThanOrEqual(position);
    expect(await reads.settle([position])).toBe(false);
    expect(await reads.settle([])).toBe(true);
  });

  it('reads the log again only for a projection that moved, or past what it found', async () => {
    const { runner, reads } = setUp('looks', 60_000);
    await runner.catchUpOnce();
    const [own] = await append('looks-a', 1);
    const [other] = await append('other-looks', 1);
    const readAll = jest.spyOn(store, 'readAll');
    try {
      // Its checkpoint is before its own event: the first look finds that event.
      expect((await reads.now()).reached).toBe(own);
      expect(readAll).toHaveBeenCalledTimes(1);
      // Looking again, nothing moved: no read of the log.
      expect((await reads.now()).reached).toBe(own);
      expect(readAll).toHaveBeenCalledTimes(1);

      await runner.catchUpOnce();
      // Its checkpoint moved past its own event, maybe not past the other's.
      await reads.reach(other, 'minPosition');
      const afterMoving = readAll.mock.calls.length;
      // Waits for positions it has already looked past cost one statement, not a read.
      await Promise.all([reads.reach(own, 'minPosition'), reads.settle([other])]);
      expect(readAll).toHaveBeenCalledTimes(afterMoving);
    } finally {
      readAll.mockRestore();
    }
  });

  it("looks again when this process's runner commits, and leaves no listener behind", async () => {
    const { runner } = setUp('wakes', 60_000);
    const listeners = new Set<() => void>();
    const commits = {
      onCommit(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const reads = new ReadPositions(store, dataSource, runner.projections, {
      logSizeSql: LOG_SIZE_SQL,
      waitMs: 60_000,
      commits,
    });
    const committed: number[] = [];
    const stop = runner.onCommit(() => committed.push(committed.length));
    try {
      const [position] = await append('wakes-a', 1);
      const waiting = reads.reach(position, 'minPosition');
      // Between looks, the wait listens for commits.
      await until(
        async () => listeners.size,
        (size) => size === 1,
      );

      await runner.catchUpOnce();
      expect(committed.length).toBeGreaterThan(0);
      for (const listener of [...listeners]) listener();
      await waiting;
      expect(listeners.size).toBe(0);
    } finally {
      stop();
    }
  });

  it('makes one statement for the waits that look at the same time', async () => {
    const { runner, reads } = setUp('together', 60_000);
    const positions = await append('together-a', 10);
    await runner.catchUpOnce();
    await reads.now(); // what it found past its checkpoint is known: looks are one statement
    const query = jest.spyOn(dataSource, 'query');
    try {
      const settled = await Promise.all(positions.map((position) => reads.settle([position])));

      expect(settled).toEqual(Array(10).fill(true));
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }
  });

  it('waits until the projection applies the position', async () => {
    const { runner, reads } = setUp('waits', 60_000);
    const [position] = await append('waits-a', 1);
    let reached = false;
    const waiting = reads.reach(position, 'minPosition').then(() => (reached = true));

    const reachedBeforeApplying = reached;
    await runner.catchUpOnce();
    await waiting;

    expect(reachedBeforeApplying).toBe(false);
    expect(reached).toBe(true);
    expect(await reads.settle([position])).toBe(true);
  });
});
