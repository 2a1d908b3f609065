import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, Upcasters } from '#event-store';
import { commitmentsContext, CommitmentNotFound, COMMITMENT_UPCASTERS } from '#commitments';
import { InvalidCommand } from '#kernel';
import { openReadDatabase, ProjectionRunner, type Actor } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../test/support/database.js';
import {
  COMMITMENT_ID,
  recordCommand,
  REPORT,
  REPORT_PDF,
  STREAM_ID,
} from '../../../test/assessment.fixtures.js';
import { AssessmentsProjection } from '../read-models/assessments/assessments.projection.js';
import { AssessmentQueries } from '../read-models/assessments/assessments.queries.js';
import { AssessmentCommandHandler } from './assessment-command.handler.js';
import { AssessmentTargets } from './assessment-targets.js';

// The assessments' handler and projection on a real log: the Cartagena demo's commitment,
// assessed by the IRM for its results report, then reassessed with a reason.

const irm: Actor = {
  subject: 'mri-colombia',
  role: 'oversight',
  roles: ['oversight'],
  agencies: [],
  authenticated: true,
};
const REASON = 'El MRI corrigió el informe tras la réplica de la Alcaldía.';
const AT = new Date('2024-03-15T15:00:00.000Z');

describe('recording independent assessments', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let handler: AssessmentCommandHandler;
  let queries: AssessmentQueries;

  const runner = (batchSize: number) =>
    new ProjectionRunner(store, dataSource, [new AssessmentsProjection()], {
      connectionString: database.url,
      batchSize,
    });
  const record = (data: Parameters<typeof recordCommand>[0], commandId?: string) =>
    handler.handle({
      command: recordCommand(data),
      issuer: { kind: 'caller', actor: irm },
      occurredAt: AT,
      ...(commandId !== undefined && { commandId }),
    });
  const dump = () =>
    dataSource.query('SELECT * FROM read.independent_assessments ORDER BY position');

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      pollMs: 100,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    handler = new AssessmentCommandHandler(store, { now: () => new Date('2024-04-01T00:00:00Z') });
    queries = new AssessmentQueries(dataSource);
    await commitmentsContext.demo?.load(store);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await database.drop();
  });

  it('records the first assessment of a report in its own stream, with the caller as actor', async () => {
    const result = await record({}, 'irm-first');
    expect(result).toMatchObject({
      streamType: 'assessment',
      streamId: STREAM_ID,
      streamVersion: 1,
      replayed: false,
    });
    const [event] = await store.readStream(`assessment-${STREAM_ID}`);
    expect(event.type).toBe('IndependentAssessmentRecorded');
    expect(event.data).toMatchObject({ assessmentId: `${STREAM_ID}.1`, completion: 'substantial' });
    expect(event.metadata).toMatchObject({
      actor: { subject: 'mri-colombia', role: 'oversight' },
      occurredAt: AT.toISOString(),
    });
    expect(event.metadata.reason).toBeUndefined();
  });

  it('answers a retry of the same command with its first result, writing nothing', async () => {
    const head = await store.head();
    const again = await record({}, 'irm-first');
    expect(again).toMatchObject({ replayed: true, streamVersion: 1 });
    expect(await store.head()).toBe(head);
  });

  it('refuses a second assessment without a reason, and appends nothing', async () => {
    const head = await store.head();
    await expect(record({ completion: 'limited' })).rejects.toBeInstanceOf(InvalidCommand);
    await expect(record({ completion: 'limited' })).rejects.toMatchObject({
      field: 'reason',
      rule: 'required',
    });
    expect(await store.head()).toBe(head);
  });

  it('supersedes with a reason, which the event metadata carries too', async () => {
    const result = await record({ completion: 'limited', reason: REASON });
    expect(result.streamVersion).toBe(2);
    const events = await store.readStream(`assessment-${STREAM_ID}`);
    expect(events[1].data).toMatchObject({
      assessmentId: `${STREAM_ID}.2`,
      supersedes: `${STREAM_ID}.1`,
      reason: REASON,
    });
    expect(events[1].metadata.reason).toBe(REASON);
  });

  it('keeps another report of the same commitment apart', async () => {
    const result = await record({
      report: { kind: 'action_plan_review', id: 'irm-cartagena-2023' },
      completion: 'not_started',
    });
    expect(result).toMatchObject({
      streamId: `${COMMITMENT_ID}.action_plan_review.irm-cartagena-2023`,
      streamVersion: 1,
    });
  });

  it('projects every assessment, the superseded one marked, newest first', async () => {
    await runner(1000).catchUpOnce();
    const rows = await queries.ofCommitment(COMMITMENT_ID);
    expect(
      rows.map((row) => [
        row.assessmentId,
        row.ordinal,
        row.supersededBy,
        row.assessment.completion,
      ]),
    ).toEqual([
      [`${COMMITMENT_ID}.action_plan_review.irm-cartagena-2023.1`, 1, null, 'not_started'],
      [`${STREAM_ID}.2`, 2, null, 'limited'],
      [`${STREAM_ID}.1`, 1, `${STREAM_ID}.2`, 'substantial'],
    ]);
    const superseding = rows[1];
    expect(superseding).toMatchObject({
      commitmentId: COMMITMENT_ID,
      report: REPORT,
      occurredAt: AT,
      assessment: {
        supersedes: `${STREAM_ID}.1`,
        reason: REASON,
        scheme: { name: 'OGP IRM', version: '2021' },
        openGovernmentLens: { relevant: true, values: ['transparency', 'public_accountability'] },
        evidence: [REPORT_PDF],
      },
    });
    const [event] = await store.readStream(`assessment-${STREAM_ID}`, { fromVersion: 2 });
    expect(superseding.position).toBe(event.position);
    expect(superseding.eventId).toBe(event.id);

    const current = await queries.ofCommitment(COMMITMENT_ID, { current: true });
    expect(current.map((row) => row.assessmentId)).toEqual([
      `${COMMITMENT_ID}.action_plan_review.irm-cartagena-2023.1`,
      `${STREAM_ID}.2`,
    ]);
    expect(await queries.ofCommitment('otro-compromiso')).toEqual([]);
    const batched = await queries.ofCommitments(['otro-compromiso', COMMITMENT_ID], {
      current: true,
    });
    expect(batched.map((rows) => rows.map((row) => row.assessmentId))).toEqual([
      [],
      current.map((row) => row.assessmentId),
    ]);
  });

  it('ends with the same rows when fed one event at a time, or rebuilt', async () => {
    await runner(1000).catchUpOnce();
    const batched = await dump();
    expect(batched).toHaveLength(3);
    await runner(1).rebuild();
    expect(await dump()).toEqual(batched);
  });

  it('checks that the commitment exists, and that its id is one', async () => {
    const targets = new AssessmentTargets(store);
    await expect(targets.check(COMMITMENT_ID)).resolves.toBeUndefined();
    await expect(targets.check('no-existe')).rejects.toBeInstanceOf(CommitmentNotFound);
    await expect(targets.check('no existe')).rejects.toMatchObject({
      field: 'commitmentId',
      rule: 'format',
    });
  });
});
