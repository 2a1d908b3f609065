import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { commitmentsContext, COMMITMENT_UPCASTERS } from '#commitments';
import { PostgresEventStore, Upcasters } from '#event-store';
import { EvaluationCommandHandler, evaluationsReadModel } from '#participation';
import { openReadDatabase, ProjectionRunner, type Actor } from '#platform';
import {
  createTestDatabase,
  READ_MODELS,
  type TestDatabase,
} from '../../../../../test/support/database.js';

const COMMITMENT = 'cartagena-cuenta-2023';
const AGENCY = 'alcaldia-cartagena';
const actor = (subject: string, role: Actor['roles'][number], agencies: string[] = []): Actor => ({
  subject,
  authenticated: true,
  roles: [role],
  agencies,
  role,
});
const citizen = actor('ana', 'citizen');
const steward = actor('luis', 'steward', [AGENCY]);
const moderator = actor('mara', 'moderator');

// What read.evaluation_statistics must hold: the visible evaluations summed from scratch.
const FROM_SCRATCH = `
  SELECT e.territory, round(extract(epoch FROM e.answered_at - e.submitted_at) / 864)::int AS hundredths,
    count(*)::int AS evaluations,
    count(e.clarity)::int AS clarity_n, coalesce(sum(e.clarity), 0)::int AS clarity_sum,
    count(e.progress)::int AS progress_n, coalesce(sum(e.progress), 0)::int AS progress_sum,
    count(e.dialogue_usefulness)::int AS usefulness_n,
    coalesce(sum(e.dialogue_usefulness), 0)::int AS usefulness_sum,
    count(e.answered_at)::int AS answered
  FROM read.evaluations e WHERE e.moderation_state = 'visible'
  GROUP BY 1, 2 ORDER BY 1, 2`;
const KEPT = `
  SELECT territory, hundredths, evaluations, clarity_n, clarity_sum, progress_n, progress_sum,
    usefulness_n, usefulness_sum, answered
  FROM read.evaluation_statistics ORDER BY 1, 2`;

describe("the statistics' evaluation aggregates", () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let handler: EvaluationCommandHandler;
  let runner: ProjectionRunner;

  const as = async (who: Actor, type: string, data: Record<string, unknown>, at?: string) => {
    await handler.handle({
      command: { type, data } as never,
      issuer: { kind: 'caller', actor: who },
      occurredAt: at === undefined ? undefined : new Date(at),
    });
  };
  const submit = (id: string, territory: string, ratings: Record<string, number>, at: string) =>
    as(
      citizen,
      'SubmitEvaluation',
      {
        evaluationId: id,
        target: { kind: 'commitment', commitmentId: COMMITMENT },
        ratings,
        territory,
      },
      at,
    );
  const answer = (id: string, text: string, at: string) =>
    as(steward, 'AnswerEvaluation', { evaluationId: id, answer: text }, at);
  const expectSameAsFromScratch = async () => {
    const expected: unknown[] = await dataSource.query(FROM_SCRATCH);
    // Row for row: a key whose evaluations are all gone is not kept, as a rebuild keeps none.
    expect(await dataSource.query(KEPT)).toEqual(expected);
    return expected;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await PostgresEventStore.open({
      connectionString: database.url,
      pollMs: 100,
      upcasters: new Upcasters([...COMMITMENT_UPCASTERS]),
    });
    dataSource = await openReadDatabase({ connectionString: database.url, ...READ_MODELS });
    await commitmentsContext.demo?.load(store);
    handler = new EvaluationCommandHandler(store, undefined, {
      now: () => new Date('2024-03-01T12:00:00Z'),
    });
    runner = new ProjectionRunner(
      store,
      dataSource,
      evaluationsReadModel.projections({ store, dataSource }),
      {
        connectionString: database.url,
        batchSize: 500,
      },
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  it('equal a from-scratch sum as evaluations arrive, are answered, hidden and restored', async () => {
    await submit('a', 'localidad-1', { clarity: 4, progress: 2 }, '2024-02-01T15:00:00Z');
    await submit('b', 'localidad-1', { clarity: 2 }, '2024-02-02T15:00:00Z');
    await submit('c', 'ucg-3', { clarity: 5, dialogue_usefulness: 3 }, '2024-02-03T15:00:00Z');
    await submit('d', 'localidad-1', { progress: 5 }, '2024-02-04T15:00:00Z');
    await answer('a', 'Primera', '2024-02-03T03:00:00Z');
    await answer('c', 'Respuesta', '2024-02-05T15:00:00Z');
    await runner.catchUpOnce();
    const first = await expectSameAsFromScratch();
    expect(first).toHaveLength(3); // b and d, unanswered in localidad-1, share a row

    // Answered again, hidden by reports, then restored: each change moves the sums.
    await answer('a', 'Segunda', '2024-02-10T15:00:00Z');
    for (const [i, reason] of ['offensive', 'offensive', 'spam'].entries()) {
      const reporter = `reporter-${i}`;
      await as(actor(reporter, 'citizen'), 'ReportEvaluation', {
        evaluationId: 'b',
        reason,
        reporter,
      });
    }
    await runner.catchUpOnce();
    expect(
      (await dataSource.query(`SELECT moderation_state FROM read.evaluations WHERE id = 'b'`))[0],
    ).toEqual({ moderation_state: 'hidden' });
    const hidden = await expectSameAsFromScratch();
    expect(hidden).not.toEqual(first);

    await as(moderator, 'RestoreEvaluation', { evaluationId: 'b', reason: 'criticism' });
    await runner.catchUpOnce();
    await expectSameAsFromScratch();

    // The only evaluation of ucg-3 hidden: its key counts nothing, and is gone as from scratch.
    await as(moderator, 'HideEvaluation', {
      evaluationId: 'c',
      category: 'spam',
      reason: 'advertising',
    });
    await runner.catchUpOnce();
    const emptied = await expectSameAsFromScratch();
    expect(emptied.map((row) => (row as { territory: string }).territory)).not.toContain('ucg-3');
  });

  it('equal a from-scratch sum after the evaluations are rebuilt', async () => {
    const before = await expectSameAsFromScratch();
    await dataSource.query('DELETE FROM read.evaluation_statistics');
    const [outcome] = await runner.rebuild();
    expect(outcome).toMatchObject({ status: 'rebuilt' });
    expect(await expectSameAsFromScratch()).toEqual(before);
  });
});
