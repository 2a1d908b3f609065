import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PRIORITIZATION_ID } from '../../libs/participation/demo/prioritization.js';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';
import { until } from '../support/until.js';

// Topic prioritization over real HTTP against the built server, with real tokens, on a log
// the demo was loaded into (milestone 2's exercise, closed) and an exercise of the test's
// own that opens now and closes a few seconds later.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Data = Record<string, any>;

const AGENCY = 'alcaldia-cartagena';
const RESULT = 'streamId streamVersion positions eventIds replayed';
const STANDING = 'topicId title points firstPlaces rank';
const EXERCISE = `id title status ballotsCast participants method methodRule opensAt closesAt
  topics { id title } liveCount { ${STANDING} }
  result { closedAt countedBallots standings { ${STANDING} } }`;

describe('topic prioritization over GraphQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  let foreignSteward: Record<string, string>;
  let authenticated: Record<string, string>;

  const call = (name: string, inputType: string, input: object, headers: Record<string, string>) =>
    graphql<Data>(
      server.url,
      `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} } }`,
      { input },
      headers,
    );
  const exercise = async (id: string, args = '') => {
    const { body } = await graphql<Data>(
      server.url,
      `{ prioritization(id: "${id}"${args}) { ${EXERCISE} } }`,
    );
    expect(body.errors).toBeUndefined();
    return body.data?.prioritization as Data | null;
  };
  const session = (name: string) => ({ 'x-cuenta-session': `session-${name}` });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-prioritization-e2e-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_DEMO: 'on',
    });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
    foreignSteward = bearer(await mint({ role: 'steward', agencies: ['secretaria-de-hacienda'] }));
    // Any token: its subject is the participant (the citizen role is not in this branch).
    authenticated = bearer(await mint({ role: 'oversight', subject: 'veeduria-1' }));
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("shows the demo's exercise for milestone 2 closed, with its recorded result", async () => {
    const demo = await exercise(DEMO_PRIORITIZATION_ID);
    expect(demo).toMatchObject({
      status: 'CLOSED',
      method: 'borda',
      ballotsCast: 12,
      participants: 11,
      liveCount: null,
    });
    expect(demo?.methodRule).toContain('n - r points');
    expect(demo?.result.countedBallots).toHaveLength(11);
    expect(demo?.result.standings.slice(0, 2)).toEqual([
      {
        topicId: 'presupuesto-participativo',
        title: 'Presupuesto participativo por localidad',
        points: 36,
        firstPlaces: 4,
        rank: 1,
      },
      {
        topicId: 'contratacion',
        title: 'Contratación pública y obras inconclusas',
        points: 33,
        firstPlaces: 3,
        rank: 2,
      },
    ]);

    // The list is the read model's: it may be a moment behind the demo the server loaded.
    const { body } = await until(
      () =>
        graphql<Data>(
          server.url,
          `
            {
              prioritizations(first: 5) {
                totalCount
                edges {
                  node {
                    id
                    status
                    participants
                    commitmentId
                    milestoneId
                  }
                }
              }
            }
          `,
        ),
      (answer) => answer.body.data?.prioritizations.edges[0]?.node.status === 'CLOSED',
    );
    expect(body.data?.prioritizations.edges).toContainEqual({
      node: {
        id: DEMO_PRIORITIZATION_ID,
        status: 'CLOSED',
        participants: 11,
        commitmentId: 'cartagena-cuenta-2023',
        milestoneId: 'm2',
      },
    });
  });

  it('travels in time: the demo exercise as it stood on the night of 10 February 2023, and its history', async () => {
    const then = await exercise(DEMO_PRIORITIZATION_ID, ', asOf: "2023-02-11T01:00:00Z"');
    expect(then).toMatchObject({ status: 'OPEN', ballotsCast: 7, participants: 7, result: null });
    expect(then?.liveCount).toHaveLength(6);

    const { body } = await graphql<Data>(
      server.url,
      `{ prioritization(id: "${DEMO_PRIORITIZATION_ID}") { history(first: 2) { totalCount edges { node { type actor { role } changes { path } } } } } }`,
    );
    const history = body.data?.prioritization.history;
    expect(history.totalCount).toBe(14);
    expect(history.edges.map((edge: Data) => edge.node.type)).toEqual([
      'PrioritizationClosed',
      'BallotCast',
    ]);
    expect(history.edges[0].node.changes.map((change: Data) => change.path)).toContain('/status');
  });

  it('opens, takes ballots (replacing, refusing bad ones), counts live and closes', async () => {
    const id = `prueba-${Date.now()}`;
    const closesAt = new Date(Date.now() + 6_000);
    const open = {
      prioritizationId: id,
      title: 'Prueba de priorización',
      agencyId: AGENCY,
      commitmentId: 'cartagena-cuenta-2023',
      milestoneId: 'm2',
      topics: [
        { id: 'a', title: 'Tema A' },
        { id: 'b', title: 'Tema B' },
        { id: 'c', title: 'Tema C' },
      ],
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: closesAt.toISOString(),
    };
    const foreign = await call(
      'openPrioritization',
      'OpenPrioritizationInput',
      open,
      foreignSteward,
    );
    expect(foreign.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const noCommitment = await call(
      'openPrioritization',
      'OpenPrioritizationInput',
      { ...open, commitmentId: 'no-such-commitment' },
      steward,
    );
    expect(noCommitment.body.errors?.[0].extensions).toMatchObject({
      code: 'COMMITMENT_NOT_FOUND',
      field: 'commitmentId',
    });
    const noMilestone = await call(
      'openPrioritization',
      'OpenPrioritizationInput',
      { ...open, commitmentId: 'cartagena-cuenta-2023', milestoneId: 'm99' },
      steward,
    );
    expect(noMilestone.body.errors?.[0].extensions).toMatchObject({
      code: 'MILESTONE_NOT_FOUND',
      field: 'milestoneId',
    });
    const opened = await call('openPrioritization', 'OpenPrioritizationInput', open, steward);
    expect(opened.body.errors).toBeUndefined();
    expect(opened.body.data?.openPrioritization).toMatchObject({ streamId: id, streamVersion: 1 });

    const ballot = (ranking: string[], headers: Record<string, string>) =>
      call('castBallot', 'CastBallotInput', { prioritizationId: id, ranking }, headers);

    const first = await ballot(['a', 'b'], session('x'));
    expect(first.body.errors).toBeUndefined();
    const again = await ballot(['c'], session('x'));
    expect(again.body.errors).toBeUndefined();
    expect((await ballot(['b', 'c', 'a'], authenticated)).body.errors).toBeUndefined();

    // Refused, naming what is wrong, and recording nothing.
    const unknown = await ballot(['a', 'z'], session('y'));
    expect(unknown.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'ranking.1',
      rule: 'one_of',
    });
    const repeated = await ballot(['a', 'a'], session('y'));
    expect(repeated.body.errors?.[0].extensions).toMatchObject({
      field: 'ranking.1',
      rule: 'unique',
    });
    const noSession = await ballot(['a'], {});
    expect(noSession.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'X-Cuenta-Session',
    });
    const early = await call(
      'closePrioritization',
      'ClosePrioritizationInput',
      { prioritizationId: id },
      steward,
    );
    expect(early.body.errors?.[0].extensions).toMatchObject({ code: 'PRIORITIZATION_STILL_OPEN' });

    // n = 3: x's last ballot (c) gives c 2; the authenticated one gives b 2, c 1, a 0.
    const live = await exercise(id);
    expect(live).toMatchObject({ status: 'OPEN', ballotsCast: 3, participants: 2, result: null });
    expect(live?.liveCount.map((line: Data) => [line.topicId, line.points, line.rank])).toEqual([
      ['c', 3, 1],
      ['b', 2, 2],
      ['a', 0, 3],
    ]);
    const { body: log } = await graphql<Data>(
      server.url,
      `{ prioritization(id: "${id}") { history(first: 10) { edges { node { eventId type } } } } }`,
    );
    expect(log.data?.prioritization.history.edges).toHaveLength(4);

    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, closesAt.getTime() - Date.now() + 50)),
    );
    const late = await ballot(['a'], session('z'));
    expect(late.body.errors?.[0].extensions).toMatchObject({
      code: 'PRIORITIZATION_VOTING_ENDED',
      closesAt: closesAt.toISOString(),
    });
    const closed = await call(
      'closePrioritization',
      'ClosePrioritizationInput',
      { prioritizationId: id },
      steward,
    );
    expect(closed.body.errors).toBeUndefined();

    const result = await exercise(id);
    expect(result).toMatchObject({ status: 'CLOSED', liveCount: null });
    expect(result?.result.countedBallots).toEqual([
      again.body.data?.castBallot.eventIds[0],
      expect.any(String),
    ]);
    expect(result?.result.standings.map((line: Data) => [line.topicId, line.points])).toEqual([
      ['c', 3],
      ['b', 2],
      ['a', 0],
    ]);
    const twice = await call(
      'closePrioritization',
      'ClosePrioritizationInput',
      { prioritizationId: id },
      steward,
    );
    expect(twice.body.errors?.[0].extensions).toMatchObject({
      code: 'PRIORITIZATION_ALREADY_CLOSED',
    });
  });
});
