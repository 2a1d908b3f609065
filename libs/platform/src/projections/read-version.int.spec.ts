import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { LOG_SIZE_SQL, PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { openReadDatabase } from './read-database.js';
import { readVersion } from './read-version.js';

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
});
