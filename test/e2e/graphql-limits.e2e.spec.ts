import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sha256Hex } from '#platform';
import { overWebSocket, PROBE_SERVER } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Hostile queries against the built server: each limit refuses the request before anything
// executes (probeExecutions counts the probe resolvers that ran), with its own code.

const LIMITS = {
  CUENTA_GRAPHQL_MAX_DEPTH: '4',
  CUENTA_GRAPHQL_MAX_COST: '200',
  CUENTA_GRAPHQL_MAX_ALIASES: '3',
  CUENTA_GRAPHQL_MAX_DIRECTIVES: '5',
  CUENTA_GRAPHQL_MAX_TOKENS: '200',
  CUENTA_GRAPHQL_MAX_BATCH: '2',
  CUENTA_GRAPHQL_MAX_BODY_BYTES: '2048',
  CUENTA_RATE_LIMIT_ANONYMOUS: '0',
};

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('GraphQL limits', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;

  const executions = async () =>
    (await graphql(server.url, '{ probeExecutions }')).body.data?.probeExecutions as number;

  /** Sends `query` and returns the response with how many probe resolvers ran meanwhile. */
  const attempt = async (query: string, variables?: Record<string, unknown>) => {
    const before = await executions();
    const response = await graphql(server.url, query, variables);
    return { ...response, ran: (await executions()) - before };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-limits-'));
    server = await startServer(
      { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir, ...LIMITS },
      30_000,
      PROBE_SERVER,
    );
  });

  afterAll(async () => {
    await server?.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs a query within every limit', async () => {
    const { status, body, ran } = await attempt('{ probeTouch { child { value } } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { probeTouch: { child: { value: 2 } } } });
    expect(ran).toBe(1);
  });

  it('refuses an over-deep query with QUERY_TOO_DEEP before executing it', async () => {
    const { status, body, ran } = await attempt(
      '{ probeTouch { child { child { child { child { value } } } } } }',
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: 'Query depth 6 exceeds the limit of 4',
        extensions: { code: 'QUERY_TOO_DEEP', limit: 4, found: 6 },
      },
    ]);
    expect(ran).toBe(0);
  });

  it('refuses an over-costly query with QUERY_TOO_COSTLY, lists weighted by page size', async () => {
    const { status, body, ran } = await attempt(
      '{ probeNodes(first: 100) { value children(first: 100) { value } } }',
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: "The operation's cost 30300 exceeds the limit of 200",
        extensions: { code: 'QUERY_TOO_COSTLY', limit: 200, found: 30300 },
      },
    ]);
    expect(ran).toBe(0);
  });

  it('weighs a page size given in a variable, not only a literal one', async () => {
    const query = 'query($n: Int!) { probeNodes(first: $n) { value } }';
    const small = await attempt(query, { n: 2 });
    const large = await attempt(query, { n: 1000 });
    expect(small.body.errors).toBeUndefined();
    expect(small.ran).toBe(1);
    expect(large.status).toBe(400);
    expect(large.body.errors?.[0].extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      limit: 200,
      found: 3000,
    });
    expect(large.ran).toBe(0);
  });

  it("weighs a list by the schema's default page size when none is given", async () => {
    const { body, ran } = await attempt('{ probeNodes { children { value } } }');
    expect(body.errors?.[0].extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      limit: 200,
      found: 320,
    });
    expect(ran).toBe(0);
  });

  it('refuses an alias-flooded query with TOO_MANY_ALIASES before executing it', async () => {
    const { status, body, ran } = await attempt(
      '{ a: probeTouch { value } b: probeTouch { value } c: probeTouch { value } d: probeTouch { value } }',
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: 'The operation uses 4 aliases; the limit is 3',
        extensions: { code: 'TOO_MANY_ALIASES', limit: 3, found: 4 },
      },
    ]);
    expect(ran).toBe(0);
  });

  it('refuses a directive-flooded query with TOO_MANY_DIRECTIVES', async () => {
    const spreads = Array.from({ length: 6 }, () => '...f @include(if: true)').join(' ');
    const { status, body, ran } = await attempt(
      `{ probeTouch { ${spreads} } } fragment f on ProbeNode { value }`,
    );
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions).toEqual({
      code: 'TOO_MANY_DIRECTIVES',
      limit: 5,
      found: 6,
    });
    expect(ran).toBe(0);
  });

  it('refuses a query of too many tokens with TOO_MANY_TOKENS before parsing it', async () => {
    const { status, body, ran } = await attempt(
      `{ probeTouch { ${Array.from({ length: 250 }, () => 'value').join(' ')} } }`,
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: 'The operation has more than 200 tokens',
        extensions: { code: 'TOO_MANY_TOKENS', limit: 200 },
      },
    ]);
    expect(ran).toBe(0);
  });

  it('runs a batch within the limit and refuses a larger one with BATCH_TOO_LARGE', async () => {
    const operation = { query: '{ probeTouch { value } }' };
    const before = await executions();
    const within = await post(server.url, JSON.stringify([operation, operation]));
    const beyond = await post(server.url, JSON.stringify([operation, operation, operation]));
    expect(within.status).toBe(200);
    expect(within.body).toEqual([
      { data: { probeTouch: { value: 1 } } },
      { data: { probeTouch: { value: 1 } } },
    ]);
    expect(beyond.status).toBe(400);
    expect(beyond.body.errors).toEqual([
      {
        message: 'A batch may hold at most 2 operations; this one has 3',
        extensions: { code: 'BATCH_TOO_LARGE', limit: 2, found: 3 },
      },
    ]);
    expect((await executions()) - before).toBe(2);
  });

  it('refuses a body over the size limit with 413 REQUEST_TOO_LARGE', async () => {
    const { status, body } = await post(
      server.url,
      JSON.stringify({ query: `{ probeTouch { value } } # ${'x'.repeat(3000)}` }),
    );
    expect(status).toBe(413);
    expect(body).toEqual({
      errors: [
        {
          message: 'The request body exceeds 2048 bytes',
          extensions: { code: 'REQUEST_TOO_LARGE', limit: 2048 },
        },
      ],
    });
  });

  it('refuses a body that is not JSON with 400 BAD_REQUEST and no stack trace', async () => {
    const { status, body } = await post(server.url, '{"query": ');
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        { message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } },
      ],
    });
  });

  it('applies the same limits over graphql-ws', async () => {
    const before = await executions();
    const [deep, costly, aliased] = await Promise.all([
      overWebSocket(
        server.url,
        {},
        '{ probeTouch { child { child { child { child { value } } } } } }',
      ),
      overWebSocket(server.url, {}, 'query($n: Int!) { probeNodes(first: $n) { value } }', {
        n: 1000,
      }),
      overWebSocket(
        server.url,
        {},
        '{ a: probeTouch { value } b: probeTouch { value } c: probeTouch { value } d: probeTouch { value } }',
      ),
    ]);
    expect(deep.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: 4, found: 6 });
    expect(costly.errors?.[0].extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      limit: 200,
      found: 3000,
    });
    expect(aliased.errors?.[0].extensions).toEqual({
      code: 'TOO_MANY_ALIASES',
      limit: 3,
      found: 4,
    });
    expect((await executions()) - before).toBe(0);
  });

  it('closes a graphql-ws connection whose message exceeds the size limit', async () => {
    const outcome = await overWebSocket(
      server.url,
      {},
      `{ probeTouch { value } } # ${'x'.repeat(3000)}`,
    );
    expect(outcome.closed?.code).toBe(1009);
  });

  it('suggests field names while introspection is on', async () => {
    const { body } = await graphql(server.url, '{ probeTouch { valu } }');
    expect(body.errors?.[0].message).toBe(
      'Cannot query field "valu" on type "ProbeNode". Did you mean "value"?',
    );
  });

  it('answers introspection by default', async () => {
    const { body } = await graphql(server.url, '{ __schema { queryType { name } } }');
    expect(body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});

describe('introspection off, and the allow-list of persisted operations', () => {
  let database: TestDatabase;
  let dataDir: string;
  let closed: ServerProcess;
  let listed: ServerProcess;
  const allowed = '{ health { status } }';

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-persisted-'));
    const file = path.join(dataDir, 'operations.json');
    await writeFile(file, JSON.stringify({ [sha256Hex(allowed)]: allowed }));
    const common = { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir };
    [closed, listed] = await Promise.all([
      startServer({ ...common, CUENTA_GRAPHQL_INTROSPECTION: 'false' }),
      startServer({ ...common, CUENTA_GRAPHQL_PERSISTED_OPERATIONS: file }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([closed?.stop(), listed?.stop()]);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses introspection when CUENTA_GRAPHQL_INTROSPECTION is false, over HTTP and graphql-ws', async () => {
    const overHttp = await graphql(closed.url, '{ __schema { queryType { name } } }');
    const overWs = await overWebSocket(closed.url, {}, '{ __schema { queryType { name } } }');
    // A validation failure: 200 in application/json, as GraphQL over HTTP says.
    expect(overHttp.status).toBe(200);
    expect(overHttp.body.errors?.[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(overWs.errors?.[0].message).toMatch(/introspection/);
    expect(overWs.results).toEqual([]);
  });

  it('does not suggest field names when introspection is off', async () => {
    const { body } = await graphql(closed.url, '{ health { statu } }');
    expect(body.errors?.[0].message).toBe('Cannot query field "statu" on type "Health".');
  });

  it('runs a listed operation sent as text or as its hash alone', async () => {
    const asText = await graphql(listed.url, allowed);
    const asHash = await post(
      listed.url,
      JSON.stringify({
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(allowed) } },
      }),
    );
    expect(asText.body).toEqual({ data: { health: { status: 'ok' } } });
    expect(asHash.body).toEqual({ data: { health: { status: 'ok' } } });
  });

  it('refuses anything else with OPERATION_NOT_ALLOWED, over HTTP and graphql-ws', async () => {
    const other = '{ health { status checkedAt } }';
    const text = await graphql(listed.url, other);
    const hash = await post(
      listed.url,
      JSON.stringify({
        extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } },
      }),
    );
    const overWs = await overWebSocket(listed.url, {}, other);
    expect(text.status).toBe(400);
    expect(text.body.errors).toEqual([
      {
        message: `Operation ${sha256Hex(other)} is not in this server's list of allowed operations`,
        extensions: { code: 'OPERATION_NOT_ALLOWED', hash: sha256Hex(other) },
      },
    ]);
    expect(hash.body.errors).toEqual([
      expect.objectContaining({
        extensions: { code: 'OPERATION_NOT_ALLOWED', hash: 'ab'.repeat(32) },
      }),
    ]);
    expect(overWs.errors?.[0].extensions).toEqual({
      code: 'OPERATION_NOT_ALLOWED',
      hash: sha256Hex(other),
    });
  });
});
