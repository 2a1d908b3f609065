import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '#event-store';
import { ROLES, type PolicyRole } from '#platform';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Independent (IRM) assessments over real HTTP against the built server with the demo
// loaded: only the oversight role records them; anyone reads them on the commitment, the
// superseded ones shown as such.

const COMMITMENT = 'cartagena-cuenta-2023';
const STREAM = `assessment-${COMMITMENT}.results_report.irm-cartagena-2024`;
const RESULT = 'streamType streamId streamVersion positions replayed';
const REASON = 'El MRI corrigió el informe tras la réplica de la Alcaldía.';

const RECORD = `mutation ($input: RecordIndependentAssessmentInput!) {
  recordIndependentAssessment(input: $input) { ${RESULT} } }`;
const ASSESSMENTS = `query ($current: Boolean!) {
  commitment(id: "${COMMITMENT}") {
    assessments(current: $current) {
      id commitmentId status supersedes supersededBy reason
      report { kind id } scheme { name version }
      verifiability openGovernmentLens { relevant values } potentialForResults completion
      didItOpenGovernment justification
      evidence { kind url fileName sha256 mediaType description }
      assessedAt recordedAt position eventId
    } } }`;

const PDF = {
  kind: 'LINK',
  url: 'https://www.opengovpartnership.org/documents/cartagena-results-report-2024/',
  sha256: 'ab'.repeat(32),
  mediaType: 'application/pdf',
  description: 'Informe de resultados del MRI, 2024',
};

const input = (extra: object = {}) => ({
  commitmentId: COMMITMENT,
  report: { kind: 'RESULTS_REPORT', id: 'irm-cartagena-2024' },
  scheme: { name: 'OGP IRM', version: '2021' },
  verifiability: 'VERIFIABLE',
  openGovernmentLens: { relevant: true, values: ['TRANSPARENCY', 'PUBLIC_ACCOUNTABILITY'] },
  potentialForResults: 'MODEST',
  completion: 'SUBSTANTIAL',
  didItOpenGovernment: 'MARGINAL',
  justification: 'Se publicaron los informes trimestrales; faltó la audiencia de cierre.',
  evidence: [PDF],
  occurredAt: '2024-03-15T15:00:00.000Z',
  ...extra,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Data = Record<string, any>;

let database: TestDatabase;
let dataDir: string;
let server: ServerProcess;
let store: PostgresEventStore;
let headersOf: Record<PolicyRole, Record<string, string>>;

const record = (variables: object, headers: Record<string, string>) =>
  graphql<Data>(server.url, RECORD, { input: variables }, headers);
const assessments = async (current = false) => {
  const { body } = await graphql<Data>(server.url, ASSESSMENTS, { current });
  expect(body.errors).toBeUndefined();
  return body.data?.commitment.assessments as Data[];
};

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-assessments-e2e-'));
  server = await startServer({
    DATABASE_URL: database.url,
    CUENTA_DATA_DIR: dataDir,
    CUENTA_DEMO: 'on',
  });
  const { mint } = await localTokens(dataDir);
  headersOf = { anonymous: {} } as Record<PolicyRole, Record<string, string>>;
  for (const role of ROLES) {
    // The steward is one of the commitment's agency: refused for its role, not its agency.
    const agencies = role === 'steward' ? ['alcaldia-cartagena'] : [];
    headersOf[role] = bearer(await mint({ role, subject: `mri-${role}`, agencies }));
  }
  store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  // The demo is recorded at start; wait until its commitment is served.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await graphql(server.url, `{ commitment(id: "${COMMITMENT}") { id } }`);
    if (body.data?.commitment?.id === COMMITMENT) break;
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

describe('who may record an independent assessment', () => {
  const refused: [PolicyRole, string, string][] = [
    ['anonymous', 'UNAUTHENTICATED', 'TOKEN_REQUIRED'],
    ['citizen', 'FORBIDDEN', 'ROLE'],
    ['steward', 'FORBIDDEN', 'ROLE'],
    ['moderator', 'FORBIDDEN', 'ROLE'],
    ['internal_control', 'FORBIDDEN', 'ROLE'],
    ['administrator', 'FORBIDDEN', 'ROLE'],
  ];

  it.each(refused)('refuses %s (%s, %s) and records nothing', async (role, code, reason) => {
    const { body } = await record(input(), headersOf[role]);
    expect(body.errors?.[0].extensions).toMatchObject({ code, reason });
    expect(body.data?.recordIndependentAssessment ?? null).toBeNull();
    expect(await store.readStream(STREAM)).toEqual([]);
  });

  it('lets the oversight role record it, as the actor of the event', async () => {
    const { body } = await record(input(), headersOf.oversight);
    expect(body.errors).toBeUndefined();
    expect(body.data?.recordIndependentAssessment).toMatchObject({
      streamType: 'assessment',
      streamId: `${COMMITMENT}.results_report.irm-cartagena-2024`,
      streamVersion: 1,
      replayed: false,
    });
    const [event] = await store.readStream(STREAM);
    expect(event.metadata.actor).toEqual({ subject: 'mri-oversight', role: 'oversight' });
  });
});

describe('Commitment.assessments', () => {
  it('shows the assessment to anyone, with the position of its event', async () => {
    const [shown] = await assessments();
    const [event] = await store.readStream(STREAM);
    expect(shown).toEqual({
      id: `${COMMITMENT}.results_report.irm-cartagena-2024.1`,
      commitmentId: COMMITMENT,
      status: 'CURRENT',
      supersedes: null,
      supersededBy: null,
      reason: null,
      report: { kind: 'RESULTS_REPORT', id: 'irm-cartagena-2024' },
      scheme: { name: 'OGP IRM', version: '2021' },
      verifiability: 'VERIFIABLE',
      openGovernmentLens: { relevant: true, values: ['TRANSPARENCY', 'PUBLIC_ACCOUNTABILITY'] },
      potentialForResults: 'MODEST',
      completion: 'SUBSTANTIAL',
      didItOpenGovernment: 'MARGINAL',
      justification: 'Se publicaron los informes trimestrales; faltó la audiencia de cierre.',
      evidence: [{ ...PDF, fileName: null }],
      assessedAt: '2024-03-15T15:00:00.000Z',
      recordedAt: event.metadata.recordedAt,
      position: event.position,
      eventId: event.id,
    });
    const proof = await graphql<Data>(
      server.url,
      `{ inclusionProof(position: ${shown.position}) { position eventId event { type } } }`,
    );
    expect(proof.body.data?.inclusionProof).toMatchObject({
      position: event.position,
      eventId: event.id,
      event: { type: 'IndependentAssessmentRecorded' },
    });
  });

  it('refuses a later assessment of the same report without a reason, recording nothing', async () => {
    const { body } = await record(input({ completion: 'LIMITED' }), headersOf.oversight);
    expect(body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'reason',
      rule: 'required',
    });
    expect(await store.readStream(STREAM)).toHaveLength(1);
  });

  it('shows the superseded assessment as such beside the one that replaced it', async () => {
    const { body } = await record(
      input({ completion: 'LIMITED', reason: REASON }),
      headersOf.oversight,
    );
    expect(body.data?.recordIndependentAssessment.streamVersion).toBe(2);
    const first = `${COMMITMENT}.results_report.irm-cartagena-2024.1`;
    const second = `${COMMITMENT}.results_report.irm-cartagena-2024.2`;
    const all = await assessments();
    expect(
      all.map((a) => [a.id, a.status, a.completion, a.supersedes, a.supersededBy, a.reason]),
    ).toEqual([
      [second, 'CURRENT', 'LIMITED', first, null, REASON],
      [first, 'SUPERSEDED', 'SUBSTANTIAL', null, second, null],
    ]);
    expect((await assessments(true)).map((a) => a.id)).toEqual([second]);
    // In a list, every commitment's assessments (one query for all of them).
    const list = await graphql<Data>(
      server.url,
      '{ commitments(first: 50) { edges { node { id assessments(current: true) { id } } } } }',
    );
    expect(list.body.errors).toBeUndefined();
    const nodes = list.body.data?.commitments.edges.map((edge: Data) => edge.node) as Data[];
    expect(nodes.find((node) => node.id === COMMITMENT)?.assessments).toEqual([{ id: second }]);
    expect(nodes.filter((node) => node.assessments.length > 0)).toHaveLength(1);
  });

  it('refuses an assessment of a commitment that does not exist', async () => {
    const { body } = await record(input({ commitmentId: 'no-existe' }), headersOf.oversight);
    expect(body.errors?.[0].extensions).toMatchObject({
      code: 'COMMITMENT_NOT_FOUND',
      field: 'commitmentId',
    });
    expect(
      await store.readStream('assessment-no-existe.results_report.irm-cartagena-2024'),
    ).toEqual([]);
  });

  it('names the field of a bad input', async () => {
    const lens = await record(
      input({ openGovernmentLens: { relevant: true, values: [] }, reason: REASON }),
      headersOf.oversight,
    );
    expect(lens.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'openGovernmentLens.values',
      rule: 'required',
    });
    const evidence = await record(input({ evidence: [], reason: REASON }), headersOf.oversight);
    expect(evidence.body.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'evidence',
      rule: 'required',
    });
    const kind = await record(input({ report: { kind: 'MIDTERM', id: 'x' } }), headersOf.oversight);
    expect(kind.body.errors?.[0].message).toMatch(/MIDTERM/);
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });
});
