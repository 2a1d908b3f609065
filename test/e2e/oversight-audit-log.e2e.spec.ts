import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, localTokens } from '../support/access.js';
import { command, registerCartagena } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// The audit log and change-log summaries over real HTTP against the built server, with real
// tokens: filters, pagination, the inclusion proof one field away, and who sees subjects.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Data = Record<string, any>;

const AGENCY = 'alcaldia-cartagena';
const COMMITMENT = 'audit-e2e-1';
const DAY = 86_400_000;
const ENTRY = `position eventId type streamVersion recordedAt occurredAt reason retroactive
  beforePreviousChange stream { name type id context } actor { subject role agency }
  summary { es en }`;

describe('the audit log over GraphQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let steward: Record<string, string>;
  let control: Record<string, string>;
  let oversight: Record<string, string>;
  let administrator: Record<string, string>;
  let head: number;
  let registered: number[];
  let rescheduled: number;
  let published: number;
  let cancelled: number;

  /** The code reservation the registration appends just before its own first event. */
  const claimed = () => registered[0] - 1;
  const auditLog = async (args: string, headers: Record<string, string> = {}, fields = ENTRY) => {
    const { body } = await graphql<Data>(
      server.url,
      `{ auditLog(${args}, minPosition: ${head - 1}) {
           edges { cursor node { ${fields} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
      {},
      headers,
    );
    return body;
  };
  const positions = async (args: string, headers = control) => {
    const body = await auditLog(args, headers, 'position');
    expect(body.errors).toBeUndefined();
    return (body.data?.auditLog.edges as Data[]).map((edge) => edge.node.position as number);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-audit-e2e-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_AUDIT_RETROACTIVE_DAYS: '100',
    });
    const { mint } = await localTokens(dataDir);
    steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
    control = bearer(await mint({ role: 'internal_control', subject: 'oci-1' }));
    oversight = bearer(await mint({ role: 'oversight', subject: 'contraloria-1' }));
    administrator = bearer(await mint({ role: 'administrator', subject: 'root' }));
    // Registration and seven milestones, 90 days back, by ana, without reasons: not
    // retroactive with this server's threshold of 100 days.
    registered = await registerCartagena(server.url, steward, {
      commitmentId: COMMITMENT,
      code: 'AUD-1',
      occurredAt: new Date(Date.now() - 90 * DAY).toISOString(),
    });
    published = (
      await command(server.url, steward, {
        name: 'publishCommitment',
        inputType: 'PublishCommitmentInput',
        input: {
          commitmentId: COMMITMENT,
          occurredAt: new Date(Date.now() - 10 * DAY).toISOString(),
        },
      })
    ).positions[0];
    // Dated before the publication already recorded: retroactive, with a reason.
    rescheduled = (
      await command(server.url, steward, {
        name: 'rescheduleMilestone',
        inputType: 'RescheduleMilestoneInput',
        input: {
          commitmentId: COMMITMENT,
          milestoneId: 'm3',
          plannedStart: '2023-04',
          plannedEnd: '2023-06',
          reason: 'lluvias',
          occurredAt: new Date(Date.now() - 60 * DAY).toISOString(),
        },
      })
    ).positions[0];
    // By an administrator, who has no agency.
    cancelled = (
      await command(server.url, administrator, {
        name: 'cancelMilestone',
        inputType: 'CancelMilestoneInput',
        input: { commitmentId: COMMITMENT, milestoneId: 'm7', reason: 'duplicado' },
      })
    ).positions[0];
    head = cancelled + 1;
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists every event newest first, with who, when, why, a summary and the diff', async () => {
    const body = await auditLog('first: 3', control, `${ENTRY} changes { path before after }`);
    expect(body.errors).toBeUndefined();
    const nodes = (body.data?.auditLog.edges as Data[]).map((edge) => edge.node);
    expect(nodes.map((node) => node.position)).toEqual([cancelled, rescheduled, published]);
    expect(nodes[0]).toMatchObject({
      type: 'MilestoneCancelled',
      streamVersion: 11,
      reason: 'duplicado',
      retroactive: false,
      stream: {
        name: `commitment-${COMMITMENT}`,
        type: 'commitment',
        id: COMMITMENT,
        context: 'commitments',
      },
      actor: { subject: 'root', role: 'administrator', agency: null },
      summary: { es: 'Hito m7 cancelado', en: 'Milestone m7 cancelled' },
    });
    expect(nodes[1]).toMatchObject({
      type: 'MilestoneRescheduled',
      reason: 'lluvias',
      retroactive: true,
      beforePreviousChange: true,
      actor: { subject: 'ana', role: 'steward', agency: AGENCY },
      summary: {
        es: 'Hito m3 reprogramado: 2023-04 a 2023-06',
        en: 'Milestone m3 rescheduled: 2023-04 to 2023-06',
      },
    });
    expect(nodes[1].changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/milestones/m3/plannedEnd', after: '2023-06' }),
      ]),
    );
    expect(nodes[0].changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/milestones/m7/status', after: 'CANCELLED' }),
      ]),
    );
  });

  it('pages with cursors, without gaps or repeats', async () => {
    const first = await auditLog('first: 4', control, 'position');
    const page1 = (first.data?.auditLog.edges as Data[]).map((edge) => edge.node.position);
    expect(first.data?.auditLog.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
    const after = first.data?.auditLog.pageInfo.endCursor as string;
    const second = await auditLog(`first: 100, after: "${after}"`, control, 'position');
    const page2 = (second.data?.auditLog.edges as Data[]).map((edge) => edge.node.position);
    expect(second.data?.auditLog.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect([...page1, ...page2]).toEqual([
      cancelled,
      rescheduled,
      published,
      ...[...registered].reverse(),
      claimed(),
    ]);
  });

  it('filters by actor, agency, role, type, context, stream prefix, periods, retroactive and reason', async () => {
    const all = [cancelled, rescheduled, published, ...[...registered].reverse(), claimed()];
    expect(await positions('first: 100, filter: { actors: ["ana"] }')).toEqual(all.slice(1));
    expect(
      await positions(`first: 100, filter: { agencies: ["${AGENCY}"], types: ["MilestoneAdded"] }`),
    ).toEqual(all.slice(3, 10));
    expect(await positions('first: 100, filter: { roles: ["administrator"] }')).toEqual([
      cancelled,
    ]);
    expect(await positions('first: 100, filter: { contexts: ["participation"] }')).toEqual([]);
    expect(await positions('first: 100, filter: { contexts: ["commitments"] }')).toEqual(all);
    // The code's reservation is on a stream of its own (commitment.code-aud-1).
    expect(
      await positions(`first: 100, filter: { streamPrefix: "commitment-${COMMITMENT}" }`),
    ).toEqual(all.slice(0, -1));
    expect(await positions('first: 100, filter: { streamPrefix: "commitment.code-" }')).toEqual([
      claimed(),
    ]);
    expect(await positions('first: 100, filter: { retroactiveOnly: true }')).toEqual([rescheduled]);
    expect(await positions('first: 100, filter: { withoutReasonOnly: true }')).toEqual(
      all.slice(2),
    );
    const weekAgo = new Date(Date.now() - 7 * DAY).toISOString();
    const seventyDaysAgo = new Date(Date.now() - 70 * DAY).toISOString();
    expect(
      await positions(
        `first: 100, filter: { occurred: { from: "${seventyDaysAgo}", to: "${weekAgo}" } }`,
      ),
    ).toEqual([rescheduled, published]);
    expect(await positions(`first: 100, filter: { recorded: { to: "${weekAgo}" } }`)).toEqual([]);
  });

  it('puts the inclusion proof one field away', async () => {
    const body = await auditLog(
      'first: 1, filter: { retroactiveOnly: true }',
      {},
      'position eventId inclusionProof { position eventId treeSize leafHash hashes event { type } }',
    );
    expect(body.errors).toBeUndefined();
    const node = body.data?.auditLog.edges[0].node as Data;
    expect(node.inclusionProof).toMatchObject({
      position: rescheduled,
      eventId: node.eventId,
      event: { type: 'MilestoneRescheduled' },
    });
    expect(node.inclusionProof.treeSize).toBeGreaterThan(rescheduled);
    expect(node.inclusionProof.hashes.length).toBeGreaterThan(0);
  });

  describe('who sees actor subjects', () => {
    it.each([
      ['internal_control', () => control],
      ['oversight', () => oversight],
      ['administrator', () => administrator],
    ])('%s sees them', async (_, headers) => {
      const body = await auditLog('first: 1', headers(), 'actor { subject role agency }');
      expect(body.data?.auditLog.edges[0].node.actor).toEqual({
        subject: 'root',
        role: 'administrator',
        agency: null,
      });
    });

    it.each([
      ['no token', () => ({})],
      ['a steward', () => steward],
    ])('%s sees role and agency only', async (_, headers) => {
      const body = await auditLog('first: 2', headers(), 'actor { subject role agency }');
      expect(body.errors).toBeUndefined();
      expect((body.data?.auditLog.edges as Data[]).map((edge) => edge.node.actor)).toEqual([
        { subject: null, role: 'administrator', agency: null },
        { subject: null, role: 'steward', agency: AGENCY },
      ]);
    });

    it('refuses a filter by subject to those who do not see subjects', async () => {
      const body = await auditLog('first: 1, filter: { actors: ["ana"] }', steward, 'position');
      expect(body.data).toBeNull();
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE' });
    });
  });

  it('refuses bad filters, naming what is wrong', async () => {
    const unknown = await auditLog('first: 1, filter: { contexts: ["nope"] }', control, 'position');
    expect(unknown.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'filter.contexts',
    });
    expect(unknown.errors?.[0].message).toContain('"nope"');
    const backwards = await auditLog(
      'first: 1, filter: { recorded: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" } }',
      control,
      'position',
    );
    expect(backwards.errors?.[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'filter.recorded',
    });
    const cursor = await auditLog('first: 1, after: "bm9wZQ"', control, 'position');
    expect(cursor.errors?.[0].extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'after' });
  });

  describe('changeLogSummary', () => {
    const summary = (filter: string, groupBy: string, headers: Record<string, string>) =>
      graphql<Data>(
        server.url,
        `{ changeLogSummary(filter: ${filter}, groupBy: ${groupBy}, minPosition: ${head - 1}) {
             total groupBy groups { actor agency role type month count } } }`,
        {},
        headers,
      );
    const thisYear = () => {
      const year = new Date().getUTCFullYear();
      return `{ recorded: { from: "${year}-01-01T00:00:00Z", to: "${year + 1}-01-01T00:00:00Z" } }`;
    };

    it('counts changes by actor and type for a period', async () => {
      const { body } = await summary(thisYear(), '[ACTOR, EVENT_TYPE]', control);
      expect(body.errors).toBeUndefined();
      expect(body.data?.changeLogSummary.total).toBe(head);
      expect(body.data?.changeLogSummary.groups).toEqual(
        expect.arrayContaining([
          { actor: 'ana', agency: null, role: null, type: 'MilestoneAdded', month: null, count: 7 },
          {
            actor: 'root',
            agency: null,
            role: null,
            type: 'MilestoneCancelled',
            month: null,
            count: 1,
          },
        ]),
      );
    });

    // Ana's eleven (the code's reservation, registration, milestones, publication, the
    // rescheduling); the administrator's cancellation carries no agency.
    it('counts one agency by month', async () => {
      const filter = thisYear().replace(' }', ` }, agencies: ["${AGENCY}"]`);
      const { body } = await summary(`${filter.slice(0, -1)} }`, '[MONTH]', oversight);
      expect(body.errors).toBeUndefined();
      const month = new Date().toISOString().slice(0, 7);
      expect(body.data?.changeLogSummary.groups).toEqual([
        { actor: null, agency: null, role: null, type: null, month, count: 11 },
      ]);
    });

    it('refuses a steward and an anonymous caller', async () => {
      for (const headers of [steward, {}]) {
        const { body } = await summary(thisYear(), '[MONTH]', headers);
        expect(body.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
      }
    });

    it('refuses a period without its end', async () => {
      const { body } = await summary(
        '{ recorded: { from: "2026-01-01T00:00:00Z" } }',
        '[MONTH]',
        control,
      );
      expect(body.errors?.[0].extensions).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'filter.recorded.to',
      });
    });
  });
});

// Contexts that landed after the audit log describe their events too: an action plan's
// (commitments) and an independent assessment's (oversight), each found by its context.
describe('the audit log describes action plans and independent assessments', () => {
  const PLANNED = 'audit-e2e-plan';
  const PLAN = 'plan-audit-e2e';
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let planRegistered: number;
  let weightsSet: number;
  let assessed: number;

  const entries = async (filter: string, head: number) => {
    const { body } = await graphql<Data>(
      server.url,
      `{ auditLog(first: 100, filter: ${filter}, minPosition: ${head}) {
           edges { node { position type stream { type context } summary { es en }
                          changes { path before after } } } } }`,
      {},
      {},
    );
    expect(body.errors).toBeUndefined();
    return (body.data?.auditLog.edges as Data[]).map((edge) => edge.node);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-audit-desc-e2e-'));
    server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
    const { mint } = await localTokens(dataDir);
    const steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
    const administrator = bearer(await mint({ role: 'administrator', subject: 'root' }));
    const assessor = bearer(await mint({ role: 'oversight', subject: 'mri-1' }));
    await registerCartagena(server.url, steward, { commitmentId: PLANNED, code: 'AUD-2' });
    planRegistered = (
      await command(server.url, administrator, {
        name: 'registerActionPlan',
        inputType: 'RegisterActionPlanInput',
        input: {
          actionPlanId: PLAN,
          jurisdiction: 'Distrito de Cartagena de Indias',
          title: 'Plan de acción 2024',
          periodStart: '2024-01-01',
          periodEnd: '2025-12-31',
          ogpCycle: 'OGP Local 2024-2025',
        },
      })
    ).positions[0];
    weightsSet = (
      await command(server.url, administrator, {
        name: 'setCommitmentWeights',
        inputType: 'SetCommitmentWeightsInput',
        input: {
          actionPlanId: PLAN,
          weights: [{ commitmentId: PLANNED, weight: 3 }],
          reason: 'El de mayor presupuesto',
        },
      })
    ).positions[0];
    assessed = (
      await command(server.url, assessor, {
        name: 'recordIndependentAssessment',
        inputType: 'RecordIndependentAssessmentInput',
        input: {
          commitmentId: PLANNED,
          report: { kind: 'RESULTS_REPORT', id: 'r1' },
          scheme: { name: 'OGP IRM', version: '2021' },
          verifiability: 'VERIFIABLE',
          openGovernmentLens: { relevant: true, values: ['TRANSPARENCY'] },
          potentialForResults: 'MODEST',
          completion: 'LIMITED',
          didItOpenGovernment: 'MARGINAL',
          justification: 'Solo se publicó el primer informe trimestral.',
          evidence: [
            {
              kind: 'LINK',
              url: 'https://www.opengovpartnership.org/documents/informe-r1/',
              sha256: 'ab'.repeat(32),
              mediaType: 'application/pdf',
              description: 'Informe de resultados del MRI',
            },
          ],
        },
      })
    ).positions[0];
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("finds an action plan's events under commitments, each with its line and diff", async () => {
    const nodes = await entries(
      '{ contexts: ["commitments"], types: ["ActionPlanRegistered", "CommitmentWeightsSet"] }',
      assessed,
    );
    expect(nodes.map((node) => node.position)).toEqual([weightsSet, planRegistered]);
    expect(nodes[0]).toMatchObject({
      stream: { type: 'action_plan', context: 'commitments' },
      summary: {
        es: `Pesos de los compromisos en el plan fijados: ${PLANNED} (3)`,
        en: `Commitment weights in the plan set: ${PLANNED} (3)`,
      },
      changes: [{ path: `/commitmentWeights/${PLANNED}`, before: null, after: 3 }],
    });
    expect(nodes[1].summary).toEqual({
      es: `Plan de acción ${PLAN} registrado: «Plan de acción 2024», 2024-01-01 a 2025-12-31`,
      en: `Action plan ${PLAN} registered: "Plan de acción 2024", 2024-01-01 to 2025-12-31`,
    });
    expect(nodes[1].changes).toEqual(
      expect.arrayContaining([{ path: '/status', before: null, after: 'DRAFT' }]),
    );
  });

  it('finds an independent assessment under oversight, with its line and no diff', async () => {
    expect(await entries('{ contexts: ["oversight"] }', assessed)).toEqual([
      {
        position: assessed,
        type: 'IndependentAssessmentRecorded',
        stream: { type: 'assessment', context: 'oversight' },
        summary: {
          es: `Evaluación independiente del compromiso ${PLANNED} (informe de resultados r1): cumplimiento limitado`,
          en: `Independent assessment of commitment ${PLANNED} (results report r1): limited completion`,
        },
        changes: null,
      },
    ]);
  });
});
