import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens, PROBE_SERVER, waitForOutput } from '../support/access.js';
import { cartagenaRegistration } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server.js';

// In production the server logs one JSON object per line, and every line caused by an HTTP
// request or a graphql-ws operation carries that request's id, which the response returns
// in X-Request-Id. Values sent in inputs never reach the log.

const REGISTER = `mutation ($input: RegisterCommitmentInput!) {
  registerCommitment(input: $input) { positions } }`;

interface LogLine {
  level: string;
  pid: number;
  timestamp: number;
  message: string;
  context?: string;
  requestId?: string;
}

describe('structured logs', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  const marker = `personal-${randomBytes(6).toString('hex')}`;

  /** Every line the server wrote, parsed; fails on a line that is not a JSON object. */
  const logLines = (): LogLine[] =>
    server
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const parsed = JSON.parse(line) as LogLine;
        expect(typeof parsed).toBe('object');
        return parsed;
      });

  /** POSTs a GraphQL request; returns its body and the X-Request-Id it was answered with. */
  const post = async (
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as {
      errors?: Array<{ extensions?: Record<string, unknown> }>;
    };
    return {
      requestId: response.headers.get('x-request-id') ?? '',
      code: body.errors?.[0]?.extensions?.code,
      body,
    };
  };

  const registration = (title: string) => {
    const suffix = randomBytes(4).toString('hex');
    return {
      ...cartagenaRegistration({
        commitmentId: `${CARTAGENA_2023_ID}-${suffix}`,
        code: `LOGS-${suffix}`,
      }),
      title,
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-structured-logs-'));
    server = await startServer(
      {
        DATABASE_URL: database.url,
        CUENTA_DATA_DIR: dataDir,
        NODE_ENV: 'production',
        CUENTA_LOG_LEVEL: 'debug',
        CUENTA_RATE_LIMIT_ANONYMOUS: '0',
        CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
      },
      30_000,
      PROBE_SERVER,
    );
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID] }));
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('writes JSON lines in production, each with level, time, context and message', async () => {
    const lines = logLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).toContain(line.level);
      expect(typeof line.timestamp).toBe('number');
      expect(typeof line.message).toBe('string');
    }
    expect(lines.map((line) => line.context)).toContain('NestApplication');
  });

  it('gives each HTTP request an id, returns it and puts it on every line of that request', async () => {
    const refused = await post(REGISTER, { input: registration(`${marker}\u0000`) }, steward);
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const validation = await post(`{ commitment(id: "${marker}") { nope } }`);
    expect(validation.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(validation.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(validation.requestId).not.toBe(refused.requestId);

    await waitForOutput(server, validation.requestId, 10_000);
    const lines = logLines();
    expect(
      lines
        .filter((line) => line.requestId === refused.requestId)
        .map((line) => [line.level, line.context, line.message]),
    ).toEqual([['debug', 'GraphQL', 'refused: INVALID_INPUT at registerCommitment (field title)']]);
    expect(
      lines
        .filter((line) => line.requestId === validation.requestId)
        .map((line) => [line.level, line.message]),
    ).toEqual([['debug', 'refused: GRAPHQL_VALIDATION_FAILED']]);
  });

  it("keeps a caller's sane X-Request-Id and replaces anything else", async () => {
    const chosen = `trace-${randomBytes(8).toString('hex')}`;
    const kept = await post('{ nope }', undefined, { 'X-Request-Id': chosen });
    expect(kept.requestId).toBe(chosen);

    const replaced = await post('{ nope }', undefined, { 'X-Request-Id': `who ${marker}` });
    expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const tooShort = await post('{ nope }', undefined, { 'X-Request-Id': 'abc' });
    expect(tooShort.requestId).toMatch(/^[0-9a-f-]{36}$/);

    await waitForOutput(server, tooShort.requestId, 10_000);
    const ids = logLines().map((line) => line.requestId);
    expect(ids).toContain(chosen);
    expect(ids).toContain(replaced.requestId);
  });

  it('logs a fault once at error level, with the id the response returned', async () => {
    const fault = await post('{ probeFailure }');
    expect(fault.code).toBe('INTERNAL_SERVER_ERROR');
    const errorId = fault.body.errors?.[0]?.extensions?.errorId as string;
    await waitForOutput(server, `internal error ${errorId}`, 10_000);
    const errors = logLines().filter((line) => line.level === 'error');
    expect(errors.filter((line) => line.message.includes(errorId))).toEqual([
      expect.objectContaining({ context: 'GraphQL', requestId: fault.requestId }),
    ]);
  });

  it('gives each graphql-ws operation its connection id and its own id', async () => {
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, [
      'graphql-transport-ws',
    ]);
    const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    const opened = new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const connectionId = await new Promise<string>((resolve) => {
      socket.once('upgrade', (response) => resolve(String(response.headers['x-request-id'])));
    });
    expect(connectionId).toMatch(/^[0-9a-f-]{36}$/);
    await opened;
    const until = async (found: () => boolean) => {
      for (let waited = 0; !found() && waited < 10_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await until(() => messages.some((message) => message.type === 'connection_ack'));
    socket.send(
      JSON.stringify({
        type: 'subscribe',
        id: 'op-1',
        payload: { query: `{ commitment(id: "${marker}") { nope } }` },
      }),
    );
    const requestId = `${connectionId}:op-1`;
    const refused = () =>
      messages.find((message) => message.type === 'error' && message.id === 'op-1');
    await until(() => refused() !== undefined);
    await waitForOutput(server, requestId, 10_000);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.close();
    await closed;
    const refusal = refused();
    const code = (refusal?.payload as Array<{ extensions?: { code?: string } }> | undefined)?.[0]
      ?.extensions?.code;
    expect(messages).toContainEqual(expect.objectContaining({ type: 'error', id: 'op-1' }));
    expect(code).toEqual(expect.any(String));
    expect(
      logLines()
        .filter((line) => line.requestId === requestId)
        .map((line) => [line.level, line.message]),
    ).toEqual([['debug', `refused: ${code}`]]);
  });

  it('never logs a value sent in an input, accepted or refused', async () => {
    const accepted = await post(REGISTER, { input: registration(marker) }, steward);
    expect(accepted.body.errors).toBeUndefined();
    const note = await post(
      `mutation { reportProgress(input: { commitmentId: "${marker}", milestoneId: "m",
        percent: 10, note: "${marker}" }) { positions } }`,
      undefined,
      steward,
    );
    expect(note.code).toBeDefined();
    await waitForOutput(server, note.requestId, 10_000);
    expect(server.output()).not.toContain(marker);
  });
});
