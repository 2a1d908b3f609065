import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { LOG_SIZE_SQL, PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { openReadDatabase } from './read-database.js';
import { readVersion, sharedReadVersion } from './read-version.js';

const actor = { subject: 'test', role: 'steward' };

/** Takes the events of streams of its own prefix, counting them in a table of its own. */
function counting(name: string): Projection {
  return {
    name,
    filter: { streamPrefix: `${name}-` },
    apply: async (events, manager) => {
      await manager.query(`UPDATE read_version_counts SET events = events + $1`, [events.length]);
    },
    reset: async (manager) => {
      await manager.query('UPDATE read_version_counts SET events = 0');
    },
  };
}

describe('readVersion', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let runner: ProjectionRunner;

  const append = (stream: string) =>
    store.append(stream, [{ type: 'Counted', data: {}, metadata: { actor } }], 'any');
  const version = () => readVersion(dataSource, LOG_SIZE_SQL);
  /** The read models' part of the version: what moves when one of them changes. */
  const readModels = async () => (await version()).split(';')[1];

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: database.url });
    dataSource = await openReadDatabase({
      connectionString: database.url,
      entities: [],
      migrations: [],
    });
    await dataSource.query('CREATE TABLE read_version_counts (events integer NOT NULL)');
    await dataSource.query('INSERT INTO read_version_counts VALUES (0)');
    runner = new ProjectionRunner(store, dataSource, [counting('counted')], {
      connectionString: database.url,
    });
    await runner.catchUpOnce();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('moves with the log, and with a read model only when its tables change', async () => {
    const start = await version();
    expect(start).toBe('0;counted@0');

    // Another stream's event: the log moves; the checkpoint moves past it, the tables do not.
    await append('other-a');
    await runner.catchUpOnce();
    expect((await runner.checkpoints()).counted).toBe(1);
    expect(await version()).toBe('1;counted@0');

    // Its own: the batch that applies it counts a change.
    await append('counted-a');
    expect(await version()).toBe('2;counted@0');
    await runner.catchUpOnce();
    expect(await version()).toBe('2;counted@1');
    expect(await dataSource.query('SELECT events FROM read_version_counts')).toEqual([
      { events: 1 },
    ]);
  });

  it('moves when a read model is reset, even back to where it was', async () => {
    const before = await readModels();
    await runner.reset('counted');
    const reset = await readModels();
    await runner.catchUpOnce();
    const replayed = await readModels();

    expect(new Set([before, reset, replayed]).size).toBe(3);
    expect(await dataSource.query('SELECT events FROM read_version_counts')).toEqual([
      { events: 1 },
    ]);
  });

  describe('sharedReadVersion', () => {
    /**
     * The read models' DataSource, counting the statements sent through it; `after` runs once
     * each has its rows, before they are handed back.
     */
    const counted = (after?: (statement: number) => Promise<void> | void) => {
      const counter = { statements: 0 };
      const source = {
        query: async (sql: string, parameters?: unknown[]) => {
          const statement = ++counter.statements;
          const rows = (await dataSource.query(sql, parameters)) as unknown;
          await after?.(statement);
          return rows;
        },
      } as unknown as DataSource;
      return { counter, source };
    };

    it('gives requests asking at the same time the version, from fewer statements', async () => {
      const { counter, source } = counted();
      const version = sharedReadVersion({
        dataSource: source,
        logSizeSql: LOG_SIZE_SQL,
        readsFrom: () => undefined,
      });

      const answers = await Promise.all(Array.from({ length: 10 }, () => version()));

      const expected = await readVersion(dataSource, LOG_SIZE_SQL);
      expect(new Set(answers)).toEqual(new Set([expected]));
      // The first asks at once; the nine asking while it runs share the next statement.
      expect(counter.statements).toBe(2);
    });

    it('never answers from a statement under way before the request asked', async () => {
      // The first statement has its rows, but is held until the test lets it go.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const { source } = counted((statement) => (statement === 1 ? held : undefined));
      const version = sharedReadVersion({
        dataSource: source,
        logSizeSql: LOG_SIZE_SQL,
        readsFrom: () => undefined,
      });
      const logSize = (value: string) => Number(value.split(';')[0]);

      const under = version();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await append('other-fresh');
      const asked = version();
      release();

      // The statement under way read the log before the append; the request that asked after
      // it was not handed that answer.
      expect(logSize(await asked)).toBe(logSize(await under) + 1);
    });

    /** Each request's database, as the read routing keeps it (see read-replicas.ts). */
    const requests = new AsyncLocalStorage<{ database: object | undefined }>();
    const inRequest = <T>(database: object | undefined, work: () => T) =>
      requests.run({ database }, work);
    const readsFrom = () => requests.getStore()?.database;

    it('shares nothing between requests reading from different databases', async () => {
      const { counter, source } = counted();
      const version = sharedReadVersion({
        dataSource: source,
        logSizeSql: LOG_SIZE_SQL,
        readsFrom,
      });
      const replica = { name: 'replica' };

      const answers = await Promise.all([
        inRequest(replica, version),
        inRequest(undefined, version),
        inRequest(replica, version),
      ]);

      // The first two start at once, each on its own database; the third waits for the next
      // statement on the replica.
      expect(counter.statements).toBe(3);
      expect(new Set(answers).size).toBe(1);
    });

    it('has a request read its own when the shared statement ended on another database', async () => {
      const replica = { name: 'replica' };
      // The request that runs the second statement turns to the primary while it runs, as
      // one does when its replica fails a read.
      const { counter, source } = counted((statement) => {
        const request = requests.getStore();
        if (statement === 2 && request) request.database = undefined;
      });
      const version = sharedReadVersion({
        dataSource: source,
        logSizeSql: LOG_SIZE_SQL,
        readsFrom,
      });

      const answers = await Promise.all([
        inRequest(replica, version),
        inRequest(replica, version),
        inRequest(replica, version),
      ]);

      // 1: the first request's. 2: shared by the other two, started by the second, which
      // turned to the primary: neither takes it as the replica's, and each reads its own (3, 4).
      expect(counter.statements).toBe(4);
      expect(new Set(answers)).toEqual(new Set([await readVersion(dataSource, LOG_SIZE_SQL)]));
    });
  });
});
