import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bearer,
  CALLERS,
  callAs,
  expectedOutcome,
  localTokens,
  overWebSocket,
  PROBE_SERVER,
  servedOperations,
  type OperationAccess,
  waitForOutput,
} from '../support/access.js';
import { createTestDatabase } from '../support/database.js';
import { graphql, startServer } from '../support/server.js';
import { ACCESS_MATRIX } from './access-matrix.js';

// The role x operation matrix, over real HTTP (and graphql-ws for subscriptions) against
// the built server: every operation of the API, as every caller.

async function serverWith(script?: string) {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-matrix-'));
  const server = await startServer(
    { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir, CUENTA_RATE_LIMIT_ANONYMOUS: '0' },
    30_000,
    script,
  );
  const tokens = await localTokens(dataDir);
  return {
    server,
    tokens,
    stop: async () => {
      await server.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every caller on every row: the outcome each got, next to the outcome the row expects. */
async function runMatrix(
  url: string,
  rows: readonly OperationAccess[],
  mint: Awaited<ReturnType<typeof localTokens>>['mint'],
) {
  const got: string[] = [];
  const expected: string[] = [];
  for (const row of rows) {
    for (const caller of CALLERS) {
      const cell = await callAs(url, row, caller, mint);
      got.push(`${row.operation} as ${caller}: ${cell.outcome}`);
      expected.push(`${row.operation} as ${caller}: ${expectedOutcome(row, caller)}`);
    }
  }
  return { got, expected };
}

describe('the API access matrix', () => {
  let api: Awaited<ReturnType<typeof serverWith>>;

  beforeAll(async () => {
    api = await serverWith();
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('has a row in test/e2e/access-matrix.ts for every operation the schema serves, and no other', async () => {
    const served = await servedOperations(api.server.url);
    const listed = ACCESS_MATRIX.map((row) => row.operation).sort();
    expect(served).toContain('Query.health');
    expect(listed).toEqual(served);
  });

  it('declares a policy on every operation (the server logs any without one)', async () => {
    const output = await waitForOutput(api.server, 'GraphQL API ready');
    expect(output).toContain('GraphQL API ready');
    expect(output).not.toContain('has no access policy');
  });

  it('lets exactly the allowed roles call each operation, and refuses the others with their code', async () => {
    const { got, expected } = await runMatrix(api.server.url, ACCESS_MATRIX, api.tokens.mint);
    expect(got).toEqual(expected);
  });
});

/** Test-only operations (test/support/access-probe.module.ts), one per kind of policy. */
const PROBE_MATRIX: readonly OperationAccess[] = [
  { operation: 'Query.probeWhoAmI', allow: ['anonymous'], query: '{ probeWhoAmI { role } }' },
  {
    operation: 'Query.probeAudit',
    allow: ['oversight', 'internal_control'],
    query: '{ probeAudit { role } }',
  },
  {
    operation: 'Query.probeChangeLog',
    allow: ['internal_control'],
    query: '{ probeChangeLog { role } }',
  },
  {
    operation: 'Mutation.probeStewardWrite',
    allow: ['steward', 'administrator'],
    query: 'mutation { probeStewardWrite(agency: "planeacion") { role } }',
  },
  {
    operation: 'Mutation.probeModerate',
    allow: ['moderator'],
    query: 'mutation { probeModerate { role } }',
  },
  {
    operation: 'Mutation.probeAdminister',
    allow: ['administrator'],
    query: 'mutation { probeAdminister { role } }',
  },
  {
    operation: 'Mutation.probeAnonymousWrite',
    allow: ['anonymous'],
    query: 'mutation { probeAnonymousWrite(comment: "bien") { role } }',
  },
  {
    operation: 'Subscription.probeTicks',
    allow: ['oversight'],
    query: 'subscription { probeTicks }',
  },
];

describe('policies, the guard and the actor (test-only operations)', () => {
  let probe: Awaited<ReturnType<typeof serverWith>>;

  beforeAll(async () => {
    probe = await serverWith(PROBE_SERVER);
  });

  afterAll(async () => {
    await probe?.stop();
  });

  it('applies method, class and overriding policies to queries, mutations and subscriptions', async () => {
    const { got, expected } = await runMatrix(probe.server.url, PROBE_MATRIX, probe.tokens.mint);
    expect(got).toEqual(expected);
  });

  it('refuses an operation without a policy to everyone, administrators included', async () => {
    const admin = await probe.tokens.mint({ role: 'administrator' });
    const { body } = await graphql(probe.server.url, '{ probeUnguarded }', {}, bearer(admin));
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      {
        message: 'Query.probeUnguarded has no access policy, so nobody may call it',
        path: ['probeUnguarded'],
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'FORBIDDEN', reason: 'NO_POLICY' },
      },
    ]);
    expect(await waitForOutput(probe.server, 'probeUnguarded has no access policy')).toContain(
      'Query.probeUnguarded has no access policy, so every call is refused',
    );
  });

  it('says which token a refused caller would need', async () => {
    const steward = await probe.tokens.mint({ role: 'steward' });
    const anonymous = await graphql(probe.server.url, '{ probeAudit { role } }');
    const forbidden = await graphql(
      probe.server.url,
      '{ probeAudit { role } }',
      {},
      bearer(steward),
    );
    expect(anonymous.body.errors?.[0]).toMatchObject({
      message:
        'Query.probeAudit needs a bearer token with one of these roles: oversight, internal_control',
      extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_REQUIRED' },
    });
    expect(forbidden.body.errors?.[0]).toMatchObject({
      message: 'Query.probeAudit is open to oversight, internal_control; the token carries steward',
      extensions: { code: 'FORBIDDEN', reason: 'ROLE' },
    });
  });

  it('takes the actor from the token, never from the request body', async () => {
    const steward = await probe.tokens.mint({
      role: 'steward',
      subject: 'ana',
      agencies: ['planeacion'],
    });
    const { body } = await graphql(
      probe.server.url,
      'mutation { probeStewardWrite(agency: "planeacion", subject: "someone-else") { subject role agency agencies } }',
      {},
      bearer(steward),
    );
    expect(body).toEqual({
      data: {
        probeStewardWrite: {
          subject: 'ana',
          role: 'steward',
          agency: 'planeacion',
          agencies: ['planeacion'],
        },
      },
    });
  });

  it("refuses a steward's write for another agency, and allows it for each of its own", async () => {
    const steward = await probe.tokens.mint({
      role: 'steward',
      agencies: ['planeacion', 'hacienda'],
    });
    const write = (agency: string) =>
      graphql(
        probe.server.url,
        'mutation($agency: String!) { probeStewardWrite(agency: $agency) { agency } }',
        { agency },
        bearer(steward),
      );
    const other = await write('transito');
    const own = await write('hacienda');
    expect(other.body.errors?.[0]).toMatchObject({
      message: 'A steward of planeacion, hacienda may not write for agency transito',
      extensions: { code: 'FORBIDDEN', reason: 'AGENCY' },
    });
    expect(own.body).toEqual({ data: { probeStewardWrite: { agency: 'hacienda' } } });
  });

  it('runs a caller with several roles in the least privileged role the operation allows', async () => {
    const token = await probe.tokens.mintRoles(
      ['administrator', 'moderator', 'sysadmin' as never],
      'multi',
    );
    const read = await graphql(
      probe.server.url,
      '{ probeWhoAmI { subject role } }',
      {},
      bearer(token),
    );
    const administer = await graphql(
      probe.server.url,
      'mutation { probeAdminister { subject role } }',
      {},
      bearer(token),
    );
    expect(read.body).toEqual({ data: { probeWhoAmI: { subject: 'multi', role: 'moderator' } } });
    expect(administer.body).toEqual({
      data: { probeAdminister: { subject: 'multi', role: 'administrator' } },
    });
  });

  it('gives anonymous writers a pseudonymous id from their session, not their address', async () => {
    const write = (session?: string) =>
      graphql(
        probe.server.url,
        'mutation { probeAnonymousWrite(comment: "muy bien") { subject role } }',
        {},
        session ? { 'x-cuenta-session': session } : {},
      );
    const [first, again, other, none] = await Promise.all([
      write('session-7f3a9c2e1b'),
      write('session-7f3a9c2e1b'),
      write('session-0000000001'),
      write(),
    ]);
    const subject = first.body.data?.probeAnonymousWrite.subject as string;
    expect(subject).toMatch(/^anon:[\w-]{22}$/);
    expect(first.body.data?.probeAnonymousWrite.role).toBe('anonymous');
    expect(again.body.data?.probeAnonymousWrite.subject).toBe(subject);
    expect(other.body.data?.probeAnonymousWrite.subject).not.toBe(subject);
    expect(none.body.data?.probeAnonymousWrite.subject).toMatch(/^anon:/);
    expect(subject).not.toContain('127.0.0.1');
  });

  it('gives the same pseudonym over graphql-ws for the same session', async () => {
    const query = 'mutation { probeAnonymousWrite(comment: "bien") { subject } }';
    const overHttp = await graphql(
      probe.server.url,
      query,
      {},
      { 'x-cuenta-session': 'ws-session-42' },
    );
    const overWs = await overWebSocket(probe.server.url, { session: 'ws-session-42' }, query);
    expect(overWs.results[0].data?.probeAnonymousWrite).toEqual(
      overHttp.body.data?.probeAnonymousWrite,
    );
  });

  it('checks subscriptions at subscribe time over graphql-ws', async () => {
    const oversight = await probe.tokens.mint({ role: 'oversight' });
    const moderator = await probe.tokens.mint({ role: 'moderator' });
    const allowed = await overWebSocket(
      probe.server.url,
      { authorization: `Bearer ${oversight}` },
      'subscription { probeTicks }',
    );
    const refused = await overWebSocket(
      probe.server.url,
      { authorization: `Bearer ${moderator}` },
      'subscription { probeTicks }',
    );
    expect(allowed.results).toEqual([{ data: { probeTicks: 1 } }, { data: { probeTicks: 2 } }]);
    expect(refused.closed).toBeUndefined();
    expect(refused.errors ?? refused.results[0]?.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'FORBIDDEN', reason: 'ROLE' } }),
    ]);
  });
});
