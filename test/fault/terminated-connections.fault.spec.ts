import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CARTAGENA_2023_AGENCY_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import { adminClient, createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  openSubscription,
  projectedUpTo,
  startWriteLoad,
  waitFor,
  writesResumeAfter,
  type WriteLoad,
} from '../support/faults.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';
import { until } from '../support/until.js';

// An operator's pg_terminate_backend, a pooler's idle timeout or a failover drops every
// connection the API holds at once: the pool's, the sequencer's, the LISTEN connections and
// the projection runner's lock session. The API must ride it out: report the writes that
// were in flight, reconnect, and carry on; subscriptions must not notice beyond a delay.

const ROUNDS = 10;
/** The bound issue 9 sets for writes to resume after every connection is dropped. */
const RESUME_BOUND_MS = 2000;

describe('the API when PostgreSQL terminates every connection it holds', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  let administrator: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-fault-terminate-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
    });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
    administrator = bearer(await mint({ role: 'administrator' }));
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const terminateBackends = async (): Promise<number> => {
    const admin = await adminClient();
    try {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database.name],
      );
      return rowCount ?? 0;
    } finally {
      await admin.end();
    }
  };

  const signCheckpoint = async (): Promise<number> => {
    const { body } = await graphql(
      server.url,
      'mutation { signCheckpoint { size } }',
      undefined,
      administrator,
    );
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data.signCheckpoint.size as number;
  };

  it(`stays up, resumes writes within ${RESUME_BOUND_MS} ms and keeps subscriptions exactly once over ${ROUNDS} terminations`, async () => {
    const head = (await graphql(server.url, '{ ledgerInfo { size } }')).body.data?.ledgerInfo
      .size as number;
    const events = openSubscription(
      server.url,
      'subscription ($from: Int) { eventsAppended(from: $from) { position } }',
      (data) => (data.eventsAppended as { position: number }).position,
      { from: head },
    );
    const checkpoints = openSubscription(
      server.url,
      'subscription { checkpointSigned { size } }',
      (data) => (data.checkpointSigned as { size: number }).size,
    );
    await Promise.all([events.ready, checkpoints.ready]);
    let load: WriteLoad | undefined;
    try {
      const writes = startWriteLoad(server.url, steward, { prefix: 'Terminated' });
      load = writes;
      const resumedMs: number[] = [];
      const terminated: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Under load: a few writes acknowledged since the last round.
        const before = writes.acknowledged.length;
        await waitFor('writes under load', () => writes.acknowledged.length >= before + 3);
        // Measured from the moment pg_terminate_backend has returned: the sessions are gone.
        terminated.push(await terminateBackends());
        resumedMs.push(await writesResumeAfter(writes, Date.now(), server));
        const health = await fetch(`${server.url}/health`);
        expect(health.status).toBe(200);
      }
      await load.stop();
      const signed = await signCheckpoint();
      const size = (await graphql(server.url, '{ ledgerInfo { size } }')).body.data?.ledgerInfo
        .size as number;
      await waitFor(`eventsAppended up to ${size}`, () => events.received.length >= size - head);
      await waitFor(`checkpoint ${signed} announced`, () => checkpoints.received.includes(signed));
      // The projection runner lost its lock session each round; it leads again and catches up.
      await until(
        () => projectedUpTo(database.url),
        (position) => position >= size,
      );

      console.log(
        `terminated ${terminated.join(', ')} backends; writes resumed after ${resumedMs.join(', ')} ms; ` +
          `${load.acknowledged.length} writes acknowledged, ${load.failures} failed requests retried ` +
          `(${JSON.stringify(Object.fromEntries(load.errorCodes))})`,
      );
      // Every round found connections to end (the pool's, the LISTENs, the lock session).
      expect(terminated.every((count) => count >= 3)).toBe(true);
      expect(resumedMs.filter((ms) => ms > RESUME_BOUND_MS)).toEqual([]);
      // A write cut off by the termination says so (and is retried); it is never a fault.
      expect([...load.errorCodes.keys()].filter((code) => code !== 'DATABASE_UNAVAILABLE')).toEqual(
        [],
      );
      // Every event once, in order, on the subscription the client opened at the start.
      expect(events.ended).toBeUndefined();
      expect(events.received).toEqual(Array.from({ length: size - head }, (_, i) => head + i));
      const acknowledged = load.acknowledged.flatMap((write) => write.positions);
      expect(acknowledged.filter((p) => !events.received.includes(p))).toEqual([]);
      expect(checkpoints.ended).toBeUndefined();
      expect(new Set(checkpoints.received).size).toBe(checkpoints.received.length);
      expect(server.output()).not.toMatch(/Unhandled 'error' event/);
    } finally {
      await load?.stop().catch(() => undefined);
      await events.close();
      await checkpoints.close();
    }
  }, 300_000);
});
