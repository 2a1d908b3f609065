import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import { command, recordCartagena } from '../support/cartagena.js';
import { startPgCluster, startStandby, type PgCluster } from '../support/pg-cluster.js';
import { freePort, graphql, startServer, type ServerProcess } from '../support/server.js';
import { until } from '../support/until.js';

// The API on a primary with a real hot standby (pg_basebackup -R, streaming replication) as
// its DATABASE_READ_URL. Replay on the standby is paused to make it lag on purpose: what a
// query then answers tells which server answered it.

/** How long a read with a minimum position waits for the replica (CUENTA_REPLICA_WAIT_MS). */
const REPLICA_WAIT_MS = 300;

const READ = `query ($id: String!, $minPosition: Int) {
  commitment(id: $id, minPosition: $minPosition) {
    version
    history(first: 1) { totalCount edges { node { streamVersion } } }
  }
}`;

interface Shown {
  version: number;
  totalCount: number;
  newest: number;
}

function shownBy(body: { data?: Record<string, unknown>; errors?: unknown[] }): Shown {
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  const { version, history } = body.data?.commitment as {
    version: number;
    history: { totalCount: number; edges: { node: { streamVersion: number } }[] };
  };
  return { version, totalCount: history.totalCount, newest: history.edges[0].node.streamVersion };
}

const at = (version: number): Shown => ({ version, totalCount: version, newest: version });

describe('reads on a streaming replica (DATABASE_READ_URL)', () => {
  let primary: PgCluster;
  let standby: PgCluster;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  let id: string;
  let metricsPort: number;

  /** The `cuenta_read_replica_up` gauge of the first replica, as scraped now. */
  const replicaUp = async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return /^cuenta_read_replica_up\{replica="0"\} (\d)$/m.exec(text)?.[1];
  };

  /** Runs one statement on the standby. */
  const onStandby = async <R extends pg.QueryResultRow>(sql: string) => {
    const client = new pg.Client({ connectionString: standby.url });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  /**
   * Resolves once the standby has replayed everything the primary has written so far (its
   * insert position: commits are asynchronous here, not yet written when acknowledged).
   */
  const replicated = async () => {
    const client = new pg.Client({ connectionString: primary.url });
    await client.connect();
    const [{ lsn }] = (
      await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn() AS lsn')
    ).rows;
    await client.end();
    await until(
      () =>
        onStandby<{ done: boolean }>(`SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`),
      (rows) => rows[0].done,
    );
  };
  const read = async (variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    shownBy((await graphql(server.url, READ, { id, ...variables }, headers)).body);
  const report = (percent: number) =>
    command(server.url, steward, {
      name: 'reportProgress',
      inputType: 'ReportProgressInput',
      input: { commitmentId: id, milestoneId: 'm5', percent },
    });

  beforeAll(async () => {
    primary = await startPgCluster('cuenta');
    standby = await startStandby(primary, 'cuenta');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-replica-e2e-'));
    metricsPort = await freePort();
    server = await startServer({
      CUENTA_METRICS_PORT: String(metricsPort),
      DATABASE_URL: primary.url,
      DATABASE_READ_URL: standby.url,
      CUENTA_REPLICA_WAIT_MS: String(REPLICA_WAIT_MS),
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
      CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
      // No cached answers: every read below is executed where the routing sends it.
      CUENTA_READ_CACHE_MB: '0',
    });
    const { mint } = await localTokens(dataDir);
    steward = bearer(
      await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID], subject: 'ana' }),
    );
    const suffix = randomBytes(4).toString('hex');
    id = `${CARTAGENA_2023_ID}-${suffix}`;
    await recordCartagena(server.url, steward, {
      commitmentId: id,
      code: `CartagenaCuenta-2023-${suffix}`,
      occurredAt: '2023-01-10T14:00:00.000Z',
      publishedAt: '2023-01-16T14:00:00.000Z',
    });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await standby?.destroy();
    await primary?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs on a real hot standby that streams from the primary', async () => {
    const [row] = await onStandby<{ recovery: boolean; receiver: string | null }>(
      `SELECT pg_is_in_recovery() AS recovery,
              (SELECT status FROM pg_stat_wal_receiver) AS receiver`,
    );
    expect(row).toEqual({ recovery: true, receiver: 'streaming' });
    expect(server.output()).toMatch(/read replica 127\.0\.0\.1:\d+\/cuenta: connected/);
    expect(await replicaUp()).toBe('1');
    expect(server.output()).not.toContain('is not a standby');
  });

  it('serves queries from the replica, and keeps a lagging replica out of read-your-writes', async () => {
    await replicated();
    const { streamVersion: before } = await report(10);
    await replicated();
    expect(await read({})).toEqual(at(before));
    // The standby's own sessions: the API's replica connections ran statements there.
    const sessions = await onStandby<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'cuenta-read-replica'`,
    );
    expect(sessions[0].n).toBeGreaterThan(0);

    // A proof on the replica of an event no checkpoint covers yet: signed on the primary.
    const { positions: reported } = await report(15);
    await replicated();
    const signed = await graphql(
      server.url,
      'query ($position: Int) { inclusionProof(position: $position) { treeSize checkpoint { size } } }',
      { position: reported[0] },
    );
    expect(signed.body.errors).toBeUndefined();
    expect(signed.body.data?.inclusionProof.checkpoint.size).toBeGreaterThan(reported[0]);

    await onStandby('SELECT pg_wal_replay_pause()');
    try {
      const { streamVersion, positions } = await report(20);
      expect(streamVersion).toBe(before + 2);
      const position = positions[positions.length - 1];

      // Without a position: the replica answers, as the primary stood before the write.
      expect(await read({})).toEqual(at(before + 1));
      // The health query reports the primary's log, like /health, whoever serves the request.
      const health = await graphql(server.url, '{ health { eventStore { head } } }');
      expect(health.body.data?.health.eventStore.head).toBe(position + 1);
      // With one (the argument, or the header): the replica has not replayed it, so after
      // the short wait the request reads from the primary, read models and history alike.
      const started = performance.now();
      expect(await read({ minPosition: position })).toEqual(at(streamVersion));
      expect(performance.now() - started).toBeGreaterThanOrEqual(REPLICA_WAIT_MS);
      expect(await read({}, { 'X-Cuenta-Min-Position': String(position) })).toEqual(
        at(streamVersion),
      );
      // Proofs too: the header keeps the request on the primary, which holds the event.
      const proof = await graphql(
        server.url,
        'query ($position: Int) { inclusionProof(position: $position) { position treeSize } }',
        { position },
        { 'X-Cuenta-Min-Position': String(position) },
      );
      expect(proof.body.errors).toBeUndefined();
      expect(proof.body.data?.inclusionProof.treeSize).toBeGreaterThan(position);
      // A position past the log's head is still refused by name, after the primary looked.
      const beyond = await graphql(server.url, READ, { id, minPosition: position + 1000 });
      expect(beyond.body.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    } finally {
      await onStandby('SELECT pg_wal_replay_resume()');
    }

    // Once it has replayed, the replica answers the position itself.
    await replicated();
    expect(await read({})).toEqual(at(before + 2));
  });

  it('goes on answering from the primary while the replica is down, and uses it again when back', async () => {
    await standby.stop();
    try {
      const { streamVersion, positions } = await report(30);
      const position = positions[positions.length - 1];

      expect(await read({})).toEqual(at(streamVersion));
      expect(await replicaUp()).toBe('0');
      expect(server.output()).toMatch(/read replica 127\.0\.0\.1:\d+\/cuenta unreachable/);
      expect(await read({ minPosition: position })).toEqual(at(streamVersion));
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(server.exitCode()).toBeNull();
    } finally {
      await standby.start();
    }
    await replicated();
    await onStandby('SELECT pg_wal_replay_pause()');
    try {
      const { streamVersion } = await report(40);
      // Within a few seconds the replica is tried again; it answers as it stood.
      await until(
        () => read({}),
        (shown) => shown.version === streamVersion - 1,
      );
    } finally {
      await onStandby('SELECT pg_wal_replay_resume()');
    }
  });

  it('warns at start when a replica URL names a server that is no standby', async () => {
    const mistaken = await startServer({
      DATABASE_URL: primary.url,
      DATABASE_READ_URL: primary.url,
      CUENTA_DATA_DIR: dataDir,
    });
    try {
      await until(
        async () => mistaken.output(),
        (output) => output.includes('is not a standby'),
      );
      expect(mistaken.output()).toMatch(
        /read replica 127\.0\.0\.1:\d+\/cuenta is not a standby \(pg_is_in_recovery\(\) is false\)/,
      );
    } finally {
      await mistaken.stop();
    }
  });
});
