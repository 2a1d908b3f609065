import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { bearer, localTokens, overWebSocket, waitForOutput } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Authentication over real HTTP and a real graphql-ws client, against the built server.

describe('bearer tokens on the API server', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let tokens: Awaited<ReturnType<typeof localTokens>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-access-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_JWT_CLOCK_TOLERANCE_SECONDS: '0',
    });
    tokens = await localTokens(dataDir);
  });

  afterAll(async () => {
    await server?.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints at start how to mint a token, and finds no operation without a policy', async () => {
    const output = await waitForOutput(server, 'mint a token');
    expect(output).toContain(
      'to try mutations, mint a token: npm run --silent cuenta -- token --role administrator',
    );
    expect(output).not.toContain('has no access policy');
  });

  it('creates its local signing key in CUENTA_DATA_DIR/keys, readable by its owner only', async () => {
    const key = await stat(path.join(dataDir, 'keys', 'token-signing-ed25519.pem'));
    expect(key.mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
  });

  it('answers a request without a token as anonymous', async () => {
    const { status, body } = await graphql(server.url, '{ health { status } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { health: { status: 'ok' } } });
  });

  it('accepts a token minted with the local key', async () => {
    const token = await tokens.mint({ role: 'oversight' });
    const { status, body } = await graphql(server.url, '{ health { status } }', {}, bearer(token));
    expect(status).toBe(200);
    expect(body).toEqual({ data: { health: { status: 'ok' } } });
  });

  for (const kind of [
    'expired',
    'wrongly signed',
    'wrong issuer',
    'wrong audience',
    'alg none',
    'malformed',
  ]) {
    it(`refuses the ${kind} token over HTTP with 401 UNAUTHENTICATED, never as anonymous`, async () => {
      const { token, reason } = tokens.bad[kind];
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ health { status } }' }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer error="invalid_token", error_description="${reason}"`,
      );
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([
        { message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } },
      ]);
    });

    it(`refuses the ${kind} token at graphql-ws connection init with 4403 and the reason`, async () => {
      const { token, reason } = tokens.bad[kind];
      const outcome = await overWebSocket(
        server.url,
        { authorization: `Bearer ${token}` },
        '{ health { status } }',
      );
      expect(outcome.results).toEqual([]);
      expect(outcome.closed).toEqual({ code: 4403, reason: `UNAUTHENTICATED: ${reason}` });
    });
  }

  it('refuses an Authorization header that is not a bearer token', async () => {
    const { status, body } = await graphql(
      server.url,
      '{ health { status } }',
      {},
      {
        authorization: 'Basic dXNlcjpwYXNz',
      },
    );
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'MALFORMED_AUTHORIZATION',
    });
  });

  it('serves graphql-ws to anonymous callers and to valid tokens', async () => {
    const anonymous = await overWebSocket(server.url, {}, '{ health { status } }');
    const token = await tokens.mint({ role: 'moderator' });
    const authenticated = await overWebSocket(
      server.url,
      { authorization: `Bearer ${token}` },
      '{ health { status } }',
    );
    expect(anonymous).toEqual({ results: [{ data: { health: { status: 'ok' } } }] });
    expect(authenticated).toEqual({ results: [{ data: { health: { status: 'ok' } } }] });
  });

  it('closes a graphql-ws connection when its token expires', async () => {
    const token = await tokens.mint({ role: 'oversight', ttlSeconds: 2 });
    const opened = Date.now();
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      const client = createClient({
        url: `${server.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        lazy: false,
        retryAttempts: 0,
        on: {
          closed: (event) => {
            const { code, reason } = event as { code: number; reason: string };
            void client.dispose();
            resolve({ code, reason: String(reason) });
          },
        },
      });
    });
    expect(closed).toEqual({ code: 4403, reason: 'UNAUTHENTICATED: TOKEN_EXPIRED' });
    expect(Date.now() - opened).toBeGreaterThanOrEqual(1000);
  });

  it('refuses a bad token on the REST health check too', async () => {
    const response = await fetch(`${server.url}/health`, {
      headers: bearer(tokens.bad.expired.token),
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(401);
    expect(body).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
  });
});
