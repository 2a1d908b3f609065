import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serverAudits } from 'graphql-http';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// The GraphQL over HTTP spec's own conformance suite (graphql-http's server audits): every
// MUST and every SHOULD holds, for both media types a client may accept.

describe('GraphQL over HTTP', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-graphql-http-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('passes all 61 server audits, without a warning', async () => {
    const audits = serverAudits({ url: `${server.url}/graphql` });
    const results = [];
    for (const audit of audits) results.push(await audit.fn());
    const failed = results
      .filter((result) => result.status !== 'ok')
      .map((result) => ({
        name: result.name,
        status: result.status,
        reason: 'reason' in result ? result.reason : undefined,
      }));
    expect(failed).toEqual([]);
    expect(results).toHaveLength(61);
  });

  it('answers a request error with 200 for application/json, 400 for graphql-response+json', async () => {
    const statuses: Record<string, number[]> = {};
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      statuses[accept] = [];
      for (const [query, variables] of [
        ['{ commitments(first: 1) { totalCount }', undefined],
        ['{ commitments(first: 1) { nope } }', undefined],
        ['query ($n: Int!) { commitments(first: $n) { totalCount } }', { n: 'many' }],
      ] as const) {
        const { status } = await graphql(server.url, query, variables, { accept });
        statuses[accept].push(status);
      }
    }
    expect(statuses).toEqual({
      'application/json': [200, 200, 200],
      'application/graphql-response+json': [400, 400, 400],
    });
  });

  it('refuses a POST another site could send without asking (CSRF), but not a GET', async () => {
    const query = '{ ledgerInfo { size } }';
    const post = async (contentType: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': contentType, ...headers },
        body: new URLSearchParams({ query }).toString(),
      });
      const body = (await response.json()) as { errors?: Array<{ extensions: { code: string } }> };
      return [response.status, body.errors?.[0]?.extensions.code];
    };
    expect(await post('application/x-www-form-urlencoded')).toEqual([400, 'BAD_REQUEST']);
    expect(await post('text/plain')).toEqual([400, 'BAD_REQUEST']);
    expect(
      await post('application/x-www-form-urlencoded', { 'apollo-require-preflight': 'true' }),
    ).toEqual([200, undefined]);
    const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`);
    expect([get.status, await get.json()]).toEqual([200, { data: { ledgerInfo: { size: 0 } } }]);
  });
});
