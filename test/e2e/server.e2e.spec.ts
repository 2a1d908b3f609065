import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';

// These run the built server (global setup builds it) as its own process over real HTTP.

describe('the API server on a PostgreSQL server (DATABASE_URL)', () => {
  let database: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer({ DATABASE_URL: database.url });
  });

  afterAll(async () => {
    await server?.stop();
    await database.drop();
  });

  it('answers the GraphQL health query with the log head', async () => {
    const { status, body } = await graphql(
      server.url,
      '{ health { status database { reachable } eventStore { head } projections { stalled { projection } } } }',
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        health: {
          status: 'ok',
          database: { reachable: true },
          eventStore: { head: 0 },
          projections: { stalled: [] },
        },
      },
    });
  });

  it('answers GET /health with JSON', async () => {
    const response = await fetch(`${server.url}/health`);
    const report = (await response.json()) as { status: string; eventStore: { head: number } };
    expect(response.status).toBe(200);
    expect(report.status).toBe('ok');
    expect(report.eventStore.head).toBe(0);
  });

  it('names the problem in a bad query without a stack trace', async () => {
    const { body } = await graphql(server.url, '{ health { nope } }');
    expect(body.errors?.[0].message).toBe('Cannot query field "nope" on type "Health".');
    expect(body.errors?.[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('the API server on the embedded PostgreSQL', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-e2e-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts its own database in CUENTA_DATA_DIR, keeps it across restarts, and stops it on SIGTERM', async () => {
    const first = await startServer({ CUENTA_DATA_DIR: dataDir });
    expect(first.output()).toContain(`data in ${dataDir}/postgres`);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await startServer({ CUENTA_DATA_DIR: dataDir });
    const { body } = await graphql(second.url, '{ health { status } }');
    expect(body.data?.health.status).toBe('ok');
    expect(second.output()).not.toContain('initialising a new PostgreSQL cluster');
    expect(await second.stop('SIGINT')).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('prints, in one line, the port of its database and how to connect to it with psql', async () => {
    // A first start initialises the cluster, slow on a loaded machine: a generous bound.
    const server = await startServer({ CUENTA_DATA_DIR: dataDir, NO_COLOR: '1' }, 120_000);
    try {
      const line = server
        .output()
        .split('\n')
        .find((l) => l.includes('embedded PostgreSQL on'));
      const printed =
        /on 127\.0\.0\.1:(\d+),.* psql -h 127\.0\.0\.1 -p (\d+) -U (\w+) -d (\w+) \(the password is in (\S+)\)$/;
      expect(line).toMatch(printed);
      const [, port, psqlPort, user, database, passwordFile] = printed.exec(line ?? '') ?? [];
      const { password } = JSON.parse(await readFile(passwordFile, 'utf8')) as {
        password: string;
      };
      // What a person would type into psql, with a PostgreSQL client.
      const client = new pg.Client({
        host: '127.0.0.1',
        port: Number(port),
        user,
        password,
        database,
      });
      await client.connect();
      const { rows } = await client
        .query<{ database: string; log: boolean }>(
          "select current_database() as database, to_regclass('events.events') is not null as log",
        )
        .finally(() => client.end());

      expect([psqlPort, user, database, passwordFile]).toEqual([
        port,
        'postgres',
        'postgres',
        path.join(dataDir, 'postgres.credentials.json'),
      ]);
      expect(rows).toEqual([{ database: 'postgres', log: true }]);
    } finally {
      await server.stop();
    }
  }, 180_000);
});

describe('start-up configuration', () => {
  it('stops with one line naming a bad variable', async () => {
    const { code, stderr } = await runNode('dist/apps/api/src/main.js', [], { PORT: 'eighty' });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'cuenta: invalid configuration: PORT must be an integer from 1 to 65535 (got "eighty")',
    );
  });
});
