import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CARTAGENA_2023_ID,
  cartagena2023,
  cartagena2023Documents,
  cartagena2023Milestones,
} from '#commitments';
import { PostgresEventStore } from '#event-store';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// The commitments API over real HTTP against the built server, with real tokens.

const AGENCY = cartagena2023.leadAgency.name;
const ID = CARTAGENA_2023_ID;

const RESULT = 'commitmentId streamVersion positions eventIds replayed';
const mutation = (name: string, inputType: string) =>
  `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} } }`;

/** The Cartagena registration as the API takes it (enum values in upper case). */
const registration = {
  ...cartagena2023,
  ogpValues: cartagena2023.ogpValues?.map((v) => ({ ...v, value: v.value.toUpperCase() })),
  occurredAt: '2023-01-10T14:00:00.000Z',
};

describe('commitment commands over GraphQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let store: PostgresEventStore;
  let steward: Record<string, string>;
  let foreignSteward: Record<string, string>;
  let reschedulePosition: number;

  const call = (name: string, inputType: string, input: object, headers = steward) =>
    graphql(server.url, mutation(name, inputType), { input }, headers);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-commitments-e2e-'));
    server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
    foreignSteward = bearer(await mint({ role: 'steward', agencies: ['Secretaría de Hacienda'] }));
    store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });

    const registered = await call('registerCommitment', 'RegisterCommitmentInput', registration);
    if (registered.body.errors) throw new Error(JSON.stringify(registered.body.errors));
    for (const milestone of cartagena2023Milestones) {
      const added = await call('addMilestone', 'AddMilestoneInput', {
        commitmentId: ID,
        ...milestone,
        occurredAt: '2023-01-10T14:00:00.000Z',
      });
      if (added.body.errors) throw new Error(JSON.stringify(added.body.errors));
    }
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('registered the Cartagena commitment and its seven milestones, recording who and when', async () => {
    const events = await store.readStream(`commitment-${ID}`);

    expect(events.map((e) => e.type)).toEqual([
      'CommitmentRegistered',
      ...cartagena2023Milestones.map(() => 'MilestoneAdded'),
    ]);
    expect(events[0].data).toMatchObject({
      code: 'CartagenaCuenta-2023',
      title: cartagena2023.title,
    });
    expect(events[0].metadata).toMatchObject({
      actor: { subject: 'ana', role: 'steward', agency: AGENCY },
      occurredAt: '2023-01-10T14:00:00.000Z',
    });
  });

  it('publishes it and returns the new version with the global positions of its events', async () => {
    const head = await store.head();
    const { body } = await call('publishCommitment', 'PublishCommitmentInput', {
      commitmentId: ID,
      occurredAt: '2023-01-16T14:00:00.000Z',
    });

    expect(body.errors).toBeUndefined();
    expect(body.data?.publishCommitment).toEqual({
      commitmentId: ID,
      streamVersion: 9,
      positions: [head],
      eventIds: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
      replayed: false,
    });
  });

  it('reschedules a milestone with its reason in the event metadata', async () => {
    const reason = 'La consulta de priorización cierra el 28 de febrero.';
    const { body } = await call('rescheduleMilestone', 'RescheduleMilestoneInput', {
      commitmentId: ID,
      milestoneId: 'm3',
      plannedStart: '2023-03',
      plannedEnd: '2023-03',
      reason,
      occurredAt: '2023-02-20T14:00:00.000Z',
    });
    const [event] = await store.readAll({
      from: body.data?.rescheduleMilestone.positions[0],
      limit: 1,
    });

    reschedulePosition = body.data?.rescheduleMilestone.positions[0];
    expect(body.errors).toBeUndefined();
    expect(event).toMatchObject({
      type: 'MilestoneRescheduled',
      data: { milestoneId: 'm3', plannedStart: '2023-03', plannedEnd: '2023-03', reason },
      metadata: { reason, occurredAt: '2023-02-20T14:00:00.000Z', actor: { subject: 'ana' } },
    });
  });

  it('reports progress with evidence, starting the commitment', async () => {
    const doc = cartagena2023Documents.committeeMinutesJanuary;
    const { body } = await call('reportProgress', 'ReportProgressInput', {
      commitmentId: ID,
      milestoneId: 'm5',
      percent: 30,
      evidence: [
        {
          kind: 'DOCUMENT',
          fileName: doc.fileName,
          sha256: doc.sha256,
          mediaType: doc.mediaType,
          description: doc.description,
        },
      ],
      occurredAt: '2023-01-27T14:00:00.000Z',
    });
    const positions: number[] = body.data?.reportProgress.positions;
    const events = await store.readAll({ from: positions[0], limit: 2 });

    expect(body.errors).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['CommitmentStarted', 'MilestoneProgressReported']);
    expect(events[1].data).toMatchObject({
      milestoneId: 'm5',
      percent: 30,
      evidence: [{ kind: 'document', sha256: doc.sha256, fileName: doc.fileName }],
    });
  });

  it('answers a retried mutation (same command id) with the first result', async () => {
    const input = { commitmentId: ID, milestoneId: 'm5', percent: 35, commandId: 'retry-m5-35' };
    const first = await call('reportProgress', 'ReportProgressInput', input);
    const head = await store.head();
    const again = await call('reportProgress', 'ReportProgressInput', input);

    expect(again.body.data?.reportProgress).toEqual({
      ...first.body.data?.reportProgress,
      replayed: true,
    });
    expect(await store.head()).toBe(head);
  });

  it('names the field and rule of a bad input and writes nothing', async () => {
    const head = await store.head();
    const percent = await call('reportProgress', 'ReportProgressInput', {
      commitmentId: ID,
      milestoneId: 'm5',
      percent: 150,
    });
    const sha = await call('reportProgress', 'ReportProgressInput', {
      commitmentId: ID,
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
      commitmentId: ID,
      milestoneId: 'm6',
      plannedStart: '2023-06',
      plannedEnd: '2023-12',
      reason: '   ',
    });
    const commandId = await call('publishCommitment', 'PublishCommitmentInput', {
      commitmentId: ID,
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
    expect(await store.head()).toBe(head);
  });

  it('keeps the domain code of a missing milestone and of a refused transition', async () => {
    const missing = await call('reportProgress', 'ReportProgressInput', {
      commitmentId: ID,
      milestoneId: 'm99',
      percent: 10,
    });
    const again = await call('publishCommitment', 'PublishCommitmentInput', { commitmentId: ID });
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
    const version = (await store.readStream(`commitment-${ID}`)).length;
    const revise = (title: string) =>
      call('reviseCommitment', 'ReviseCommitmentInput', {
        commitmentId: ID,
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
      stream: `commitment-${ID}`,
      expectedVersion: version,
      actualVersion: version + 1,
    });
    expect(await store.readStream(`commitment-${ID}`)).toHaveLength(version + 1);
  });

  it('refuses a steward of another agency, and anyone without a token', async () => {
    const input = { commitmentId: ID, milestoneId: 'm5', percent: 50 };
    const foreign = await call('reportProgress', 'ReportProgressInput', input, foreignSteward);
    const anonymous = await call('reportProgress', 'ReportProgressInput', input, {});

    expect(foreign.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', reason: 'AGENCY' });
    expect(anonymous.body.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('serves the commitment from the read model once the projection has caught up', async () => {
    const query = `{
      commitment(code: "CartagenaCuenta-2023") {
        id code status version leadAgency { name offices }
        ogpValues { value }
        territories { localidades }
        milestones { id status progress plannedStart plannedEnd reschedules evidence { sha256 kind } }
        evidence { milestoneId fileName }
        budget { id }
      }
    }`;
    const version = (await store.readStream(`commitment-${ID}`)).length;
    const commitment = await eventually(async () => {
      const { body } = await graphql(server.url, query);
      return body.data?.commitment?.version === version ? body.data.commitment : undefined;
    });

    expect(commitment).toMatchObject({
      id: ID,
      code: 'CartagenaCuenta-2023',
      status: 'IN_PROGRESS',
      leadAgency: cartagena2023.leadAgency,
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
      evidence: [
        { kind: 'DOCUMENT', sha256: cartagena2023Documents.committeeMinutesJanuary.sha256 },
      ],
    });
    expect(commitment.evidence).toEqual([
      { milestoneId: 'm5', fileName: cartagena2023Documents.committeeMinutesJanuary.fileName },
    ]);
  });

  it('lists commitments by filter, with Relay cursors', async () => {
    const list = (filter: object) =>
      graphql(
        server.url,
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

    await eventually(async () => ((await codes({})).length === 1 ? true : undefined));
    expect(await codes({ status: ['IN_PROGRESS'], ogpValue: 'TRANSPARENCY' })).toEqual([
      'CartagenaCuenta-2023',
    ]);
    expect(await codes({ territory: 'Localidad Industrial y de la Bahía' })).toEqual([
      'CartagenaCuenta-2023',
    ]);
    expect(
      await codes({ text: 'ACCOUNTABILITY cartagena', leadAgency: AGENCY.toUpperCase() }),
    ).toEqual(['CartagenaCuenta-2023']);
    expect(await codes({ actionPlanId: 'cartagena-2023', policyArea: 'Civic Space' })).toEqual([
      'CartagenaCuenta-2023',
    ]);
    expect(await codes({ status: ['WITHDRAWN'] })).toEqual([]);
    expect(await codes({ text: 'nothing like this' })).toEqual([]);
    expect((await list({})).body.data?.commitments).toMatchObject({
      totalCount: 1,
      pageInfo: { hasNextPage: false },
    });
  });

  it('reads the history: who changed what, when, why, and where the proof points', async () => {
    const { body } = await graphql(
      server.url,
      `{
        commitment(id: "${ID}") {
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

    expect(history.totalCount).toBe((await store.readStream(`commitment-${ID}`)).length);
    expect(nodes.map((n) => n.streamVersion)).toEqual(
      [...nodes.map((n) => n.streamVersion)].sort((a, b) => b - a),
    );
    expect(nodes.at(-1)?.type).toBe('CommitmentRegistered');
    expect(rescheduled).toMatchObject({
      position: reschedulePosition,
      occurredAt: '2023-02-20T14:00:00.000Z',
      reason: 'La consulta de priorización cierra el 28 de febrero.',
      actor: { subject: 'ana', role: 'steward', agency: AGENCY },
    });
    expect(rescheduled.changes).toHaveLength(4);
    expect(rescheduled.changes).toEqual(
      expect.arrayContaining([
        { path: '/milestones/m3/plannedStart', before: '2023-02', after: '2023-03' },
        { path: '/milestones/m3/plannedEnd', before: '2023-02', after: '2023-03' },
        { path: '/milestones/m3/status', before: 'scheduled', after: 'delayed' },
        { path: '/milestones/m3/reschedules', before: 0, after: 1 },
      ]),
    );
  });

  it('pages through the history with cursors, newest first', async () => {
    const page = (after?: string) =>
      graphql(
        server.url,
        `query ($after: String) {
          commitment(id: "${ID}") {
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
    const latest = (await store.readStream(`commitment-${ID}`)).length;

    expect(versions(first)).toEqual([latest, latest - 1, latest - 2, latest - 3, latest - 4]);
    expect(versions(second)).toEqual([latest - 5, latest - 6, latest - 7, latest - 8, latest - 9]);
    expect(first.pageInfo.hasNextPage).toBe(true);
  });

  it('shows the commitment as it was before and after the reschedule (asOf)', async () => {
    const asOf = (date: string) =>
      graphql(
        server.url,
        `
          query ($asOf: DateTime) {
            commitment(code: "CartagenaCuenta-2023", asOf: $asOf) {
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
        { asOf: date },
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
    expect(after.view.latestVersion).toBe((await store.readStream(`commitment-${ID}`)).length);
  });

  it('shows what the record said on a date (knownAt), and at a version (atVersion)', async () => {
    const at = (args: string) =>
      graphql(
        server.url,
        `{ commitment(id: "${ID}", ${args}) { status milestones { id } view { version knownAt atVersion } } }`,
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

/** Polls `probe` until it returns something other than undefined (the read side lags a little). */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the read model');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
