import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CARTAGENA_2023_AGENCY_ID,
  CARTAGENA_2023_ID,
  cartagena2023,
  cartagena2023Documents,
  cartagena2023Milestones,
} from '../../libs/commitments/demo/index.js';
import { PostgresEventStore } from '#event-store';
import { bearer, localTokens } from '../support/access.js';
import {
  cartagenaRegistration,
  command,
  recordCartagena,
  registerCartagena,
} from '../support/cartagena.js';
import { createTestDatabase } from '../support/database.js';
import { graphql, startServer } from '../support/server.js';
import { until } from '../support/until.js';

// The commitments API over real HTTP against the built server, with real tokens. The tests
// share one server and database, and each registers its own copy of the Cartagena commitment
// (its own id and code), so none depends on another or on their order.

/** The lead agency's id, which its stewards' tokens carry. */
const AGENCY = CARTAGENA_2023_AGENCY_ID;

const RESULT = 'commitmentId streamVersion positions eventIds replayed';
const mutation = (name: string, inputType: string) =>
  `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} } }`;

const REGISTERED_AT = '2023-01-10T14:00:00.000Z';
const PUBLISHED_AT = '2023-01-16T14:00:00.000Z';
const RESCHEDULE_REASON = 'La consulta de priorización cierra el 28 de febrero.';
const MINUTES = cartagena2023Documents.committeeMinutesJanuary;

/** Publishing on 16 January 2023. */
const publication = (commitmentId: string) => ({ commitmentId, occurredAt: PUBLISHED_AT });

/** Moving m3 from February to March, on 20 February 2023. */
const rescheduleOfM3 = (commitmentId: string) => ({
  commitmentId,
  milestoneId: 'm3',
  plannedStart: '2023-03',
  plannedEnd: '2023-03',
  reason: RESCHEDULE_REASON,
  occurredAt: '2023-02-20T14:00:00.000Z',
});

/** m5 at 30 % with the January committee minutes, on 27 January 2023. */
const minutesReport = (commitmentId: string) => ({
  commitmentId,
  milestoneId: 'm5',
  percent: 30,
  evidence: [
    {
      kind: 'DOCUMENT',
      fileName: MINUTES.fileName,
      sha256: MINUTES.sha256,
      mediaType: MINUTES.mediaType,
      description: MINUTES.description,
    },
  ],
  occurredAt: '2023-01-27T14:00:00.000Z',
});

/** m5 at 35 %, now, with a command id a client may retry with. */
const retriableReport = (commitmentId: string) => ({
  commitmentId,
  milestoneId: 'm5',
  percent: 35,
  commandId: 'retry-m5-35',
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Data = Record<string, any>;

interface Cartagena {
  id: string;
  code: string;
}

/** A running API on its own database, with the callers and seeders the tests use. */
interface Api {
  url: string;
  store: PostgresEventStore;
  steward: Record<string, string>;
  foreignSteward: Record<string, string>;
  /** Mints a token the server accepts. */
  mint: Awaited<ReturnType<typeof localTokens>>['mint'];
  /** Sends one mutation, by default as a steward of the commitment's agency. */
  call(
    name: string,
    inputType: string,
    input: object,
    headers?: Record<string, string>,
  ): ReturnType<typeof graphql<Data>>;
  /** The Cartagena commitment and its seven milestones (10 January 2023), under a fresh id and code. */
  registered(): Promise<Cartagena>;
  /** The same, then published (16 January 2023). */
  published(): Promise<Cartagena>;
  /**
   * Published, then m3 rescheduled to March (20 February), m5 reported at 30 % with the
   * January minutes (27 January, so recorded after it happened and after the reschedule), and
   * m5 at 35 % (now): in progress, 12 events.
   */
  withHistory(): Promise<Cartagena & { reschedulePosition: number }>;
  /** Waits until the read model holds the commitment at its latest version. */
  caughtUp(commitment: Cartagena): Promise<void>;
  stop(): Promise<void>;
}

async function startApi(): Promise<Api> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-commitments-e2e-'));
  const server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
  const { mint } = await localTokens(dataDir);
  const steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
  const foreignSteward = bearer(
    await mint({ role: 'steward', agencies: ['secretaria-de-hacienda'] }),
  );
  const store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });

  const call: Api['call'] = (name, inputType, input, headers = steward) =>
    graphql(server.url, mutation(name, inputType), { input }, headers);
  /** A mutation that must succeed, for setting up; returns its result. */
  const must = (name: string, inputType: string, input: object) =>
    command(server.url, steward, { name, inputType, input });
  /** A fresh id and code, and the copy of the Cartagena commitment registered under them. */
  const fresh = () => {
    const suffix = randomBytes(4).toString('hex');
    const commitment = {
      id: `${CARTAGENA_2023_ID}-${suffix}`,
      code: `CartagenaCuenta-2023-${suffix}`,
    };
    const copy = { commitmentId: commitment.id, code: commitment.code, occurredAt: REGISTERED_AT };
    return { commitment, copy };
  };

  const registered = async (): Promise<Cartagena> => {
    const { commitment, copy } = fresh();
    await registerCartagena(server.url, steward, copy);
    return commitment;
  };
  const published = async (): Promise<Cartagena> => {
    const { commitment, copy } = fresh();
    await recordCartagena(server.url, steward, { ...copy, publishedAt: PUBLISHED_AT });
    return commitment;
  };
  const withHistory = async () => {
    const commitment = await published();
    const rescheduled = await must(
      'rescheduleMilestone',
      'RescheduleMilestoneInput',
      rescheduleOfM3(commitment.id),
    );
    await must('reportProgress', 'ReportProgressInput', minutesReport(commitment.id));
    await must('reportProgress', 'ReportProgressInput', retriableReport(commitment.id));
    return { ...commitment, reschedulePosition: rescheduled.positions[0] };
  };
  const caughtUp = async ({ id }: Cartagena) => {
    const version = (await store.readStream(`commitment-${id}`)).length;
    await until(
      async () =>
        (await graphql(server.url, `{ commitment(id: "${id}") { version } }`)).body.data?.commitment
          ?.version,
      (shown) => shown === version,
    );
  };

  return {
    url: server.url,
    store,
    steward,
    foreignSteward,
    mint,
    call,
    registered,
    published,
    withHistory,
    caughtUp,
    stop: async () => {
      await store.close();
      await server.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe('commitment commands over GraphQL', () => {
  let api: Api;

  const call: Api['call'] = (...args) => api.call(...args);
  const stream = (id: string) => api.store.readStream(`commitment-${id}`);

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('registers the Cartagena commitment and its seven milestones, recording who and when', async () => {
    const { id, code } = await api.registered();
    const events = await stream(id);

    expect(events.map((e) => e.type)).toEqual([
      'CommitmentRegistered',
      ...cartagena2023Milestones.map(() => 'MilestoneAdded'),
    ]);
    expect(events[0].data).toMatchObject({ code, title: cartagena2023.title });
    expect(events[0].metadata).toMatchObject({
      actor: { subject: 'ana', role: 'steward', agency: AGENCY },
      occurredAt: REGISTERED_AT,
    });
  });

  it('publishes it and returns the new version with the global positions of its events', async () => {
    const { id } = await api.registered();
    const head = await api.store.head();
    const { body } = await call('publishCommitment', 'PublishCommitmentInput', publication(id));

    expect(body.errors).toBeUndefined();
    expect(body.data?.publishCommitment).toEqual({
      commitmentId: id,
      streamVersion: 9,
      positions: [head],
      eventIds: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
      replayed: false,
    });
  });

  it('names the stream a command was about, beside the deprecated commitmentId', async () => {
    const { id } = await api.registered();
    const { body } = await graphql<Data>(
      api.url,
      `
        mutation ($input: PublishCommitmentInput!) {
          publishCommitment(input: $input) {
            streamType
            streamId
            commitmentId
            streamVersion
          }
        }
      `,
      { input: publication(id) },
      api.steward,
    );

    expect(body.errors).toBeUndefined();
    expect(body.data?.publishCommitment).toEqual({
      streamType: 'commitment',
      streamId: id,
      commitmentId: id,
      streamVersion: 9,
    });
  });

  it('reschedules a milestone with its reason in the event metadata', async () => {
    const { id } = await api.published();
    const { body } = await call(
      'rescheduleMilestone',
      'RescheduleMilestoneInput',
      rescheduleOfM3(id),
    );
    const [event] = await api.store.readAll({
      from: body.data?.rescheduleMilestone.positions[0],
      limit: 1,
    });

    expect(body.errors).toBeUndefined();
    expect(event).toMatchObject({
      type: 'MilestoneRescheduled',
      stream: `commitment-${id}`,
      data: {
        milestoneId: 'm3',
        plannedStart: '2023-03',
        plannedEnd: '2023-03',
        reason: RESCHEDULE_REASON,
      },
      metadata: {
        reason: RESCHEDULE_REASON,
        occurredAt: '2023-02-20T14:00:00.000Z',
        actor: { subject: 'ana' },
      },
    });
  });

  it('reports progress with evidence, starting the commitment', async () => {
    const { id } = await api.published();
    const { body } = await call('reportProgress', 'ReportProgressInput', minutesReport(id));
    const positions: number[] = body.data?.reportProgress.positions;
    const events = await api.store.readAll({ from: positions[0], limit: 2 });

    expect(body.errors).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['CommitmentStarted', 'MilestoneProgressReported']);
    expect(events[1].data).toMatchObject({
      milestoneId: 'm5',
      percent: 30,
      evidence: [{ kind: 'document', sha256: MINUTES.sha256, fileName: MINUTES.fileName }],
    });
  });

  it('answers a retried mutation (same command id) with the first result', async () => {
    const { id } = await api.published();
    await call('reportProgress', 'ReportProgressInput', minutesReport(id));
    const first = await call('reportProgress', 'ReportProgressInput', retriableReport(id));
    const head = await api.store.head();
    const again = await call('reportProgress', 'ReportProgressInput', retriableReport(id));

    expect(first.body.errors).toBeUndefined();
    expect(again.body.data?.reportProgress).toEqual({
      ...first.body.data?.reportProgress,
      replayed: true,
    });
    expect(await api.store.head()).toBe(head);
  });

  it('names the field and rule of a bad input and writes nothing', async () => {
    const { id } = await api.withHistory();
    const head = await api.store.head();
    const percent = await call('reportProgress', 'ReportProgressInput', {
      commitmentId: id,
      milestoneId: 'm5',
      percent: 150,
    });
    const sha = await call('reportProgress', 'ReportProgressInput', {
      commitmentId: id,
      milestoneId: 'm5',
      percent: 40,
      evidence: [
        {
          kind: 'LINK',
          url: 'https://x.example',
          sha256: 'abc',
          mediaType: 'text/html',
          description: 'x',
        },
      ],
    });
    const reason = await call('rescheduleMilestone', 'RescheduleMilestoneInput', {
      commitmentId: id,
      milestoneId: 'm6',
      plannedStart: '2023-06',
      plannedEnd: '2023-12',
      reason: '   ',
    });
    const commandId = await call('publishCommitment', 'PublishCommitmentInput', {
      commitmentId: id,
      commandId: 'not a valid id',
    });

    expect(percent.body.errors?.[0].extensions).toEqual({
      code: 'INVALID_INPUT',
      field: 'percent',
      rule: 'range',
    });
    expect(sha.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'evidence.0.sha256',
      rule: 'format',
    });
    expect(reason.body.errors?.[0].extensions).toMatchObject({ field: 'reason', rule: 'required' });
    expect(commandId.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'commandId',
    });
    expect(await api.store.head()).toBe(head);
  });

  it('keeps the domain code of a missing milestone and of a refused transition', async () => {
    const { id } = await api.withHistory();
    const missing = await call('reportProgress', 'ReportProgressInput', {
      commitmentId: id,
      milestoneId: 'm99',
      percent: 10,
    });
    const again = await call('publishCommitment', 'PublishCommitmentInput', { commitmentId: id });
    const nobody = await call('publishCommitment', 'PublishCommitmentInput', {
      commitmentId: 'no-such-commitment',
    });

    expect(missing.body.errors?.[0].extensions).toEqual({
      code: 'MILESTONE_NOT_FOUND',
      category: 'NOT_FOUND',
      field: 'milestoneId',
      milestoneId: 'm99',
    });
    expect(again.body.errors?.[0].extensions).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      category: 'CONFLICT',
      status: 'in_progress',
    });
    expect(nobody.body.errors?.[0].extensions).toMatchObject({ code: 'COMMITMENT_NOT_FOUND' });
  });

  it('gives one of two concurrent revisions of the same version a VERSION_CONFLICT', async () => {
    const { id } = await api.withHistory();
    const version = (await stream(id)).length;
    const revise = (title: string) =>
      call('reviseCommitment', 'ReviseCommitmentInput', {
        commitmentId: id,
        changes: { title },
        reason: 'Título abreviado para la ciudadanía',
        expectedVersion: version,
      });

    const results = await Promise.all([
      revise('Estrategia #CartagenaCuenta 2023'),
      revise('Rendición de cuentas 2023'),
    ]);
    const conflicts = results.filter((r) => r.body.errors);
    const applied = results.filter((r) => r.body.data?.reviseCommitment);

    expect(applied).toHaveLength(1);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].body.errors?.[0].extensions).toEqual({
      code: 'VERSION_CONFLICT',
      stream: `commitment-${id}`,
      expectedVersion: version,
      actualVersion: version + 1,
    });
    expect(await stream(id)).toHaveLength(version + 1);
  });

  it('refuses a steward of another agency, and anyone without a token', async () => {
    const { id } = await api.withHistory();
    const head = await api.store.head();
    const input = { commitmentId: id, milestoneId: 'm5', percent: 50 };
    const foreign = await call('reportProgress', 'ReportProgressInput', input, api.foreignSteward);
    const anonymous = await call('reportProgress', 'ReportProgressInput', input, {});

    expect(foreign.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', reason: 'AGENCY' });
    expect(anonymous.body.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await api.store.head()).toBe(head);
  });

  it("keeps the lead agency's id and stewards when a steward renames it, and refuses another id", async () => {
    const { id } = await api.published();
    const rename = (leadAgency: object) =>
      call('reviseCommitment', 'ReviseCommitmentInput', {
        commitmentId: id,
        changes: { leadAgency },
        reason: 'La Alcaldía cambió de nombre',
      });

    const renamed = await rename({ name: 'Alcaldía Distrital de Cartagena de Indias' });
    const moved = await rename({ id: 'secretaria-de-hacienda', name: 'Secretaría de Hacienda' });
    const report = await call('reportProgress', 'ReportProgressInput', {
      commitmentId: id,
      milestoneId: 'm1',
      percent: 10,
    });
    const { body } = await graphql(
      api.url,
      `{ commitment(id: "${id}", atVersion: 11) { leadAgency { id name offices } } }`,
    );

    expect(renamed.body.errors).toBeUndefined();
    expect(moved.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'changes.leadAgency.id',
      rule: 'unchangeable',
    });
    expect(report.body.errors).toBeUndefined();
    expect(body.data?.commitment.leadAgency).toEqual({
      id: AGENCY,
      name: 'Alcaldía Distrital de Cartagena de Indias',
      offices: [],
    });
  });

  it("derives the lead agency's id from its name when a registration leaves it out", async () => {
    const own = bearer(await api.mint({ role: 'steward', agencies: ['secretaria-de-planeacion'] }));
    const input = {
      ...cartagenaRegistration({
        commitmentId: 'derived-agency',
        code: 'CTG-Derived-Agency',
        occurredAt: REGISTERED_AT,
      }),
      leadAgency: { name: 'Secretaría de Planeación', offices: ['Despacho'] },
    };
    const registered = await call('registerCommitment', 'RegisterCommitmentInput', input, own);
    const { body } = await graphql(
      api.url,
      '{ commitment(id: "derived-agency", atVersion: 1) { leadAgency { id name offices } } }',
    );
    const [event] = await stream('derived-agency');

    expect(registered.body.errors).toBeUndefined();
    expect(body.data?.commitment.leadAgency).toEqual({
      id: 'secretaria-de-planeacion',
      name: 'Secretaría de Planeación',
      offices: ['Despacho'],
    });
    expect(event.data.leadAgency).toEqual(body.data?.commitment.leadAgency);
    expect(event.metadata.actor).toMatchObject({ agency: 'secretaria-de-planeacion' });
  });

  it('serves the commitment from the read model once the projection has caught up', async () => {
    const { id, code } = await api.withHistory();
    const query = `{
      commitment(code: "${code}") {
        id code status version leadAgency { id name offices }
        ogpValues { value }
        territories { localidades }
        milestones { id status progress plannedStart plannedEnd reschedules evidence { sha256 kind } }
        evidence { milestoneId fileName }
        budget { id }
      }
    }`;
    const version = (await stream(id)).length;
    const commitment = await until(
      async () => (await graphql(api.url, query)).body.data?.commitment,
      (shown) => shown?.version === version,
    );

    expect(commitment).toMatchObject({
      id,
      code,
      status: 'IN_PROGRESS',
      leadAgency: { ...cartagena2023.leadAgency, id: AGENCY },
      ogpValues: [{ value: 'TRANSPARENCY' }, { value: 'PUBLIC_ACCOUNTABILITY' }],
      budget: [],
    });
    expect(commitment.milestones).toHaveLength(7);
    expect(commitment.milestones[2]).toEqual({
      id: 'm3',
      status: 'DELAYED',
      progress: 0,
      plannedStart: '2023-03',
      plannedEnd: '2023-03',
      reschedules: 1,
      evidence: [],
    });
    expect(commitment.milestones[4]).toMatchObject({
      id: 'm5',
      status: 'IN_PROGRESS',
      progress: 35,
      evidence: [{ kind: 'DOCUMENT', sha256: MINUTES.sha256 }],
    });
    expect(commitment.evidence).toEqual([{ milestoneId: 'm5', fileName: MINUTES.fileName }]);
  });

  it('lists commitments by filter, with Relay cursors', async () => {
    // On a database of its own, so that the whole list is this one commitment.
    const own = await startApi();
    try {
      const commitment = await own.withHistory();
      await own.caughtUp(commitment);
      const list = (filter: object) =>
        graphql(
          own.url,
          `
            query ($filter: CommitmentFilterInput) {
              commitments(filter: $filter, first: 5) {
                totalCount
                edges {
                  cursor
                  node {
                    code
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
          `,
          { filter },
        );
      const codes = async (filter: object) =>
        (await list(filter)).body.data?.commitments.edges.map(
          (e: { node: { code: string } }) => e.node.code,
        );

      expect(await codes({ status: ['IN_PROGRESS'], ogpValue: 'TRANSPARENCY' })).toEqual([
        commitment.code,
      ]);
      expect(await codes({ territory: 'Localidad Industrial y de la Bahía' })).toEqual([
        commitment.code,
      ]);
      expect(
        await codes({
          text: 'ACCOUNTABILITY cartagena',
          leadAgency: cartagena2023.leadAgency.name.toUpperCase(),
        }),
      ).toEqual([commitment.code]);
      expect(await codes({ leadAgencyId: AGENCY })).toEqual([commitment.code]);
      expect(await codes({ leadAgencyId: 'secretaria-de-hacienda' })).toEqual([]);
      expect(await codes({ actionPlanId: 'cartagena-2023', policyArea: 'Civic Space' })).toEqual([
        commitment.code,
      ]);
      expect(await codes({ status: ['WITHDRAWN'] })).toEqual([]);
      expect(await codes({ text: 'nothing like this' })).toEqual([]);
      expect((await list({})).body.data?.commitments).toMatchObject({
        totalCount: 1,
        edges: [{ node: { code: commitment.code } }],
        pageInfo: { hasNextPage: false },
      });
    } finally {
      await own.stop();
    }
  });

  it('reads the history: who changed what, when, why, and where the proof points', async () => {
    const commitment = await api.withHistory();
    await api.caughtUp(commitment);
    const { body } = await graphql(
      api.url,
      `{
        commitment(id: "${commitment.id}") {
          history(first: 100) {
            totalCount
            edges { node {
              type position streamVersion occurredAt recordedAt reason
              actor { subject role agency }
              changes { path before after }
            } }
          }
        }
      }`,
    );
    const history = body.data?.commitment.history;
    type Entry = { type: string; streamVersion: number };
    const nodes: Entry[] = history.edges.map((e: { node: Entry }) => e.node);
    const rescheduled = history.edges.find(
      (e: { node: Entry }) => e.node.type === 'MilestoneRescheduled',
    )?.node;

    expect(history.totalCount).toBe((await stream(commitment.id)).length);
    expect(nodes.map((n) => n.streamVersion)).toEqual(
      [...nodes.map((n) => n.streamVersion)].sort((a, b) => b - a),
    );
    expect(nodes.at(-1)?.type).toBe('CommitmentRegistered');
    expect(rescheduled).toMatchObject({
      position: commitment.reschedulePosition,
      occurredAt: '2023-02-20T14:00:00.000Z',
      reason: RESCHEDULE_REASON,
      actor: { subject: 'ana', role: 'steward', agency: AGENCY },
    });
    expect(rescheduled.changes).toHaveLength(4);
    expect(rescheduled.changes).toEqual(
      expect.arrayContaining([
        { path: '/milestones/m3/plannedStart', before: '2023-02', after: '2023-03' },
        { path: '/milestones/m3/plannedEnd', before: '2023-02', after: '2023-03' },
        { path: '/milestones/m3/status', before: 'SCHEDULED', after: 'DELAYED' },
        { path: '/milestones/m3/reschedules', before: 0, after: 1 },
      ]),
    );
  });

  it('pages through the history with cursors, newest first', async () => {
    const commitment = await api.withHistory();
    await api.caughtUp(commitment);
    const page = (after?: string) =>
      graphql(
        api.url,
        `query ($after: String) {
          commitment(id: "${commitment.id}") {
            history(first: 5, after: $after) {
              edges { cursor node { streamVersion } }
              pageInfo { hasNextPage endCursor }
            }
          }
        }`,
        { after },
      );
    const first = (await page()).body.data?.commitment.history;
    const second = (await page(first.pageInfo.endCursor)).body.data?.commitment.history;
    const versions = (h: { edges: { node: { streamVersion: number } }[] }) =>
      h.edges.map((e) => e.node.streamVersion);
    const latest = (await stream(commitment.id)).length;

    expect(versions(first)).toEqual([latest, latest - 1, latest - 2, latest - 3, latest - 4]);
    expect(versions(second)).toEqual([latest - 5, latest - 6, latest - 7, latest - 8, latest - 9]);
    expect(first.pageInfo.hasNextPage).toBe(true);
  });

  it('shows the commitment as it was before and after the reschedule (asOf)', async () => {
    const commitment = await api.withHistory();
    await api.caughtUp(commitment);
    const asOf = (date: string) =>
      graphql(
        api.url,
        `
          query ($code: String, $asOf: DateTime) {
            commitment(code: $code, asOf: $asOf) {
              status
              milestones {
                id
                plannedStart
                plannedEnd
                status
                progress
              }
              view {
                source
                version
                latestVersion
                asOf
                knownAt
                recordedLater
              }
              history(first: 100) {
                totalCount
              }
            }
          }
        `,
        { code: commitment.code, asOf: date },
      );
    const before = (await asOf('2023-02-01T00:00:00.000Z')).body.data?.commitment;
    const after = (await asOf('2023-03-01T00:00:00.000Z')).body.data?.commitment;
    const m3 = (c: { milestones: { id: string }[] }) => c.milestones.find((m) => m.id === 'm3');

    // Before 20 February: m3 still in February, and m5's report of 27 January is in.
    expect(m3(before)).toEqual({
      id: 'm3',
      plannedStart: '2023-02',
      plannedEnd: '2023-02',
      status: 'SCHEDULED',
      progress: 0,
    });
    expect(before.status).toBe('IN_PROGRESS');
    expect(before.view).toMatchObject({
      source: 'LOG',
      asOf: '2023-02-01T00:00:00.000Z',
      knownAt: null,
    });
    // Everything in this test was recorded today about 2023: every folded event is retroactive.
    expect(before.view.recordedLater).toBe(before.history.totalCount);
    expect(m3(after)).toMatchObject({ plannedStart: '2023-03', status: 'DELAYED' });
    expect(after.view.latestVersion).toBe((await stream(commitment.id)).length);
  });

  it('shows what the record said on a date (knownAt), and at a version (atVersion)', async () => {
    const { id } = await api.withHistory();
    const at = (args: string) =>
      graphql(
        api.url,
        `{ commitment(id: "${id}", ${args}) { status milestones { id } view { version knownAt atVersion } } }`,
      );
    const beforeAnything = await at('knownAt: "2020-01-01T00:00:00Z"');
    const now = await at(`knownAt: "${new Date().toISOString()}"`);
    const draft = await at('atVersion: 8');

    expect(beforeAnything.body).toEqual({ data: { commitment: null } });
    expect(now.body.data?.commitment.status).toBe('IN_PROGRESS');
    expect(draft.body.data?.commitment).toEqual({
      status: 'DRAFT',
      milestones: cartagena2023Milestones.map((m) => ({ id: m.milestoneId })),
      view: { version: 8, knownAt: null, atVersion: 8 },
    });
  });
});
