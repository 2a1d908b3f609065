import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { isConnectionLoss, LOG_SIZE_SQL, PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { freePort } from '../../../../test/support/server.js';
import type { Projection } from '../projections/projection.js';
import { openReadDatabase } from '../projections/read-database.js';
import { ReplicaReadPositions } from '../projections/read-positions.js';
import {
  ReadReplica,
  ReadReplicas,
  recordOperation,
  routeDataSourceReads,
  routePoolReads,
  withReadScope,
} from './read-replicas.js';

const actor = { subject: 'test', role: 'steward' };

/** Takes every event and keeps nothing: only its checkpoint, set by hand here, matters. */
const probe: Projection = { name: 'probe', apply: async () => {}, reset: async () => {} };

/**
 * The routing against real PostgreSQL: a second database stands for the replica (the real
 * streaming replica is in test/e2e/read-replicas.e2e.spec.ts), holding other rows, so an
 * answer tells which database gave it.
 */
describe('reads routed to a replica', () => {
  const databases: TestDatabase[] = [];
  const stores: PostgresEventStore[] = [];
  const dataSources: DataSource[] = [];
  let primary: DataSource;
  let primaryStore: PostgresEventStore;
  let replicaUrl: string;

  const open = async (url: string) => {
    const dataSource = await openReadDatabase({
      connectionString: url,
      entities: [],
      migrations: [],
    });
    dataSources.push(dataSource);
    return dataSource;
  };
  /** A database with `events` appended and the probe's checkpoint at `checkpoint`. */
  const database = async (source: string, events: number, checkpoint: number) => {
    const created = await createTestDatabase();
    databases.push(created);
    const store = await PostgresEventStore.open({ connectionString: created.url });
    stores.push(store);
    const dataSource = await open(created.url);
    await dataSource.query('CREATE TABLE read.probe_source (source text)');
    await dataSource.query('INSERT INTO read.probe_source VALUES ($1)', [source]);
    await store.append(
      'probe-1',
      Array.from({ length: events }, () => ({ type: 'Probed', data: {}, metadata: { actor } })),
      'any',
    );
    await dataSource.query(
      `INSERT INTO read.projection_checkpoints (name, position) VALUES ('probe', $1)`,
      [checkpoint],
    );
    return { url: created.url, store, dataSource };
  };
  /** Replicas on `urls`, with the primary's DataSource and pool routed through them. */
  const routing = async (...urls: string[]) => {
    const replicas = new ReadReplicas(
      urls.map(
        (url) =>
          new ReadReplica({
            url,
            poolSize: 2,
            connectTimeoutMs: 1000,
            openDataSource: (replica) =>
              openReadDatabase({
                connectionString: replica,
                entities: [],
                migrations: [],
                migrate: false,
              }),
          }),
      ),
      { downForMs: 60_000, isConnectionLoss, log: () => undefined },
    );
    await replicas.open();
    return replicas;
  };
  const source = async (dataSource: DataSource) =>
    ((await dataSource.query('SELECT source FROM read.probe_source')) as { source: string }[])[0]
      .source;
  const query = <T>(work: () => Promise<T>) =>
    withReadScope(() => {
      recordOperation('query');
      return work();
    });

  beforeAll(async () => {
    // The primary has 5 events, all applied; the replica has replayed 2 of them.
    const main = await database('primary', 5, 5);
    primary = main.dataSource;
    primaryStore = main.store;
    replicaUrl = (await database('replica', 2, 2)).url;
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((d) => d.destroy()));
    await Promise.all(stores.map((s) => s.close()));
    await Promise.all(databases.map((d) => d.drop()));
  });

  it('sends the reads of a query-only request to the replica, and nothing else', async () => {
    const replicas = await routing(replicaUrl);
    const routed = await open(databases[0].url);
    routeDataSourceReads(routed, replicas);

    expect(await query(() => source(routed))).toBe('replica');
    // Query builders and the entity manager take the same query runners.
    const built = await query(() =>
      routed.createQueryBuilder().select('source').from('read.probe_source', 'p').getRawOne(),
    );
    expect(built).toEqual({ source: 'replica' });
    expect(await source(routed)).toBe('primary'); // outside any request
    const mutation = withReadScope(() => {
      recordOperation('mutation');
      return source(routed);
    });
    expect(await mutation).toBe('primary');
    // A transaction in a mutation runs on the primary too.
    const written = await withReadScope(() => {
      recordOperation('mutation');
      return routed.transaction(async (manager) => {
        await manager.query("INSERT INTO read.probe_source VALUES ('written')");
        return manager.query('SELECT count(*)::int AS n FROM read.probe_source');
      });
    });
    expect(written).toEqual([{ n: 2 }]);
    await primary.query("DELETE FROM read.probe_source WHERE source = 'written'");
    await replicas.close();
  });

  it("routes the event store's reads, and reads from the primary while a replica cannot be reached", async () => {
    const down = `postgres://postgres@127.0.0.1:${await freePort()}/nothing`;
    const replicas = await routing(replicaUrl);
    const routed = await PostgresEventStore.open({
      connectionString: databases[0].url,
      migrate: false,
    });
    stores.push(routed);
    routePoolReads(routed.pool, replicas);

    expect(await query(() => routed.head())).toBe(2);
    expect(await routed.head()).toBe(5);

    const gone = await routing(down);
    // Never opened: the primary answers, and the request never waits for the replica.
    expect(gone.replicas[0].up(Date.now())).toBe(false);
    const routedToNothing = await open(databases[0].url);
    routeDataSourceReads(routedToNothing, gone);
    expect(await query(() => source(routedToNothing))).toBe('primary');
    await Promise.all([replicas.close(), gone.close()]);
  });

  it('reads a position from the replica when it holds it, and from the primary when it lags', async () => {
    const replicas = await routing(replicaUrl);
    const routed = await open(databases[0].url);
    routeDataSourceReads(routed, replicas);
    routePoolReads(primaryStore.pool, replicas);
    const reads = new ReplicaReadPositions(primaryStore, routed, [probe], {
      logSizeSql: LOG_SIZE_SQL,
      waitMs: 1000,
      replicas,
      replicaWaitMs: 100,
    });

    // Position 1 is on the replica: the request stays there.
    expect(
      await query(async () => {
        await reads.reach(1, 'minPosition');
        return source(routed);
      }),
    ).toBe('replica');
    // Position 4 is not: after 100 ms the request reads from the primary, which holds it.
    const started = performance.now();
    expect(
      await query(async () => {
        await reads.reach(4, 'minPosition');
        return [await source(routed), await primaryStore.head()];
      }),
    ).toEqual(['primary', 5]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    // Past the primary's head: refused by name, as without replicas.
    await expect(query(() => reads.reach(5, 'minPosition'))).rejects.toMatchObject({
      field: 'minPosition',
    });
    await replicas.close();
  });
});
