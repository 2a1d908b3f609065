import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { CARTAGENA_2023_AGENCY_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import {
  openSubscription,
  projectedUpTo,
  startWriteLoad,
  waitFor,
  writesResumeAfter,
  type WriteLoad,
} from '../support/faults.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';
import { until } from '../support/until.js';

// `pg_ctl restart -m fast` of the API's own PostgreSQL server while it takes writes: the
// API keeps running, loses no acknowledged write, and its subscriptions carry on.

const RESTARTS = 3;

describe('the API across restarts of its PostgreSQL server', () => {
  let cluster: PgCluster;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;

  beforeAll(async () => {
    cluster = await startPgCluster('cuenta');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-fault-restart-'));
    server = await startServer({
      DATABASE_URL: cluster.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
    });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await cluster?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`loses no acknowledged write and needs no process restart over ${RESTARTS} restarts`, async () => {
    const head = (await graphql(server.url, '{ ledgerInfo { size } }')).body.data?.ledgerInfo
      .size as number;
    const events = openSubscription(
      server.url,
      'subscription ($from: Int) { eventsAppended(from: $from) { position } }',
      (data) => (data.eventsAppended as { position: number }).position,
      { from: head },
    );
    await events.ready;
    let load: WriteLoad | undefined;
    try {
      const writes = startWriteLoad(server.url, steward, { prefix: 'Restarted' });
      load = writes;
      const restartMs: number[] = [];
      const resumedMs: number[] = [];
      for (let round = 0; round < RESTARTS; round++) {
        const before = writes.acknowledged.length;
        await waitFor('writes under load', () => writes.acknowledged.length >= before + 5);
        const at = Date.now();
        await cluster.restart();
        restartMs.push(Date.now() - at);
        resumedMs.push(await writesResumeAfter(writes, at, server));
      }
      await writes.stop();
      const size = (await graphql(server.url, '{ ledgerInfo { size } }')).body.data?.ledgerInfo
        .size as number;
      await waitFor(`eventsAppended up to ${size}`, () => events.received.length >= size - head);
      // The projection runner's lock session ended with each restart; it leads again.
      await until(
        () => projectedUpTo(cluster.url),
        (position) => position >= size,
      );

      console.log(
        `pg_ctl restart took ${restartMs.join(', ')} ms; writes resumed ${resumedMs.join(', ')} ms ` +
          `after each restart began; ${writes.acknowledged.length} writes acknowledged, ` +
          `${writes.failures} failed requests retried (${JSON.stringify(Object.fromEntries(writes.errorCodes))})`,
      );
      // A write cut off by the restart says so (and is retried); it is never a fault.
      expect(
        [...writes.errorCodes.keys()].filter((code) => code !== 'DATABASE_UNAVAILABLE'),
      ).toEqual([]);
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      let stored: { position: number; id: string; stream: string }[];
      try {
        const { rows } = await client.query<{
          global_position: string;
          event_id: string;
          stream_id: string;
        }>(
          'SELECT global_position, event_id, stream_id FROM events.events ORDER BY global_position',
        );
        stored = rows.map((row) => ({
          position: Number(row.global_position),
          id: row.event_id,
          stream: row.stream_id,
        }));
      } finally {
        await client.end();
      }
      expect(server.exitCode()).toBeNull();
      // Dense positions, no id twice, every acknowledged write stored.
      expect(stored.map((e) => e.position)).toEqual([...Array(stored.length).keys()]);
      expect(new Set(stored.map((e) => e.id)).size).toBe(stored.length);
      const lost = writes.acknowledged.filter(
        (write) => !write.positions.some((p) => stored[p]?.stream === `commitment-${write.id}`),
      );
      expect(lost).toEqual([]);
      // The subscription opened before the first restart saw every event once, in order.
      expect(events.ended).toBeUndefined();
      expect(events.received).toEqual(Array.from({ length: size - head }, (_, i) => head + i));
    } finally {
      await load?.stop().catch(() => undefined);
      await events.close();
    }
  }, 300_000);
});
