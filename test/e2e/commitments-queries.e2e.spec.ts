import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildSchema, parse, validate } from 'graphql';
import pg from 'pg';
import { CommitmentCommandHandler, type CommitmentCommand } from '#commitments';
import { CARTAGENA_2023_ID, cartagena2023 } from '../../libs/commitments/demo/index.js';
import { PostgresEventStore } from '#event-store';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';

// The commitments list against the built server, counting the SQL statements the server's
// read-model connections send for one GraphQL request: a PostgreSQL wire-protocol proxy sits
// between the server and the database and counts Query and Execute messages.

interface StatementCounter {
  url: string;
  /** Statements sent so far on connections whose application_name is `application`. */
  count(application: string): number;
  close(): Promise<void>;
}

async function countingProxy(databaseUrl: string): Promise<StatementCounter> {
  const target = new URL(databaseUrl);
  const counts = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let application = '';
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          if (pending.length < 4) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          const params = pending.subarray(8, length).toString('utf8').split('\0');
          const at = params.indexOf('application_name');
          if (at >= 0) application = params[at + 1];
          // An SSLRequest (80877103) is followed by the real startup message.
          started = pending.readInt32BE(4) !== 80877103;
          pending = pending.subarray(length);
          continue;
        }
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1) + 1;
        if (pending.length < length) break;
        const type = String.fromCharCode(pending[0]);
        if (type === 'Q' || type === 'E')
          counts.set(application, (counts.get(application) ?? 0) + 1);
        pending = pending.subarray(length);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as net.AddressInfo).port);
  return {
    url: proxied.toString(),
    count: (application) => counts.get(application) ?? 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the commitments list over GraphQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  let proxy: StatementCounter;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-queries-e2e-'));
    const store = await PostgresEventStore.open({ connectionString: database.url });
    const handler = new CommitmentCommandHandler(store);
    const issuer = { kind: 'trusted' as const, actor: { subject: 'seed', role: 'administrator' } };
    const run = (command: CommitmentCommand) => handler.handle({ command, issuer });
    for (let i = 1; i <= 25; i++) {
      const commitmentId = `c${String(i).padStart(2, '0')}`;
      await run({
        type: 'RegisterCommitment',
        data: { ...cartagena2023, commitmentId, code: `CTG-${commitmentId}` },
      });
      for (const m of [1, 2, 3]) {
        await run({
          type: 'AddMilestone',
          data: {
            commitmentId,
            milestoneId: `m${m}`,
            title: `Hito ${m}`,
            responsibleOffice: 'Secretaría de Planeación',
            plannedStart: `2023-0${m}`,
            plannedEnd: `2023-0${m + 3}`,
          },
        });
      }
      await run({ type: 'PublishCommitment', data: { commitmentId } });
      await run({
        type: 'ReportProgress',
        data: {
          commitmentId,
          milestoneId: 'm1',
          percent: 50,
          evidence: [
            {
              kind: 'link',
              url: `https://cartagena.gov.co/informes/${commitmentId}`,
              sha256: 'b'.repeat(64),
              mediaType: 'text/html',
              description: 'Informe de avance',
            },
          ],
        },
      });
    }
    await store.close();
    proxy = await countingProxy(database.url);
    server = await startServer({ DATABASE_URL: proxy.url, CUENTA_DATA_DIR: dataDir });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await graphql(server.url, '{ commitments { totalCount } }');
      if (body.data?.commitments.totalCount === 25) break;
      if (Date.now() > deadline) throw new Error('the read model did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Every other context's projections catch up on the same connections: the statements
    // counted below must be the query's own, so wait until every checkpoint is at the head.
    const direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    try {
      for (;;) {
        const { rows } = await direct.query<{ behind: string }>(
          `SELECT count(*) AS behind FROM read.projection_checkpoints
            WHERE position < (SELECT size FROM events.log_head)`,
        );
        if (rows[0].behind === '0') break;
        if (Date.now() > deadline) throw new Error('the projections did not catch up');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await direct.end();
    }
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loads a page of 20 commitments with milestones, evidence and budget in 4 statements, and 1 for the cache', async () => {
    const before = proxy.count('cuenta-read-models');
    const { body } = await graphql(
      server.url,
      `
        {
          commitments(first: 20) {
            edges {
              node {
                code
                milestones {
                  id
                  progress
                  evidence {
                    url
                  }
                }
                budget {
                  id
                }
                evidence {
                  sha256
                }
              }
            }
            pageInfo {
              hasNextPage
            }
          }
        }
      `,
    );
    const statements = proxy.count('cuenta-read-models') - before;

    const edges = body.data?.commitments.edges;
    expect(edges).toHaveLength(20);
    expect(edges[19].node.code).toBe('CTG-c20');
    expect(edges[0].node.milestones.map((m: { progress: number }) => m.progress)).toEqual([
      50, 0, 0,
    ]);
    expect(edges[0].node.milestones[0].evidence).toEqual([
      { url: 'https://cartagena.gov.co/informes/c01' },
    ]);
    // Where the log and the read models stand (the read cache's key, a miss here), the page,
    // then one statement each for the milestones, the evidence and the budget lines of all
    // 20 commitments, not one per commitment.
    expect(statements).toBe(5);
  });

  it('pages on with the end cursor, and counts the matches only when asked', async () => {
    const first = await graphql(
      server.url,
      '{ commitments(first: 20) { pageInfo { endCursor } } }',
    );
    const before = proxy.count('cuenta-read-models');
    const { body } = await graphql(
      server.url,
      `
        query ($after: String) {
          commitments(first: 20, after: $after) {
            totalCount
            edges {
              node {
                code
              }
            }
            pageInfo {
              hasNextPage
              hasPreviousPage
            }
          }
        }
      `,
      { after: first.body.data?.commitments.pageInfo.endCursor },
    );

    expect(
      body.data?.commitments.edges.map((e: { node: { code: string } }) => e.node.code),
    ).toEqual(['CTG-c21', 'CTG-c22', 'CTG-c23', 'CTG-c24', 'CTG-c25']);
    expect(body.data?.commitments.totalCount).toBe(25);
    expect(body.data?.commitments.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    // The read cache's version, the page, the count.
    expect(proxy.count('cuenta-read-models') - before).toBe(3);
  });

  it('refuses a cursor it did not make, naming the argument', async () => {
    const { body } = await graphql(server.url, '{ commitments(after: "bogus") { totalCount } }');

    expect(body.errors?.[0].extensions).toEqual({
      code: 'INVALID_INPUT',
      field: 'after',
      rule: 'is not a cursor of this list',
    });
  });

  it('refuses a history cursor past the highest stream version as an input error', async () => {
    const query = `query ($after: String) {
      commitment(id: "c01") { history(first: 2, after: $after) { totalCount } }
    }`;
    const cursor = (text: string) => Buffer.from(text).toString('base64url');

    const answers = await Promise.all(
      ['v2147483648', `v${'9'.repeat(25)}`, 'v0'].map(
        async (text) => (await graphql(server.url, query, { after: cursor(text) })).body,
      ),
    );
    const last = await graphql(server.url, query, { after: cursor('v2147483647') });

    expect(answers.map((body) => body.errors?.[0].extensions)).toEqual(
      answers.map(() => ({
        code: 'INVALID_INPUT',
        field: 'after',
        rule: 'is not a cursor of this history',
      })),
    );
    // Registered, three milestones, published, started and reported: 7 events.
    expect(last.body).toEqual({ data: { commitment: { history: { totalCount: 7 } } } });
  });
});

describe('the Cartagena demo in an empty log', () => {
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-demo-e2e-'));
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is loaded at start (CUENTA_DEMO=on), once, and served like any commitment', async () => {
    const env = { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir, CUENTA_DEMO: 'on' };
    const first = await startServer(env);
    const query = `{
      commitment(code: "CartagenaCuenta-2023") {
        status title leadAgency { id name }
        milestones { id status progress }
        history(first: 1) { totalCount edges { node { type actor { subject } } } }
      }
    }`;
    let commitment;
    try {
      const deadline = Date.now() + 15_000;
      while (!commitment?.milestones?.length && Date.now() < deadline) {
        commitment = (await graphql(first.url, query)).body.data?.commitment;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(first.output()).toContain('loaded the Cartagena 2023 demo');
    } finally {
      await first.stop();
    }
    const second = await startServer(env);
    const again = (await graphql(second.url, query)).body.data?.commitment;
    await second.stop();

    expect(commitment).toMatchObject({
      status: 'IN_PROGRESS',
      title: cartagena2023.title,
      leadAgency: { id: 'alcaldia-cartagena', name: cartagena2023.leadAgency.name },
    });
    expect(commitment.milestones.map((m: { status: string }) => m.status)).toEqual([
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'IN_PROGRESS',
      'IN_PROGRESS',
    ]);
    expect(commitment.history.edges[0].node).toEqual({
      type: 'MilestoneProgressReported',
      actor: { subject: 'demo-participacion' },
    });
    expect(second.output()).not.toContain('loaded the Cartagena 2023 demo');
    expect(again.history.totalCount).toBe(commitment.history.totalCount);
  });

  it('stops the server with one line naming a bad CUENTA_DEMO', async () => {
    const { code, stderr } = await runNode('dist/apps/api/src/main.js', [], {
      DATABASE_URL: database.url,
      CUENTA_DEMO: 'sometimes',
    });

    expect(stderr.trim()).toBe(
      'cuenta: invalid configuration: CUENTA_DEMO must be auto, on or off (got "sometimes")',
    );
    expect(code).toBe(2);
  });
});

describe('the demo over GraphQL: the queries of docs/api.md, history pages', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let blocks: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-api-doc-e2e-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_DEMO: 'on',
    });
    const { mint } = await localTokens(dataDir);
    const admin = bearer(await mint({ role: 'administrator' }));
    await graphql(server.url, 'mutation { signCheckpoint { size } }', undefined, admin);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const { body } = await graphql(server.url, '{ commitments { totalCount } }');
      if (body.data?.commitments.totalCount === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The participation read models follow the log on their own: wait until each has the
    // last event its part of the demo recorded, so the examples read the whole demo.
    const participationDeadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await graphql(server.url, PARTICIPATION_DEMO_CAUGHT_UP);
      if (participationDemoVisible(body.data as ParticipationRead | undefined)) break;
      if (Date.now() > participationDeadline) {
        throw new Error('the participation read models did not catch up with the demo');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const doc = await readFile('docs/api.md', 'utf8');
    blocks = [...doc.matchAll(/```graphql\n([\s\S]*?)\n```/g)].map((match) => match[1]);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('has ten and more examples, all valid against the committed schema', async () => {
    const schema = buildSchema(await readFile('docs/schema.graphql', 'utf8'));

    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const block of blocks) {
      expect({ block, errors: validate(schema, parse(block)).map((e) => e.message) }).toEqual({
        block,
        errors: [],
      });
    }
  });

  it('answers every example query with data and no error', async () => {
    // Subscriptions need a WebSocket, mutations a token: both are only validated above.
    const queries = blocks.filter((block) => !/^\s*(subscription|mutation)\b/.test(block));
    for (const query of queries) {
      const { body } = await graphql(server.url, query);
      expect({ query, errors: body.errors }).toEqual({ query, errors: undefined });
      // The demo was recorded today: the record said nothing about it on an earlier knownAt.
      if (!query.includes('knownAt')) {
        expect(JSON.stringify(body.data)).not.toMatch(/^\{"\w+":null\}$/);
      }
    }
  });

  it('pages a history newest first, with the total and the diffs of the whole stream on every page', async () => {
    const changesOf = (edges: { node: { streamVersion: number; changes: unknown } }[]) =>
      new Map(edges.map(({ node }) => [node.streamVersion, node.changes]));
    const whole = await graphql(
      server.url,
      `
        {
          commitment(code: "CartagenaCuenta-2023") {
            history(first: 100) {
              totalCount
              edges {
                node {
                  streamVersion
                  changes {
                    path
                    before
                    after
                  }
                }
              }
            }
          }
        }
      `,
    );
    const all = whole.body.data?.commitment.history;
    const pageQuery = `query ($after: String) {
      commitment(code: "CartagenaCuenta-2023") {
        history(first: 4, after: $after) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor }
          edges { node { streamVersion changes { path before after } } }
        }
      }
    }`;
    const versions: number[] = [];
    const changes = new Map<number, unknown>();
    const pages: { totalCount: number; hasNextPage: boolean; hasPreviousPage: boolean }[] = [];
    let after: string | undefined;
    do {
      const { body } = await graphql(server.url, pageQuery, { after });
      expect(body.errors).toBeUndefined();
      const history = body.data?.commitment.history;
      versions.push(
        ...history.edges.map((e: { node: { streamVersion: number } }) => e.node.streamVersion),
      );
      for (const [version, change] of changesOf(history.edges)) changes.set(version, change);
      pages.push({
        totalCount: history.totalCount,
        hasNextPage: history.pageInfo.hasNextPage,
        hasPreviousPage: history.pageInfo.hasPreviousPage,
      });
      after = history.pageInfo.hasNextPage ? history.pageInfo.endCursor : undefined;
    } while (after !== undefined);

    const total = all.totalCount as number;
    expect(total).toBeGreaterThan(8);
    expect(versions).toEqual(Array.from({ length: total }, (_, i) => total - i));
    expect(pages.map((p) => p.totalCount)).toEqual(pages.map(() => total));
    expect(pages.map((p) => p.hasNextPage)).toEqual(pages.map((_, i) => i < pages.length - 1));
    expect(pages.map((p) => p.hasPreviousPage)).toEqual(pages.map((_, i) => i > 0));
    expect(changes).toEqual(changesOf(all.edges));
    expect(changes.get(1)).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/title' })]),
    );
  });

  it('keeps the answers of a batched request apart, without a cache header on the batch', async () => {
    const queries = [
      '# batch one\n{ commitment(code: "CartagenaCuenta-2023") { id code } }',
      '# batch two\n{ commitment(code: "CartagenaCuenta-2023") { title } }',
    ];
    const batch = async () => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(queries.map((query) => ({ query }))),
      });
      const body = (await response.json()) as { data: unknown }[];
      return { cache: response.headers.get('x-cuenta-cache'), body };
    };

    const first = await batch();
    const again = await batch();
    const single = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: queries[0] }),
    });

    expect(first.body).toEqual([
      { data: { commitment: { id: CARTAGENA_2023_ID, code: 'CartagenaCuenta-2023' } } },
      { data: { commitment: { title: cartagena2023.title } } },
    ]);
    expect(again).toEqual({ cache: null, body: first.body });
    expect(first.cache).toBeNull();
    expect(single.headers.get('x-cuenta-cache')).toBe('hit');
    expect(await single.json()).toEqual(first.body[0]);
  });

  it('answers a repeated public read from memory until the log moves, and staff never from it', async () => {
    // A text of its own: the cache keys by the query's text, and other tests read the demo too.
    const query = `# read cache test
      { commitment(code: "CartagenaCuenta-2023") {
          milestones { id progress }
          history(first: 1) { totalCount }
      } }`;
    const read = async (headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { data: { commitment: CommitmentRead } };
      return { cache: response.headers.get('x-cuenta-cache'), commitment: body.data.commitment };
    };
    const { mint } = await localTokens(dataDir);
    const admin = bearer(await mint({ role: 'administrator' }));

    const first = await read();
    const second = await read();
    const staff = await read(admin);
    const { body } = await graphql(
      server.url,
      `
        mutation {
          reportProgress(
            input: {
              commitmentId: "cartagena-cuenta-2023"
              milestoneId: "m6"
              percent: 75
              occurredAt: "2023-12-01T12:00:00Z"
            }
          ) {
            streamVersion
          }
        }
      `,
      undefined,
      admin,
    );
    const afterWrite = await read();
    let projected = afterWrite;
    const deadline = Date.now() + 15_000;
    while (progressOf(projected.commitment, 'm6') !== 75 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      projected = await read();
    }

    expect(first.cache).toBe('miss');
    expect(second).toEqual({ cache: 'hit', commitment: first.commitment });
    expect(staff).toEqual({ cache: null, commitment: first.commitment });
    expect(body.errors).toBeUndefined();
    // The log moved with the write: the next read executes, and its history has the event.
    expect(afterWrite.cache).toBe('miss');
    expect(afterWrite.commitment.history.totalCount).toBe(first.commitment.history.totalCount + 1);
    expect(progressOf(projected.commitment, 'm6')).toBe(75);
  });
});

interface CommitmentRead {
  milestones: { id: string; progress: number }[];
  history: { totalCount: number };
}

function progressOf(commitment: CommitmentRead, milestone: string): number | undefined {
  return commitment.milestones.find((m) => m.id === milestone)?.progress;
}

// The last event of each part of the participation demo, as its read model shows it: the
// fifth evaluation's answer, the hearing's improvement action report, the exercise's closing.
const PARTICIPATION_DEMO_CAUGHT_UP = `{
  evaluations(first: 20, filter: { commitmentId: "cartagena-cuenta-2023" }) {
    edges { node { id answerState } }
  }
  dialogueSpaces(first: 20, filter: { commitmentId: "cartagena-cuenta-2023" }) {
    edges { node { id improvementActions { id percent } } }
  }
  prioritizations(first: 20) { edges { node { id status } } }
}`;

interface ParticipationRead {
  evaluations: { edges: { node: { id: string; answerState: string } }[] };
  dialogueSpaces: {
    edges: { node: { id: string; improvementActions: { id: string; percent: number }[] } }[];
  };
  prioritizations: { edges: { node: { id: string; status: string } }[] };
}

function participationDemoVisible(data: ParticipationRead | undefined): boolean {
  if (!data) return false;
  const evaluation = data.evaluations.edges.find((e) => e.node.id === 'demo-m6-5');
  const hearing = data.dialogueSpaces.edges.find(
    (e) => e.node.id === 'audiencia-publica-2023-12-07',
  );
  const exercise = data.prioritizations.edges.find((e) => e.node.id === 'temas-rendicion-2023');
  return (
    evaluation?.node.answerState === 'ANSWERED' &&
    hearing?.node.improvementActions.some(
      (a) => a.id === 'presupuesto-por-localidad' && a.percent === 40,
    ) === true &&
    exercise?.node.status === 'CLOSED'
  );
}
