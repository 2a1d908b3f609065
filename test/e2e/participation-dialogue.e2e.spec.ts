import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Dialogue spaces over real HTTP against the built server with the demo loaded: what the
// demo's public hearing and socialization meetings show, and what stewards may write.

const AGENCY = 'alcaldia-cartagena';
const COMMITMENT = 'cartagena-cuenta-2023';
const HEARING = 'audiencia-publica-2023-12-07';
const RESULT = 'streamVersion positions';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Data = Record<string, any>;

let database: TestDatabase;
let dataDir: string;
let server: ServerProcess;
let store: PostgresEventStore;
let steward: Record<string, string>;
let foreignSteward: Record<string, string>;

const call = (name: string, inputType: string, input: object, headers = steward) =>
  graphql<Data>(
    server.url,
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} } }`,
    { input },
    headers,
  );

const space = (id: string, extra: object = {}) => ({
  dialogueSpaceId: id,
  kind: 'MEETING',
  title: 'Mesa de diálogo en Bocachica',
  convenedAt: '2024-01-10T14:00:00.000Z',
  startsAt: '2024-01-20T14:00:00.000Z',
  place: 'Caseta comunal de Bocachica',
  channel: 'IN_PERSON',
  territoryId: 'bocachica',
  agenda: ['Ejecución del presupuesto 2023 en los corregimientos'],
  commitmentIds: [COMMITMENT],
  ...extra,
});

const fresh = () => `mesa-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-dialogue-e2e-'));
  server = await startServer({
    DATABASE_URL: database.url,
    CUENTA_DATA_DIR: dataDir,
    CUENTA_DEMO: 'on',
  });
  const { mint } = await localTokens(dataDir);
  steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
  foreignSteward = bearer(await mint({ role: 'steward', agencies: ['gobernacion-bolivar'] }));
  store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  // The demo is recorded at start; wait for the read model to show its last space.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await graphql(
      server.url,
      `{ dialogueSpace(id: "${HEARING}") { improvementActions { reports { percent } } } }`,
    );
    if (body.data?.dialogueSpace?.improvementActions?.[0]?.reports?.length) break;
    if (Date.now() > deadline) throw new Error(`demo not served: ${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await store?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the demo: the public hearing of 7 December 2023', () => {
  it('shows attendance by group and localidad, corrected once with its reason, and two actions', async () => {
    const { body } = await graphql<Data>(
      server.url,
      `{ dialogueSpace(id: "${HEARING}") {
          kind status channel territoryId startsAt commitmentIds leadAgencyId
          attendance { total corrections minutes { sha256 mediaType url }
            byGroup { dimension category count } byTerritory { territoryId territoryName count } }
          improvementActions { id commitmentId responsibleAgency dueDate status percent
            reports { status percent evidence { sha256 } } }
          history(first: 2) { totalCount edges { node { type reason actor { subject } changes { path before after } } } }
        } }`,
    );
    expect(body.errors).toBeUndefined();
    const hearing = body.data?.dialogueSpace;
    expect(hearing).toMatchObject({
      kind: 'PUBLIC_HEARING',
      status: 'HELD',
      channel: 'HYBRID',
      territoryId: null,
      startsAt: '2023-12-07T14:00:00.000Z',
      commitmentIds: [COMMITMENT],
      leadAgencyId: AGENCY,
    });
    expect(hearing.attendance.total).toBe(437);
    expect(hearing.attendance.corrections).toBe(1);
    expect(hearing.attendance.minutes.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(hearing.attendance.byGroup).toContainEqual({
      dimension: 'victims',
      category: 'armed_conflict_victim',
      count: 37,
    });
    expect(hearing.attendance.byTerritory.slice(0, 3)).toEqual([
      {
        territoryId: 'localidad-1',
        territoryName: 'Localidad Histórica y del Caribe Norte',
        count: 168,
      },
      {
        territoryId: 'localidad-2',
        territoryName: 'Localidad de la Virgen y Turística',
        count: 121,
      },
      {
        territoryId: 'localidad-3',
        territoryName: 'Localidad Industrial y de la Bahía',
        count: 102,
      },
    ]);
    expect(hearing.improvementActions).toHaveLength(2);
    expect(hearing.improvementActions[0]).toMatchObject({
      id: 'presupuesto-por-localidad',
      status: 'IN_PROGRESS',
      percent: 40,
    });
    expect(hearing.improvementActions[1]).toMatchObject({
      id: 'mesas-territoriales',
      status: 'AGREED',
      reports: [],
    });
    const correction = hearing.history.edges
      .map((edge: Data) => edge.node)
      .find((node: Data) => node.type === 'AttendanceRecorded');
    expect(correction.reason).toMatch(/transmisión en línea/);
    expect(correction.actor).toEqual({ subject: 'demo-participacion' });
    expect(correction.changes).toContainEqual({
      path: '/attendance/total',
      before: 412,
      after: 437,
    });
    expect(correction.changes).toContainEqual({
      path: '/attendance/corrections',
      before: 0,
      after: 1,
    });
  });

  it('travels back to the attendance before its correction (atVersion, asOf)', async () => {
    const { body } = await graphql<Data>(
      server.url,
      `{ before: dialogueSpace(id: "${HEARING}", atVersion: 3) { version attendance { total corrections } }
         convened: dialogueSpace(id: "${HEARING}", asOf: "2023-12-01T00:00:00Z") { status attendance { total } }
         never: dialogueSpace(id: "${HEARING}", asOf: "2023-01-01T00:00:00Z") { id } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.before).toEqual({ version: 3, attendance: { total: 412, corrections: 0 } });
    expect(body.data?.convened).toEqual({ status: 'CONVENED', attendance: null });
    expect(body.data?.never).toBeNull();
  });

  it("lists milestone 4's socialization meetings, with the cancelled one's reason", async () => {
    const { body } = await graphql<Data>(
      server.url,
      `{ dialogueSpaces(first: 2, filter: { commitmentId: "${COMMITMENT}" }) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
         cancelled: dialogueSpaces(filter: { status: CANCELLED }) {
          edges { node { id territoryName cancellationReason } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.dialogueSpaces.totalCount).toBe(4);
    expect(body.data?.dialogueSpaces.edges.map((e: Data) => e.node.id)).toEqual([
      HEARING,
      'socializacion-localidad-3-2023-03-22',
    ]);
    const next = await graphql<Data>(
      server.url,
      `
        query ($after: String) {
          dialogueSpaces(first: 5, after: $after) {
            pageInfo {
              hasNextPage
            }
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      { after: body.data?.dialogueSpaces.pageInfo.endCursor },
    );
    expect(next.body.data?.dialogueSpaces.edges.map((e: Data) => e.node.id)).toEqual([
      'socializacion-sociedad-civil-2023-03-15',
      'socializacion-dependencias-2023-02-22',
    ]);
    expect(next.body.data?.dialogueSpaces.pageInfo.hasNextPage).toBe(false);
    expect(body.data?.cancelled.edges).toEqual([
      {
        node: {
          id: 'socializacion-localidad-3-2023-03-22',
          territoryName: 'Pasacaballos',
          cancellationReason: expect.stringMatching(/salón disponible/),
        },
      },
    ]);
  });

  it('adds dialogueSpaces and improvementActions to the Commitment', async () => {
    const { body } = await graphql<Data>(
      server.url,
      `{ commitment(id: "${COMMITMENT}") {
          dialogueSpaces { id } improvementActions { id dialogueSpaceId dueDate } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.commitment.dialogueSpaces).toHaveLength(4);
    expect(body.data?.commitment.improvementActions).toEqual([
      { id: 'presupuesto-por-localidad', dialogueSpaceId: HEARING, dueDate: '2024-02-29' },
      { id: 'mesas-territoriales', dialogueSpaceId: HEARING, dueDate: '2024-06-30' },
    ]);
  });
});

describe('recording dialogue spaces', () => {
  it('lets a steward of the lead agency convene, hold, count and agree, to completion', async () => {
    const id = fresh();
    const steps: [string, string, object][] = [
      ['recordDialogueSpace', 'RecordDialogueSpaceInput', space(id)],
      ['recordDialogueSpace', 'RecordDialogueSpaceInput', space(id, { status: 'HELD' })],
      [
        'recordAttendance',
        'RecordAttendanceInput',
        {
          dialogueSpaceId: id,
          total: 30,
          byGroup: [
            { dimension: 'sex', category: 'female', count: 18 },
            { dimension: 'sex', category: 'male', count: 12 },
          ],
          byTerritory: [{ territoryId: 'bocachica', count: 30 }],
          minutes: {
            sha256: 'b'.repeat(64),
            mediaType: 'application/pdf',
            url: 'https://example.org/acta.pdf',
          },
        },
      ],
      [
        'agreeImprovementAction',
        'AgreeImprovementActionInput',
        {
          dialogueSpaceId: id,
          actionId: 'agua',
          commitmentId: COMMITMENT,
          description: 'Informar el avance del acueducto de Bocachica cada trimestre.',
          responsibleAgency: 'Aguas de Cartagena',
          dueDate: '2024-12-31',
        },
      ],
      [
        'reportImprovementAction',
        'ReportImprovementActionInput',
        { dialogueSpaceId: id, actionId: 'agua', status: 'COMPLETED', note: 'Publicado.' },
      ],
    ];
    for (const [name, type, input] of steps) {
      const { body } = await call(name, type, input);
      expect(body.errors).toBeUndefined();
    }
    const { body } = await graphql<Data>(
      server.url,
      `{ dialogueSpace(id: "${id}") { status attendance { total }
          improvementActions { status percent completedAt } } }`,
    );
    expect(body.data?.dialogueSpace).toMatchObject({
      status: 'HELD',
      attendance: { total: 30 },
      improvementActions: [{ status: 'COMPLETED', percent: 100 }],
    });
    const events = await store.readStream(`dialogue-space-${id}`);
    expect(events.map((e) => e.type)).toEqual([
      'DialogueSpaceConvened',
      'DialogueSpaceHeld',
      'AttendanceRecorded',
      'ImprovementActionAgreed',
      'ImprovementActionReported',
    ]);
    expect(events[0].metadata.actor).toMatchObject({ subject: 'ana', agency: AGENCY });
  });

  it('refuses a steward of another agency, and writes nothing', async () => {
    const id = fresh();
    const { body } = await call(
      'recordDialogueSpace',
      'RecordDialogueSpaceInput',
      space(id),
      foreignSteward,
    );
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await store.readStream(`dialogue-space-${id}`)).toEqual([]);
  });

  it('names the field at fault: an unknown commitment, a territory not in the list', async () => {
    const id = fresh();
    const unknown = await call(
      'recordDialogueSpace',
      'RecordDialogueSpaceInput',
      space(id, { commitmentIds: [COMMITMENT, 'no-such-commitment'] }),
    );
    expect(unknown.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'commitmentIds.1',
      rule: 'unknown_commitment',
    });
    const territory = await call(
      'recordDialogueSpace',
      'RecordDialogueSpaceInput',
      space(id, { territoryId: 'chapinero' }),
    );
    expect(territory.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'territoryId',
      rule: 'unknown_territory',
    });
    expect(await store.readStream(`dialogue-space-${id}`)).toEqual([]);
  });

  it('refuses attendance before the space is held, and a correction without a reason', async () => {
    const id = fresh();
    await call('recordDialogueSpace', 'RecordDialogueSpaceInput', space(id));
    const early = await call('recordAttendance', 'RecordAttendanceInput', {
      dialogueSpaceId: id,
      total: 5,
    });
    expect(early.body.errors?.[0].extensions).toMatchObject({
      code: 'DIALOGUE_SPACE_STATUS_FORBIDS',
      status: 'convened',
    });
    await call('recordDialogueSpace', 'RecordDialogueSpaceInput', space(id, { status: 'HELD' }));
    await call('recordAttendance', 'RecordAttendanceInput', { dialogueSpaceId: id, total: 5 });
    const correction = await call('recordAttendance', 'RecordAttendanceInput', {
      dialogueSpaceId: id,
      total: 6,
    });
    expect(correction.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'reason',
      rule: 'required_for_correction',
    });
    expect((await store.readStream(`dialogue-space-${id}`)).length).toBe(3);
  });
});
