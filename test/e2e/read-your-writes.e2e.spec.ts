import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { CARTAGENA_2023_AGENCY_ID, CARTAGENA_2023_ID } from '../../libs/commitments/demo/index.js';
import { bearer, localTokens } from '../support/access.js';
import { command, recordCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Two API processes on one database, as replicas behind a load balancer: what one of them
// answers to a write must read back at once from either, with a token or without, and one
// answer must never contradict itself.

const READ = `query ($id: String!) {
  commitment(id: $id) { version history(first: 1) { totalCount edges { node { streamVersion } } } }
}`;

/** How long the replica waits for its read models, in ms. */
const REPLICA_WAIT_MS = 1500;

interface Shown {
  version: number;
  totalCount: number;
  newest: number;
}

function shownBy(body: { data?: Record<string, unknown>; errors?: unknown[] }): Shown {
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  const { version, history } = body.data?.commitment as {
    version: number;
    history: { totalCount: number; edges: { node: { streamVersion: number } }[] };
  };
  return { version, totalCount: history.totalCount, newest: history.edges[0].node.streamVersion };
}

describe('reading your writes across replicas', () => {
  let database: TestDatabase;
  let dataDir: string;
  let writer: ServerProcess;
  let replica: ServerProcess;
  let steward: Record<string, string>;

  const fresh = async () => {
    const suffix = randomBytes(4).toString('hex');
    const id = `${CARTAGENA_2023_ID}-${suffix}`;
    await recordCartagena(writer.url, steward, {
      commitmentId: id,
      code: `CartagenaCuenta-2023-${suffix}`,
      occurredAt: '2023-01-10T14:00:00.000Z',
      publishedAt: '2023-01-16T14:00:00.000Z',
    });
    return id;
  };
  const report = (commitmentId: string, percent: number) =>
    command(writer.url, steward, {
      name: 'reportProgress',
      inputType: 'ReportProgressInput',
      input: { commitmentId, milestoneId: 'm5', percent },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-read-your-writes-e2e-'));
    // Both share the folder of local keys, as replicas share their keys.
    const env = {
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_RATE_LIMIT_ANONYMOUS: '0',
      CUENTA_RATE_LIMIT_AUTHENTICATED: '0',
    };
    // The writer waits long for the read models; the replica briefly, to show what a wait
    // that runs out answers.
    writer = await startServer({ ...env, CUENTA_READ_WAIT_MS: '20000' });
    replica = await startServer({ ...env, CUENTA_READ_WAIT_MS: String(REPLICA_WAIT_MS) });
    const { mint } = await localTokens(dataDir);
    steward = bearer(
      await mint({ role: 'steward', agencies: [CARTAGENA_2023_AGENCY_ID], subject: 'ana' }),
    );
  });

  afterAll(async () => {
    await writer?.stop();
    await replica?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads each of ten writes back at once, from both processes, with and without a token', async () => {
    const id = await fresh();
    const stale: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const { streamVersion } = await report(id, 5 * i);
      const readers: [string, string, Record<string, string>][] = [
        ['writer, anonymous', writer.url, {}],
        ['writer, token', writer.url, steward],
        ['replica, anonymous', replica.url, {}],
        ['replica, token', replica.url, steward],
      ];
      const reads = await Promise.all(
        readers.map(async ([who, url, headers]) => ({
          who,
          shown: shownBy((await graphql(url, READ, { id }, headers)).body),
        })),
      );
      for (const { who, shown } of reads) {
        const expected = {
          version: streamVersion,
          totalCount: streamVersion,
          newest: streamVersion,
        };
        if (JSON.stringify(shown) !== JSON.stringify(expected)) {
          stale.push(`write ${i} (version ${streamVersion}), ${who}: ${JSON.stringify(shown)}`);
        }
      }
    }

    expect(stale).toEqual([]);
  });

  it('answers with a history and milestones of the version it shows, while writes go on', async () => {
    const id = await fresh();
    const query = `query ($id: String!) {
      commitment(id: $id) {
        version
        history(first: 1) { totalCount edges { node { streamVersion } } }
        milestones { progress }
      }
    }`;
    let writing = true;
    const writes = (async () => {
      for (let i = 1; i <= 12; i++) await report(id, 40 + 5 * i);
      writing = false;
    })();
    const contradictions: Shown[] = [];
    /** The milestones' progress each answer showed, by the version it showed. */
    const progressShown = new Map<number, Set<string>>();
    let answers = 0;
    const readers = [writer.url, replica.url].map(async (url) => {
      while (writing) {
        const { body } = await graphql(url, query, { id });
        const shown = shownBy(body);
        answers++;
        if (shown.totalCount !== shown.version || shown.newest !== shown.version) {
          contradictions.push(shown);
        }
        const progress = (body.data?.commitment.milestones as { progress: number }[]).map(
          (m) => m.progress,
        );
        const seen = progressShown.get(shown.version) ?? new Set<string>();
        progressShown.set(shown.version, seen.add(progress.join(',')));
      }
    });
    await Promise.all([writes, ...readers]);
    // What each version's milestones were, folded from the log.
    const mismatches: string[] = [];
    for (const [version, seen] of progressShown) {
      const { body } = await graphql(
        writer.url,
        `
          query ($id: String!, $v: Int) {
            commitment(id: $id, atVersion: $v) {
              milestones {
                progress
              }
            }
          }
        `,
        { id, v: version },
      );
      const folded = (body.data?.commitment.milestones as { progress: number }[])
        .map((m) => m.progress)
        .join(',');
      for (const progress of seen) {
        if (progress !== folded) mismatches.push(`version ${version}: ${progress}, not ${folded}`);
      }
    }

    expect(answers).toBeGreaterThan(12);
    expect(contradictions).toEqual([]);
    expect(mismatches).toEqual([]);
  });

  /**
   * Holds the commitments projection's checkpoint row locked, as a long transaction would:
   * the runner cannot commit a batch, so the read model stays where it is until `release`.
   */
  const holdReadModel = async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query(
      "SELECT position FROM read.projection_checkpoints WHERE name = 'commitments' FOR UPDATE",
    );
    return {
      release: async () => {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  };

  it('waits for minPosition, answers once the read model holds it, and says when a write could not wait', async () => {
    const id = await fresh();
    const held = await holdReadModel();
    let released = false;
    let waiting: Promise<unknown> | undefined;
    try {
      const written = await graphql(
        replica.url,
        `
          mutation ($input: ReportProgressInput!) {
            reportProgress(input: $input) {
              streamVersion
              positions
              readModelsCaughtUp
            }
          }
        `,
        { input: { commitmentId: id, milestoneId: 'm5', percent: 90 } },
        steward,
      );
      const { streamVersion, positions, readModelsCaughtUp } = written.body.data
        ?.reportProgress as {
        streamVersion: number;
        positions: number[];
        readModelsCaughtUp: boolean;
      };
      const position = positions[positions.length - 1];
      const query = `query ($id: String!, $at: Int) {
        commitment(id: $id, minPosition: $at) { version history(first: 1) { totalCount } }
      }`;
      waiting = graphql(writer.url, query, { id, at: position }).then((answer) => ({
        answeredWhileHeld: !released,
        answer: answer.body,
      }));
      const behind = await graphql(replica.url, query, { id, at: position });
      const viaHeader = await graphql(
        replica.url,
        '{ commitments(first: 1) { totalCount } }',
        {},
        { 'X-Cuenta-Min-Position': String(position) },
      );

      expect(readModelsCaughtUp).toBe(false);
      expect(behind.body.errors?.[0].extensions).toEqual({
        code: 'READ_MODELS_BEHIND',
        position,
        reached: expect.any(Number),
        waitedMs: REPLICA_WAIT_MS,
      });
      expect(behind.body.errors?.[0].extensions?.reached).toBeLessThanOrEqual(position);
      expect(viaHeader.body.errors?.[0].extensions?.code).toBe('READ_MODELS_BEHIND');

      released = true;
      await held.release();
      expect(await waiting).toEqual({
        answeredWhileHeld: false,
        answer: {
          data: { commitment: { version: streamVersion, history: { totalCount: streamVersion } } },
        },
      });
    } finally {
      if (!released) await held.release();
      await waiting?.catch(() => undefined);
    }
  });

  it('answers at once when the read models already hold the position, by argument or header', async () => {
    const id = await fresh();
    const { streamVersion, positions } = await report(id, 95);
    const position = positions[positions.length - 1];

    const byArgument = await graphql(
      replica.url,
      `
        query ($id: String!, $at: Int) {
          commitment(id: $id, minPosition: $at) {
            version
          }
        }
      `,
      { id, at: position },
    );
    const byHeader = await graphql(
      replica.url,
      `
        query ($id: String!) {
          commitment(id: $id) {
            version
          }
        }
      `,
      { id },
      { ...steward, 'X-Cuenta-Min-Position': String(position) },
    );
    const onTheList = await graphql(
      replica.url,
      `
        query ($at: Int) {
          commitments(first: 100, minPosition: $at) {
            totalCount
          }
        }
      `,
      { at: position },
    );

    expect(byArgument.body).toEqual({ data: { commitment: { version: streamVersion } } });
    expect(byHeader.body).toEqual({ data: { commitment: { version: streamVersion } } });
    expect(onTheList.body.errors).toBeUndefined();
    expect(onTheList.body.data?.commitments.totalCount).toBeGreaterThanOrEqual(1);
  });

  it('refuses at once a position the log does not hold, or a header that is not a position', async () => {
    const beyond = 2_000_000_000;
    const byArgument = await graphql(
      writer.url,
      `{ commitment(id: "${CARTAGENA_2023_ID}", minPosition: ${beyond}) { version } }`,
    );
    const byHeader = await graphql(writer.url, '{ commitments { totalCount } }', undefined, {
      'X-Cuenta-Min-Position': String(beyond),
    });
    const notAPosition = await graphql(writer.url, '{ commitments { totalCount } }', undefined, {
      'X-Cuenta-Min-Position': '12abc',
    });
    const negative = await graphql(
      writer.url,
      `{ commitment(id: "${CARTAGENA_2023_ID}", minPosition: -1) { version } }`,
    );

    expect(byArgument.body.errors?.[0].extensions).toEqual({
      code: 'INVALID_INPUT',
      field: 'minPosition',
      rule: expect.stringMatching(/^is beyond the log's head: the log holds positions 0 to \d+$/),
    });
    expect(byHeader.body.errors?.[0].extensions).toEqual({
      code: 'INVALID_INPUT',
      field: 'X-Cuenta-Min-Position',
      rule: expect.stringMatching(/^is beyond the log's head/),
    });
    expect(notAPosition.body.errors?.[0].extensions).toEqual({
      code: 'INVALID_INPUT',
      field: 'X-Cuenta-Min-Position',
      rule: 'must be a global position: a whole number, 0 or more',
    });
    expect(negative.body.errors?.[0].extensions).toEqual({
      code: 'INVALID_INPUT',
      field: 'minPosition',
      rule: 'must be 0 or more',
    });
  });
});
