import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore, type NewEvent } from '#event-store';
import { adminClient, createTestDatabase, type TestDatabase } from '../support/database.js';
import { projectionsOtherThan } from '../support/projection-names.js';
import { runNode, startServer, type ServerProcess } from '../support/server.js';
import { until } from '../support/until.js';

// The built server as an orchestrator probes it: /health/live says the process serves,
// /health/ready whether to send it traffic. Readiness follows the database and the read models.

const CLI = 'dist/apps/cli/src/main.js';

/** A registration without the commitment's template: the commitments projection cannot apply it. */
const malformed: NewEvent = {
  type: 'CommitmentRegistered',
  data: { commitmentId: 'broken' },
  metadata: { actor: { subject: 'migration-script', role: 'administrator' } },
};

interface Probe {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
  body: Record<string, any>;
}

/** The other contexts' projections, which skip the malformed events: caught up, lag 0. */
const othersCaughtUp = projectionsOtherThan('commitments').map((projection) => ({
  projection,
  lag: 0,
}));
/** Whether every projection but the commitments' has caught up in a readiness answer. */
const othersAtHead = (r: Probe) =>
  (r.body.projections as { projection: string; lag: number }[] | undefined)?.every(
    (p) => p.projection === 'commitments' || p.lag === 0,
  ) ?? false;

async function probe(url: string): Promise<Probe> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Probe['body'] };
}

describe('/health/ready with a projection held back by an event it cannot apply', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataDir: string;
  let server: ServerProcess;
  const ready = () => probe(`${server.url}/health/ready`);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-health-e2e-'));
    store = await PostgresEventStore.open({ connectionString: database.url });
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_READY_MAX_LAG: '1',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is live and ready on an empty log', async () => {
    expect(await probe(`${server.url}/health/live`)).toEqual({
      status: 200,
      body: { status: 'live' },
    });
    expect(await ready()).toEqual({
      status: 200,
      body: {
        status: 'ready',
        reasons: [],
        head: 0,
        projections: [{ projection: 'commitments', lag: 0 }, ...othersCaughtUp],
      },
    });
  });

  it('turns not ready once the projection is further behind than allowed, and ready again once the event is parked', async () => {
    const [poison] = (await store.append('commitment-broken', [malformed], 'no_stream')).positions;
    await store.append('commitment-broken-2', [malformed], 'no_stream');

    const held = await until(ready, (r) => r.status === 503 && othersAtHead(r));
    expect(held.body).toEqual({
      status: 'not_ready',
      reasons: ['the projection commitments is 2 events behind the log (at most 1 allowed)'],
      head: 2,
      projections: [{ projection: 'commitments', lag: 2 }, ...othersCaughtUp],
    });
    expect((await probe(`${server.url}/health/live`)).status).toBe(200);

    // Parking the first leaves it stuck on the second: 1 behind, which is allowed.
    const parked = await runNode(
      CLI,
      ['projections', 'park', 'commitments', String(poison), '--reason', 'malformed test event'],
      { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir },
    );
    expect(parked.code).toBe(0);
    const released = await until(ready, (r) => r.status === 200 && othersAtHead(r));
    expect(released.body).toEqual({
      status: 'ready',
      reasons: [],
      head: 2,
      projections: [{ projection: 'commitments', lag: 1 }, ...othersCaughtUp],
    });
  });
});

describe('/health/ready while the database refuses connections', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  const ready = () => probe(`${server.url}/health/ready`);

  /** Lets connections to the test database in or not; when not, ends those already open. */
  async function allowConnections(allowed: boolean): Promise<void> {
    const admin = await adminClient();
    try {
      await admin.query(`ALTER DATABASE ${database.name} WITH ALLOW_CONNECTIONS ${allowed}`);
      if (!allowed) {
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
          [database.name],
        );
      }
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer({ DATABASE_URL: database.url });
  });

  afterAll(async () => {
    await server?.stop();
    await allowConnections(true);
    await database?.drop();
  });

  it('is not ready while the database is unreachable, stays live, and is ready again once it is back', async () => {
    expect((await ready()).status).toBe(200);

    await allowConnections(false);
    const down = await until(ready, (r) => r.status === 503);
    expect(down.body).toEqual({
      status: 'not_ready',
      reasons: ['the database did not answer'],
      head: null,
      projections: [],
    });
    expect(await probe(`${server.url}/health/live`)).toEqual({
      status: 200,
      body: { status: 'live' },
    });

    await allowConnections(true);
    const back = await until(ready, (r) => r.status === 200, 60_000);
    expect(back.body).toMatchObject({ status: 'ready', reasons: [], head: 0 });
  });
});
