import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildSchema, parse, validate } from 'graphql';
import { PostgresEventStore, type JsonObject } from '#event-store';
import { registered } from '../../libs/commitments/test/commitment.fixtures.js';
import { bearer, localTokens } from '../support/access.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, runNode, startServer, type ServerProcess } from '../support/server.js';

// Red flags over real HTTP against the built server, and recomputed offline by `cuenta flags`
// from an export of the same log. The history is appended as the events the deciders record,
// with business times months apart (2025), which no single run of commands could write: two
// commitments, an evaluation and a public hearing that together trip every rule. Everything
// is recorded now, so the time-dependent rules are judged 100 days ahead.

const CLI = 'dist/apps/cli/src/main.js';
const AGENCY = 'secretaria-de-planeacion';
const A = 'flags-a';
const B = 'flags-b';
const DAY = 86_400_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses by shape
type Data = Record<string, any>;

let database: TestDatabase;
let dataDir: string;
let server: ServerProcess;
let store: PostgresEventStore;
let mint: Awaited<ReturnType<typeof localTokens>>['mint'];
let asOf: string;
/** Positions by name, as appended. */
const at: Record<string, number> = {};
const positionsOf: Record<string, number[]> = { [A]: [], [B]: [] };

const actor = { subject: 'ana', role: 'steward', agency: AGENCY };

async function put(
  name: string,
  stream: string,
  type: string,
  occurredAt: string,
  data: object,
  schemaVersion = 1,
): Promise<void> {
  const result = await store.append(
    stream,
    [{ type, schemaVersion, data: data as JsonObject, metadata: { actor, occurredAt } }],
    'any',
  );
  at[name] = result.positions[0];
  for (const id of [A, B]) {
    if (stream === `commitment-${id}`) positionsOf[id].push(result.positions[0]);
  }
}

const t = (day: string) => `${day}T15:00:00.000Z`;
const link = {
  kind: 'link',
  url: 'https://example.org/acta.pdf',
  sha256: 'a'.repeat(64),
  mediaType: 'application/pdf',
  description: 'Acta',
};

async function commitment(id: string, endDate: string): Promise<void> {
  const stream = `commitment-${id}`;
  const base = registered({ commitmentId: id, code: id.toUpperCase(), endDate }).data;
  await put(
    `${id}:registered`,
    stream,
    'CommitmentRegistered',
    t('2025-01-10'),
    {
      ...base,
      startDate: '2025-02-01',
      leadAgency: { ...base.leadAgency, id: AGENCY },
      registeredAt: t('2025-01-10'),
    },
    2,
  );
}

const milestone = (id: string, m: string, plannedEnd: string) =>
  put(`${id}:${m}:added`, `commitment-${id}`, 'MilestoneAdded', t('2025-01-10'), {
    commitmentId: id,
    milestoneId: m,
    title: `Hito ${m}`,
    responsibleOffice: 'Secretaría de Planeación',
    plannedStart: '2025-02',
    plannedEnd,
  });

const progress = (
  name: string,
  id: string,
  m: string,
  day: string,
  percent: number,
  evidence = false,
) =>
  put(name, `commitment-${id}`, 'MilestoneProgressReported', t(day), {
    commitmentId: id,
    milestoneId: m,
    percent,
    reportedAt: t(day),
    ...(evidence ? { evidence: [link] } : {}),
  });

const budget = (
  name: string,
  id: string,
  day: string,
  lineId: string,
  phase: string,
  amountCop: number,
) =>
  put(name, `commitment-${id}`, 'BudgetRecorded', t(day), {
    commitmentId: id,
    lineId,
    phase,
    amountCop,
    fundingSource: 'Recursos propios',
    ...(phase === 'approved' ? { reason: 'Ajuste presupuestal' } : {}),
  });

async function publishAndStart(id: string): Promise<void> {
  await put(`${id}:published`, `commitment-${id}`, 'CommitmentPublished', t('2025-01-11'), {
    commitmentId: id,
    publishedAt: t('2025-01-11'),
  });
}

async function history(): Promise<void> {
  // A: in progress past its end, with every kind of warning about its plan, budget and progress.
  await commitment(A, '2025-06-30');
  await milestone(A, 'm1', '2025-05');
  await milestone(A, 'm2', '2025-05');
  await publishAndStart(A);
  await progress('a:m1:10', A, 'm1', '2025-02-15', 10, true);
  await put('a:started', `commitment-${A}`, 'CommitmentStarted', t('2025-02-15'), {
    commitmentId: A,
    startedAt: t('2025-02-15'),
  });
  for (const [name, day, plannedEnd] of [
    ['a:resched1', '2025-03-01', '2025-06'],
    ['a:resched2', '2025-04-01', '2025-07'],
  ]) {
    await put(name, `commitment-${A}`, 'MilestoneRescheduled', t(day), {
      commitmentId: A,
      milestoneId: 'm1',
      plannedStart: '2025-02',
      plannedEnd,
      reason: 'La consulta se amplió',
    });
  }
  await budget('a:l1:1000', A, '2025-03-02', 'l1', 'approved', 1000);
  await budget('a:l1:600', A, '2025-04-02', 'l1', 'approved', 600);
  await budget('a:l2:100', A, '2025-03-03', 'l2', 'approved', 100);
  await budget('a:l2:exec', A, '2025-04-03', 'l2', 'executed', 150);
  await progress('a:m2:40', A, 'm2', '2025-04-10', 40, true);
  await progress('a:m2:20', A, 'm2', '2025-05-10', 20);
  await progress('a:m2:90', A, 'm2', '2025-06-15', 90);

  // B: completed with no evidence, changed afterwards, and contradicted by an assessment.
  await commitment(B, '2025-12-31');
  await milestone(B, 'm1', '2025-05');
  await publishAndStart(B);
  await progress('b:m1:50', B, 'm1', '2025-02-15', 50);
  await put('b:started', `commitment-${B}`, 'CommitmentStarted', t('2025-02-15'), {
    commitmentId: B,
    startedAt: t('2025-02-15'),
  });
  await put('b:m1:done', `commitment-${B}`, 'MilestoneCompleted', t('2025-05-01'), {
    commitmentId: B,
    milestoneId: 'm1',
    completedAt: t('2025-05-01'),
  });
  await put('b:done', `commitment-${B}`, 'CommitmentCompleted', t('2025-05-02'), {
    commitmentId: B,
    completedAt: t('2025-05-02'),
  });
  await budget('b:after', B, '2025-05-10', 'l1', 'executed', 10);
  await put('b:assessed', 'assessment-as1', 'IndependentAssessmentRecorded', t('2025-07-01'), {
    assessmentId: 'as1',
    commitmentId: B,
    report: { kind: 'results_report', id: 'irm-2025' },
    completion: 'limited',
  });

  // An evaluation of A nobody answered.
  await put('e1:submitted', 'evaluation-flags-e1', 'EvaluationSubmitted', t('2025-03-03'), {
    evaluationId: 'flags-e1',
    target: { kind: 'commitment', commitmentId: A },
    agencyId: AGENCY,
    ratings: { clarity: 2 },
    territory: 'localidad-1',
    submittedAt: t('2025-03-03'),
    dueDate: '2025-03-24',
  });

  // A public hearing on A, convened four days ahead, held, with no minutes and an action overdue.
  const space = 'dialogue-space-flags-d1';
  await put('d1:convened', space, 'DialogueSpaceConvened', t('2025-03-01'), {
    dialogueSpaceId: 'flags-d1',
    agencyId: AGENCY,
    kind: 'public_hearing',
    title: 'Audiencia pública',
    convenedAt: t('2025-03-01'),
    startsAt: t('2025-03-05'),
    place: 'Centro de Convenciones',
    channel: 'hybrid',
    agenda: ['Informe de gestión'],
    commitmentIds: [A],
    recordedAt: t('2025-03-01'),
  });
  await put('d1:held', space, 'DialogueSpaceHeld', t('2025-03-05'), {
    dialogueSpaceId: 'flags-d1',
    heldAt: t('2025-03-05'),
  });
  await put('d1:action', space, 'ImprovementActionAgreed', t('2025-03-05'), {
    dialogueSpaceId: 'flags-d1',
    actionId: 'accion-1',
    commitmentId: A,
    description: 'Publicar el cronograma',
    responsibleAgency: AGENCY,
    dueDate: '2025-04-30',
    agreedAt: t('2025-03-05'),
  });
}

const FLAG_FIELDS = `id rule ruleVersion subject { kind id commitmentIds } raisedAt closedAt state
  evidence justifications { position justifiedAt reason }`;

/** Every flag the API shows as of `asOf`, page by page. */
async function allFlags(filter = {}): Promise<Data[]> {
  const flags: Data[] = [];
  let after: string | null = null;
  for (;;) {
    const { body }: { body: { data?: Data; errors?: unknown } } = await graphql<Data>(
      server.url,
      `query ($asOf: DateTime, $after: String, $filter: RedFlagFilterInput) {
        redFlags(asOf: $asOf, first: 7, after: $after, filter: $filter) {
          totalCount asOf pageInfo { hasNextPage endCursor } edges { node { ${FLAG_FIELDS} } } } }`,
      { asOf, after, filter },
    );
    expect(body.errors).toBeUndefined();
    const page: Data = body.data?.redFlags;
    expect(page.asOf).toBe(asOf);
    flags.push(...page.edges.map((edge: Data) => edge.node));
    if (!page.pageInfo.hasNextPage) return flags;
    after = page.pageInfo.endCursor;
  }
}

/** A flag as `cuenta flags` prints it. */
const offlineShape = (flag: Data) => ({
  ...flag,
  state: String(flag.state).toLowerCase(),
  subject: { ...flag.subject, kind: String(flag.subject.kind).toLowerCase() },
});

const justify = (flagId: string, reason: string, headers: Record<string, string>) =>
  graphql<Data>(
    server.url,
    `
      mutation ($input: JustifyRedFlagInput!) {
        justifyRedFlag(input: $input) {
          positions
        }
      }
    `,
    { input: { flagId, reason } },
    headers,
  );

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-red-flags-e2e-'));
  server = await startServer({ DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir });
  ({ mint } = await localTokens(dataDir));
  store = await PostgresEventStore.open({ connectionString: database.url, migrate: false });
  await history();
  asOf = new Date(Math.ceil((Date.now() + 100 * DAY) / 1000) * 1000).toISOString();
  const { body } = await graphql<Data>(
    server.url,
    `{ redFlags(first: 1, minPosition: ${at['d1:action']}) { totalCount } }`,
  );
  expect(body.errors).toBeUndefined();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await store?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('every rule, tripped by one history', () => {
  it('shows each flag with its rule, subject, times, state and evidence positions', async () => {
    const flags = await allFlags();
    const byRule = (rule: string) => flags.filter((flag) => flag.rule === rule);
    const one = (rule: string, subjectId: string) => {
      const found = byRule(rule).filter((flag) => flag.subject.id === subjectId);
      expect(found).toHaveLength(1);
      return found[0];
    };
    expect([...new Set(flags.map((flag) => flag.rule))].sort()).toEqual(
      Array.from({ length: 16 }, (_, i) => `CF-${String(i + 1).padStart(2, '0')}`),
    );
    expect(one('CF-01', 'm1')).toMatchObject({
      id: `CF-01/commitment:${A}/milestone:m1#1`,
      ruleVersion: 1,
      subject: { kind: 'MILESTONE', id: 'm1', commitmentIds: [A] },
      raisedAt: t('2025-04-01'),
      closedAt: null,
      state: 'OPEN',
      evidence: [at['a:resched1'], at['a:resched2']],
    });
    expect(one('CF-02', 'm1').evidence).toEqual([at['a:resched2']]);
    expect(one('CF-03', A)).toMatchObject({
      raisedAt: t('2025-01-10'),
      evidence: positionsOf[A],
    });
    expect(one('CF-03', B).evidence).toEqual(positionsOf[B]);
    expect(one('CF-04', 'l1')).toMatchObject({
      subject: { kind: 'BUDGET_LINE', id: 'l1', commitmentIds: [A] },
      evidence: [at['a:l1:600']],
    });
    expect(one('CF-05', 'l2')).toMatchObject({ state: 'OPEN', evidence: [at['a:l2:exec']] });
    expect(one('CF-06', 'm2').evidence).toEqual([at['a:m2:20']]);
    expect(one('CF-07', B)).toMatchObject({ raisedAt: t('2025-05-10'), evidence: [at['b:after']] });
    expect(one('CF-08', A)).toMatchObject({
      raisedAt: '2025-07-01T05:00:00.000Z',
      state: 'OPEN',
      evidence: [at[`${A}:registered`]],
    });
    expect(byRule('CF-09').map((flag) => [flag.subject.kind, flag.evidence])).toEqual([
      ['COMMITMENT', [at['b:done']]],
      ['MILESTONE', [at['b:m1:done']]],
    ]);
    expect(one('CF-10', A)).toMatchObject({ state: 'OPEN', evidence: [positionsOf[A].at(-1)] });
    expect(one('CF-11', 'm2')).toMatchObject({
      raisedAt: t('2025-06-15'),
      evidence: [at['a:m2:90']],
    });
    expect(one('CF-12', B)).toMatchObject({
      raisedAt: t('2025-07-01'),
      evidence: [at['b:done'], at['b:assessed']],
    });
    expect(one('CF-13', 'flags-e1')).toMatchObject({
      subject: { kind: 'EVALUATION', id: 'flags-e1', commitmentIds: [A] },
      raisedAt: '2025-03-25T05:00:00.000Z',
      evidence: [at['e1:submitted']],
    });
    expect(one('CF-14', 'accion-1')).toMatchObject({
      subject: { kind: 'IMPROVEMENT_ACTION', id: 'accion-1', commitmentIds: [A] },
      raisedAt: '2025-05-01T05:00:00.000Z',
      evidence: [at['d1:action']],
    });
    expect(one('CF-15', 'flags-d1').evidence).toEqual([at['d1:convened']]);
    expect(one('CF-16', 'flags-d1')).toMatchObject({
      raisedAt: '2025-04-04T15:00:00.000Z',
      evidence: [at['d1:held']],
    });
  });

  it('filters by rule, commitment, agency and state, and shows a commitment its own', async () => {
    expect((await allFlags({ rule: 'CF-13' })).map((flag) => flag.id)).toEqual([
      'CF-13/evaluation:flags-e1#1',
    ]);
    const every = await allFlags();
    for (const rule of new Set(every.map((flag) => flag.rule))) {
      expect(await allFlags({ rule })).toEqual(every.filter((flag) => flag.rule === rule));
    }
    const ofB = await allFlags({ commitmentId: B });
    expect(ofB.map((flag) => flag.rule).sort()).toEqual([
      'CF-03',
      'CF-07',
      'CF-09',
      'CF-09',
      'CF-12',
    ]);
    expect(await allFlags({ agencyId: 'otra-agencia' })).toEqual([]);
    expect((await allFlags({ agencyId: AGENCY })).length).toBe((await allFlags()).length);
    expect(await allFlags({ state: 'CLOSED' })).toEqual([]);
    const { body } = await graphql<Data>(
      server.url,
      `query ($asOf: DateTime) { commitment(id: "${B}") { redFlags(asOf: $asOf) { ${FLAG_FIELDS} } } }`,
      { asOf },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.commitment.redFlags).toEqual(ofB);
  });

  it('publishes the rules in force with their versions and thresholds', async () => {
    const { body } = await graphql<Data>(
      server.url,
      '{ redFlagRules { thresholds rules { code version titleEs thresholds { name value } timeDependent } } }',
    );
    const { rules, thresholds } = body.data?.redFlagRules as Data;
    expect(rules).toHaveLength(16);
    expect(rules.find((rule: Data) => rule.code === 'CF-10')).toMatchObject({
      version: 1,
      thresholds: [{ name: 'inactivityDays', value: 90 }],
      timeDependent: true,
    });
    expect(thresholds.minNoticeDays).toBe(8);
  });

  it('is cached at a given asOf, and never when judged at now', async () => {
    const cache = async (query: string) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
      return response.headers.get('x-cuenta-cache');
    };
    const atAsOf = `{ redFlags(asOf: "${asOf}", first: 3) { totalCount } }`;
    await cache(atAsOf);
    expect(await cache(atAsOf)).toBe('hit');
    for (const now of [
      '{ redFlags(first: 3) { totalCount } }',
      `{ commitment(id: "${A}") { redFlags { id } } }`,
    ]) {
      expect([await cache(now), await cache(now)]).toEqual(['miss', 'miss']);
    }
  });

  it('refuses an asOf that is not a time, naming it', async () => {
    const { body } = await graphql<Data>(
      server.url,
      '{ redFlags(asOf: "yesterday") { totalCount } }',
    );
    expect(JSON.stringify(body.errors)).toContain('asOf');
  });
});

describe('justifications', () => {
  const CF08 = `CF-08/commitment:${A}#1`;
  const CF13 = 'CF-13/evaluation:flags-e1#1';

  it("a steward of the flag's agency justifies it: shown beside it, the flag stays open", async () => {
    const steward = bearer(await mint({ role: 'steward', agencies: [AGENCY], subject: 'ana' }));
    const { body } = await justify(CF08, 'La obra se suspendió por orden judicial', steward);
    expect(body.errors).toBeUndefined();
    const [flag] = (await allFlags({ rule: 'CF-08' })) as Data[];
    expect(flag.state).toBe('OPEN');
    expect(flag.justifications).toEqual([
      {
        position: body.data?.justifyRedFlag.positions[0],
        justifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        reason: 'La obra se suspendió por orden judicial',
      },
    ]);
  });

  it('an administrator justifies any flag', async () => {
    const admin = bearer(await mint({ role: 'administrator' }));
    const { body } = await justify(CF13, 'Se respondió por correo certificado', admin);
    expect(body.errors).toBeUndefined();
  });

  it('a steward of another agency and every other role are refused, and nothing is appended', async () => {
    const head = await store.head();
    const foreign = bearer(await mint({ role: 'steward', agencies: ['otra-agencia'] }));
    const refused = await justify(CF08, 'No es nuestro', foreign);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const role of ['citizen', 'moderator', 'oversight', 'internal_control'] as const) {
      const { body } = await justify(CF08, 'r', bearer(await mint({ role })));
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await justify(CF08, 'r', {});
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await store.head()).toBe(head);
  });

  it('refuses a flag that does not exist and an empty reason, naming the field', async () => {
    const admin = bearer(await mint({ role: 'administrator' }));
    const head = await store.head();
    const missing = await justify(`CF-08/commitment:${B}#1`, 'r', admin);
    expect(missing.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RED_FLAG_NOT_FOUND',
      field: 'flagId',
    });
    const empty = await justify(CF08, '   ', admin);
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'reason',
    });
    expect(await store.head()).toBe(head);
  });
});

describe('cuenta flags', () => {
  it('recomputes from an export exactly the flags the API shows, at the same asOf', async () => {
    const env = { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir };
    const dir = path.join(dataDir, 'export');
    const exported = await runNode(CLI, ['export', dir], env);
    expect(exported.code).toBe(0);
    const { body } = await graphql<Data>(
      server.url,
      `
        {
          ledgerInfo {
            verifierKey
            size
          }
          redFlagRules {
            thresholds
          }
        }
      `,
    );
    const thresholdsFile = path.join(dataDir, 'thresholds.json');
    await writeFile(thresholdsFile, JSON.stringify(body.data?.redFlagRules.thresholds));
    const offline = await runNode(
      CLI,
      [
        'flags',
        dir,
        '--as-of',
        asOf,
        '--key',
        body.data?.ledgerInfo.verifierKey,
        '--thresholds',
        thresholdsFile,
      ],
      env,
    );
    expect(offline.code).toBe(0);
    const printed = JSON.parse(offline.stdout) as Data;
    expect(printed.asOf).toBe(asOf);
    expect(printed.events).toBe(body.data?.ledgerInfo.size);
    // The log the export holds, as the API shows it once its read models hold all of it.
    const api = await allFlags();
    expect(api.some((flag) => flag.justifications.length > 0)).toBe(true);
    expect(printed.flags).toEqual(api.map(offlineShape));
    expect(JSON.stringify(printed.flags)).toBe(JSON.stringify(api.map(offlineShape)));
  });

  it('refuses a missing --as-of and bad thresholds with a usage error', async () => {
    const env = { DATABASE_URL: database.url, CUENTA_DATA_DIR: dataDir };
    const missing = await runNode(CLI, ['flags', dataDir], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--as-of is required');
    const bad = path.join(dataDir, 'bad.json');
    await writeFile(bad, '{"inactivityDays": 5}');
    const refused = await runNode(
      CLI,
      ['flags', dataDir, '--as-of', '2026-01-01', '--thresholds', bad],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('inactivityDays must be a whole number from 30 to 3650');
  });
});

describe('docs/oversight/red-flags.md', () => {
  it('has examples valid against the committed schema, and its queries answer without errors', async () => {
    const schema = buildSchema(await readFile('docs/schema.graphql', 'utf8'));
    const doc = await readFile('docs/oversight/red-flags.md', 'utf8');
    const blocks = [...doc.matchAll(/```graphql\n([\s\S]*?)\n```/g)].map((match) => match[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      expect({ block, errors: validate(schema, parse(block)).map((e) => e.message) }).toEqual({
        block,
        errors: [],
      });
      if (/^\s*mutation\b/.test(block)) continue;
      const { body } = await graphql(server.url, block);
      expect({ block, errors: body.errors }).toEqual({ block, errors: undefined });
    }
  });
});
