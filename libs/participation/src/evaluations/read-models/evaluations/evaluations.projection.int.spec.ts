import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '#platform';
import {
  CARTAGENA,
  CARTAGENA_AGENCY,
  evaluationWorld,
  type EvaluationWorld,
} from '../../../../test/evaluations/evaluation-world.js';
import { colombianDate, type EvaluationCommand } from '../../domain/index.js';
import { evaluationFromRow } from '../../graphql/evaluation.mapper.js';

const citizen: Actor = {
  subject: 'ana',
  authenticated: true,
  roles: ['citizen'],
  agencies: [],
  role: 'citizen',
};
const steward: Actor = {
  subject: 'luis',
  authenticated: true,
  roles: ['steward'],
  agencies: [CARTAGENA_AGENCY],
  role: 'steward',
};
const moderator: Actor = {
  subject: 'mara',
  authenticated: true,
  roles: ['moderator'],
  agencies: [],
  role: 'moderator',
};

describe('the evaluations read model', () => {
  let world: EvaluationWorld;
  const as = (actor: Actor, command: EvaluationCommand, occurredAt?: string) =>
    world.handler.handle({
      command,
      issuer: { kind: 'caller', actor },
      occurredAt: occurredAt ? new Date(occurredAt) : undefined,
    });
  const submit = (id: string, data: Record<string, unknown>, occurredAt?: string) =>
    as(
      citizen,
      {
        type: 'SubmitEvaluation',
        data: {
          evaluationId: id,
          target: { kind: 'milestone', commitmentId: CARTAGENA, milestoneId: 'm6' },
          ratings: { clarity: 4 },
          territory: 'localidad-1',
          ...data,
        },
      },
      occurredAt,
    );

  beforeAll(async () => {
    world = await evaluationWorld();
    // Long past its due date, never answered: overdue.
    await submit('old', { ratings: { clarity: 1, progress: 1 } }, '2023-11-01T15:00:00Z');
    // Answered twice: the later answer shows.
    await submit(
      'answered',
      { ratings: { clarity: 5 }, territory: 'ucg-3' },
      '2023-11-02T15:00:00Z',
    );
    await as(steward, {
      type: 'AnswerEvaluation',
      data: { evaluationId: 'answered', answer: 'Primera' },
    });
    await as(steward, {
      type: 'AnswerEvaluation',
      data: { evaluationId: 'answered', answer: 'Segunda' },
    });
    // Fresh: pending.
    await submit('fresh', {
      ratings: { clarity: 3 },
      target: { kind: 'commitment', commitmentId: CARTAGENA },
    });
    // Reported three times: hidden automatically.
    await submit('reported', { ratings: { clarity: 2 } });
    // By three reporters: each one counts once.
    for (const [i, reason] of ['offensive', 'offensive', 'spam'].entries()) {
      const reporter = `${citizen.subject}-${i}`;
      await as(
        { ...citizen, subject: reporter },
        { type: 'ReportEvaluation', data: { evaluationId: 'reported', reason, reporter } },
      );
    }
    await world.project();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('lists newest first with the answer state worked out in Colombia', async () => {
    const rows = await world.queries.page({ commitmentId: CARTAGENA }, 10);
    expect(rows.map((r) => [r.id, r.answer_state])).toEqual([
      ['reported', 'pending'],
      ['fresh', 'pending'],
      ['answered', 'answered'],
      ['old', 'overdue'],
    ]);
    const answered = evaluationFromRow(rows[2]);
    expect(answered).toMatchObject({ answers: 2, answer: { text: 'Segunda' } });
    // 2023-11-02 plus 15 business days, skipping 6 and 13 November (holidays in Colombia).
    expect(answered.dueDate).toBe('2023-11-27');
  });

  it('filters by target, territory, answer and moderation state, and pages by cursor', async () => {
    const ids = async (filter: Parameters<EvaluationWorld['queries']['page']>[0]) =>
      (await world.queries.page(filter, 10)).map((r) => r.id);
    expect(await ids({ targetKind: 'commitment' })).toEqual(['fresh']);
    expect(await ids({ territory: 'ucg-3' })).toEqual(['answered']);
    expect(await ids({ answerState: 'overdue' })).toEqual(['old']);
    expect(await ids({ answerState: 'pending' })).toEqual(['reported', 'fresh']);
    expect(await ids({ moderationState: 'hidden' })).toEqual(['reported']);
    const [first] = await world.queries.page({}, 1);
    const after = await world.queries.page({}, 10, Number(first.submitted_position));
    expect(after.map((r) => r.id)).toEqual(['fresh', 'answered', 'old']);
    expect(await world.queries.count({ milestoneId: 'm6' })).toBe(3);
  });

  it('shows a hidden evaluation as a placeholder and leaves its ratings out of the averages', async () => {
    const row = await world.queries.byId('reported');
    if (row === undefined) throw new Error('no row for the reported evaluation');
    const hidden = evaluationFromRow(row);
    expect(hidden).toMatchObject({
      ratings: null,
      reports: 3,
      moderation: { state: 'hidden', category: 'offensive', automatic: true },
    });
    expect(hidden.placeholder).toBe(
      `moderated on ${colombianDate(hidden.moderation.hiddenAt ?? new Date(NaN))}: offensive`,
    );
    expect(await world.queries.ratings({ commitmentId: CARTAGENA })).toEqual({
      count: 4,
      hidden: 1,
      clarity: 3, // (1 + 5 + 3) / 3: the hidden 2 is left out
      progress: 1,
      dialogueUsefulness: null,
    });
  });

  it('counts the ratings again once a moderator restores it', async () => {
    await as(moderator, {
      type: 'RestoreEvaluation',
      data: { evaluationId: 'reported', reason: 'criticism, not insult' },
    });
    await world.project();
    expect((await world.queries.ratings({ commitmentId: CARTAGENA })).clarity).toBe(2.75);
    expect((await world.queries.byId('reported'))?.moderation_state).toBe('visible');
  });
});
