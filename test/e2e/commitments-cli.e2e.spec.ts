import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { cartagena2023History, CommitmentCommandHandler } from '#commitments';
import { PostgresEventStore } from '#event-store';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, runNode, startServer } from '../support/server.js';

// `cuenta replay` (and `cuenta import`) as a user runs them: the built CLI, as a process.

const CLI = 'dist/apps/cli/src/main.js';

describe('cuenta replay', () => {
  let database: TestDatabase;
  let dataDir: string;
  let events: number;

  const rows = async (table: string) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return Number((await client.query(`SELECT count(*) FROM read.${table}`)).rows[0].count);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-cli-e2e-'));
    const store = await PostgresEventStore.open({ connectionString: database.url });
    const handler = new CommitmentCommandHandler(store);
    for (const step of cartagena2023History) {
      await handler.handle({
        command: step.command,
        issuer: { kind: 'trusted', actor: step.actor },
        commandId: step.commandId,
        occurredAt: new Date(step.occurredAt),
      });
    }
    events = await store.head();
    await store.close();
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('rebuilds the read models from the log and says how fast', async () => {
    const result = await runNode(CLI, ['replay'], {
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
    });

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      new RegExp(
        `^replayed commitments: ${events} events in \\d+\\.\\d\\d s \\([\\d,]+ events/s\\)\\n$`,
      ),
    );
    expect(result.code).toBe(0);
    expect(await rows('commitments')).toBe(1);
    expect(await rows('milestones')).toBe(7);
    expect(await rows('evidence')).toBe(10);
  });

  it('only resets when a running server replays, and the server rebuilds the rows', async () => {
    const server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
    try {
      const result = await runNode(CLI, ['replay', 'commitments'], {
        DATABASE_URL: database.url,
        CUENTA_DATA_DIR: dataDir,
      });
      expect(result.stdout).toMatch(/^reset commitments; the active projection runner/);
      expect(result.code).toBe(0);
      const deadline = Date.now() + 10_000;
      let milestones = 0;
      while (milestones !== 7 && Date.now() < deadline) {
        const { body } = await graphql(
          server.url,
          '{ commitment(code: "CartagenaCuenta-2023") { milestones { id } } }',
        );
        milestones = body.data?.commitment?.milestones.length ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(milestones).toBe(7);
    } finally {
      await server.stop();
    }
  });

  it('refuses a projection it does not know, exiting 2', async () => {
    const result = await runNode(CLI, ['replay', 'nope'], { DATABASE_URL: database.url });

    expect(result.stderr).toBe(
      'cuenta replay: no projection named "nope" (known: commitments) (see cuenta replay --help)\n',
    );
    expect(result.code).toBe(2);
  });
});
