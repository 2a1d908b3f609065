import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { overWebSocket, PROBE_SERVER, waitForOutput } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server.js';

// An exception thrown deep inside a resolver (test/support/access-probe.module.ts) reaches
// the client only as INTERNAL_SERVER_ERROR with an id, and the server log has the id with
// the details.

const SECRET = 'SELECT * FROM vault';
const MASKED = /^Internal server error \(id ([0-9a-f-]{36})\)$/;

describe('masking of internal errors', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-masking-'));
    server = await startServer(
      { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir, CUENTA_RATE_LIMIT_ANONYMOUS: '0' },
      30_000,
      PROBE_SERVER,
    );
  });

  afterAll(async () => {
    await server?.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers an HTTP client with an error id only, and logs the id with the details', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ probeFailure }' }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as {
      errors: Array<{ message: string; extensions: { errorId: string } }>;
    };
    const errorId = body.errors[0].extensions.errorId;
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: `Internal server error (id ${errorId})`,
          path: ['probeFailure'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
        },
      ],
    });
    expect(body.errors[0].message).toMatch(MASKED);
    expect(
      ['vault', 'password', 'SELECT', 'readVault', '.js:'].filter((leak) => text.includes(leak)),
    ).toEqual([]);
    const log = await waitForOutput(server, `internal error ${errorId}`);
    expect(log).toContain(`internal error ${errorId}: Error: password authentication failed`);
    expect(log).toContain(SECRET);
  });

  it('masks the same way over graphql-ws', async () => {
    const outcome = await overWebSocket(server.url, {}, '{ probeFailure }');
    const error = outcome.results[0].errors?.[0];
    const errorId = error?.extensions?.errorId as string;
    expect(error).toEqual({
      message: `Internal server error (id ${errorId})`,
      path: ['probeFailure'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    });
    expect(JSON.stringify(outcome)).not.toContain('vault');
    expect(await waitForOutput(server, `internal error ${errorId}`)).toContain(
      `internal error ${errorId}: Error: password authentication failed`,
    );
  });

  it('masks an error thrown while a subscription streams', async () => {
    const outcome = await overWebSocket(server.url, {}, 'subscription { probeFailures }');
    const errorId = outcome.errors?.[0].extensions?.errorId as string;
    expect(outcome.results).toEqual([{ data: { probeFailures: 1 } }]);
    expect(outcome.errors).toEqual([
      {
        message: `Internal server error (id ${errorId})`,
        extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
      },
    ]);
    expect(await waitForOutput(server, `internal error ${errorId}`)).toContain(
      `internal error ${errorId}: Error: password authentication failed`,
    );
  });
});
