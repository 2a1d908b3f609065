import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, localTokens, overWebSocket } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startServer, type ServerProcess } from '../support/server.js';

// Per-caller rate limits against the built server. The server trusts one proxy hop, so each
// test plays a caller of its own through X-Forwarded-For and stands alone.

const QUERY = JSON.stringify({ query: '{ health { status } }' });

describe('rate limits per caller', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let tokens: Awaited<ReturnType<typeof localTokens>>;

  const post = async (headers: Record<string, string>, body = QUERY) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> },
    };
  };
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-rate-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_ANONYMOUS: '3',
      CUENTA_RATE_LIMIT_AUTHENTICATED: '4',
      CUENTA_RATE_LIMIT_WINDOW_SECONDS: '60',
      CUENTA_TRUST_PROXY: '1',
    });
    tokens = await localTokens(dataDir);
  });

  afterAll(async () => {
    await server?.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers an anonymous caller over its limit with 429 RATE_LIMITED and when to retry', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(from('203.0.113.1'))).status);
    const refused = await post(from('203.0.113.1'));
    const retryAfter = refused.body.errors?.[0].extensions?.retryAfter as number;
    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.retryAfter).toBe(String(retryAfter));
  });

  it('counts anonymous callers per address', async () => {
    for (let i = 0; i < 3; i++) await post(from('203.0.113.2'));
    const exhausted = await post(from('203.0.113.2'));
    const other = await post(from('203.0.113.3'));
    expect(exhausted.status).toBe(429);
    expect(other.status).toBe(200);
  });

  it('counts token holders per subject, with their own allowance, wherever they call from', async () => {
    const busy = await tokens.mint({ role: 'oversight', subject: 'busy-auditor' });
    const calm = await tokens.mint({ role: 'oversight', subject: 'calm-auditor' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await post({ ...bearer(busy), ...from(`198.51.100.${i}`) })).status);
    }
    const refused = await post({ ...bearer(busy), ...from('198.51.100.9') });
    const other = await post({ ...bearer(calm), ...from('198.51.100.9') });
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(other.status).toBe(200);
  });

  it('counts every operation of a batch', async () => {
    const batch = JSON.stringify([
      { query: '{ health { status } }' },
      { query: '{ health { status } }' },
    ]);
    const first = await post(from('203.0.113.4'), batch);
    const second = await post(from('203.0.113.4'));
    const third = await post(from('203.0.113.4'));
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(third.status).toBe(429);
  });

  it('counts refused tokens against the address, so guessing is limited too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await post({ ...bearer(tokens.bad.malformed.token), ...from('203.0.113.5') })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('limits graphql-ws connections and their operations, closing with 4429 at init', async () => {
    const headers = from('203.0.113.6');
    const query = '{ health { status } }';
    // Connection init and each operation take one request from the allowance of 3.
    const first = await overWebSocket(server.url, {}, query, undefined, headers);
    const second = await overWebSocket(server.url, {}, query, undefined, headers);
    const third = await overWebSocket(server.url, {}, query, undefined, headers);
    expect(first.results).toEqual([{ data: { health: { status: 'ok' } } }]);
    expect(second.errors?.[0].extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfter: expect.any(Number),
    });
    expect(third.closed?.code).toBe(4429);
    expect(third.closed?.reason).toMatch(/^RATE_LIMITED: retry after \d+ s$/);
  });
});
