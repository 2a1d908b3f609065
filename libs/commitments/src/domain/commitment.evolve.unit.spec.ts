import { describe, expect, it } from '@jest/globals';

import { evolve, foldCommitment } from './commitment.evolve.js';
import { initialState, type CommitmentState } from './commitment.state.js';
import {
  NOW,
  budgetRecorded,
  commitmentCompleted,
  evidence,
  milestoneAdded,
  milestoneCancelled,
  milestoneCompleted,
  milestoneRescheduled,
  progressReported,
  published,
  registered,
  revised,
  started,
  withdrawn,
} from '../../test/commitment.fixtures.js';
import { withIds } from '../../test/commitment.decider-spec.js';

const fold = (events: Parameters<typeof withIds>[0]) => foldCommitment(withIds(events));

function milestone(state: CommitmentState, id: string) {
  if (state.status === 'empty') throw new Error('no commitment');
  const found = state.milestones.find((m) => m.id === id);
  if (found === undefined) throw new Error(`no milestone ${id}`);
  return found;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('evolve over a realistic history', () => {
  const t = (day: string) => `${day}T15:00:00.000Z`;
  const acta = evidence({ fileName: 'acta-2023-03-15.txt', sha256: 'b'.repeat(64) });
  const informe = evidence({ fileName: 'informe-final.txt', sha256: 'c'.repeat(64) });
  const history = withIds([
    registered(),
    milestoneAdded('m1', { plannedStart: '2023-01', plannedEnd: '2023-03' }),
    milestoneAdded('m2', { plannedStart: '2023-02', plannedEnd: '2023-04' }),
    milestoneAdded('m3', { plannedStart: '2023-05', plannedEnd: '2023-12' }),
    budgetRecorded({ phase: 'proposed', amountCop: 180_000_000 }),
    revised({ inclusionGroups: ['Mujeres', 'Jóvenes'] }, 'Observación del comité ciudadano'),
    published(t('2023-01-16')),
    budgetRecorded({ phase: 'approved', amountCop: 150_000_000 }),
    started(t('2023-02-01')),
    progressReported('m1', 30, { reportedAt: t('2023-02-01'), evidence: [acta] }),
    milestoneRescheduled('m1', {
      plannedStart: '2023-01',
      plannedEnd: '2023-05',
      reason: 'Consulta ampliada',
    }),
    progressReported('m1', 70, { reportedAt: t('2023-04-10') }),
    milestoneCompleted('m1', { completedAt: t('2023-05-20'), evidence: [informe] }),
    milestoneCancelled('m2', 'Se integró al hito m3'),
    budgetRecorded({ phase: 'executed', amountCop: 90_000_000 }),
    progressReported('m3', 100, { reportedAt: t('2023-12-01') }),
    milestoneCompleted('m3', { completedAt: t('2023-12-15') }),
    commitmentCompleted(t('2023-12-20')),
  ]);

  it('folds into the completed commitment, every field accounted for', () => {
    const { history: kept, ...state } = foldCommitment(history) as Extract<
      CommitmentState,
      { status: 'completed' }
    >;
    const { commitmentId, registeredAt, ...fields } = registered().data;
    expect(state).toStrictEqual({
      status: 'completed',
      id: commitmentId,
      ...fields,
      inclusionGroups: ['Mujeres', 'Jóvenes'],
      registeredAt,
      publishedAt: t('2023-01-16'),
      startedAt: t('2023-02-01'),
      completedAt: t('2023-12-20'),
      milestones: [
        {
          id: 'm1',
          title: 'Hito m1',
          responsibleOffice: 'Secretaría de Planeación',
          plannedStart: '2023-01',
          plannedEnd: '2023-05',
          status: 'completed',
          completedAt: t('2023-05-20'),
          progress: 100,
          lastReportedAt: t('2023-04-10'),
          evidence: [
            { ...acta, reportedAt: t('2023-02-01') },
            { ...informe, reportedAt: t('2023-05-20') },
          ],
          reschedules: 1,
        },
        {
          id: 'm2',
          title: 'Hito m2',
          responsibleOffice: 'Secretaría de Planeación',
          plannedStart: '2023-02',
          plannedEnd: '2023-04',
          status: 'cancelled',
          cancelledAt: NOW,
          cancellationReason: 'Se integró al hito m3',
          progress: 0,
          evidence: [],
          reschedules: 0,
        },
        {
          id: 'm3',
          title: 'Hito m3',
          responsibleOffice: 'Secretaría de Planeación',
          plannedStart: '2023-05',
          plannedEnd: '2023-12',
          status: 'completed',
          completedAt: t('2023-12-15'),
          progress: 100,
          lastReportedAt: t('2023-12-01'),
          evidence: [],
          reschedules: 0,
        },
      ],
      budget: [
        {
          id: 'rubro-1',
          fundingSource: 'Recursos propios',
          amounts: { proposed: 180_000_000, approved: 150_000_000, executed: 90_000_000 },
        },
      ],
      corrections: [],
    });
    expect(kept).toEqual(history);
  });

  it('passes through the statuses of the lifecycle in order', () => {
    const statuses = history
      .map((_, i) => foldCommitment(history.slice(0, i + 1)).status)
      .filter((status, i, all) => status !== all[i - 1]);
    expect(statuses).toEqual(['draft', 'published', 'in_progress', 'completed']);
  });

  it('never changes the state it is given', () => {
    const states = history.reduce<CommitmentState[]>(
      (acc, event) => [...acc, evolve(deepFreeze(acc[acc.length - 1]), event)],
      [initialState],
    );
    expect(states).toHaveLength(history.length + 1);
    expect(states[states.length - 1].status).toBe('completed');
  });
});

describe('evolve, milestone by milestone', () => {
  const draft = [registered(), milestoneAdded('m1')];

  it('does not call a reschedule in a draft a delay', () => {
    const state = fold([...draft, milestoneRescheduled('m1')]);
    expect(milestone(state, 'm1')).toMatchObject({
      status: 'scheduled',
      plannedStart: '2023-03',
      plannedEnd: '2023-08',
      reschedules: 1,
    });
  });

  it('marks a milestone delayed when a reschedule after publication moves its end later', () => {
    const state = fold([...draft, published(), milestoneRescheduled('m1')]);
    expect(milestone(state, 'm1').status).toBe('delayed');
  });

  it('does not mark a milestone delayed when its end moves earlier', () => {
    const state = fold([
      ...draft,
      published(),
      milestoneRescheduled('m1', { plannedEnd: '2023-05' }),
    ]);
    expect(milestone(state, 'm1').status).toBe('scheduled');
  });

  it('keeps a delayed milestone delayed while progress is reported', () => {
    const state = fold([
      ...draft,
      published(),
      milestoneRescheduled('m1'),
      started(),
      progressReported('m1', 50),
    ]);
    expect(milestone(state, 'm1')).toMatchObject({ status: 'delayed', progress: 50 });
  });

  it('puts a milestone back to scheduled when its progress is reported as 0', () => {
    const state = fold([
      ...draft,
      published(),
      started(),
      progressReported('m1', 20),
      progressReported('m1', 0),
    ]);
    expect(milestone(state, 'm1')).toMatchObject({ status: 'scheduled', progress: 0 });
  });

  it('replaces an approved amount with its adjustment and keeps both phases', () => {
    const state = fold([
      registered(),
      budgetRecorded({ phase: 'approved', amountCop: 100 }),
      budgetRecorded({ phase: 'adjusted', amountCop: 80, reason: 'Recorte' }),
      budgetRecorded({ phase: 'adjusted', amountCop: 90, reason: 'Adición' }),
    ]);
    expect(state.status !== 'empty' && state.budget).toEqual([
      {
        id: 'rubro-1',
        fundingSource: 'Recursos propios',
        amounts: { approved: 100, adjusted: 90 },
      },
    ]);
  });

  it('keeps the reason a commitment was withdrawn, and when it was published', () => {
    const state = fold([registered(), published(), withdrawn('Duplicado')]);
    expect(state).toMatchObject({
      status: 'withdrawn',
      withdrawalReason: 'Duplicado',
      withdrawnAt: NOW,
      publishedAt: published().data.publishedAt,
    });
  });
});

describe('evolve on events that do not fit', () => {
  it('ignores everything before a registration', () => {
    expect(fold([published(), milestoneAdded('m1')])).toEqual(initialState);
  });

  it('ignores progress on a milestone that does not exist, but keeps the event', () => {
    const before = fold([registered(), published(), started()]);
    const after = evolve(before, { ...progressReported('m9', 10), id: 'x' });
    expect(after.status !== 'empty' && after.milestones).toEqual([]);
    expect(after.status !== 'empty' && after.history.map((e) => e.id)).toEqual([
      'event-1',
      'event-2',
      'event-3',
      'x',
    ]);
  });

  it('ignores a second registration and a completion out of turn', () => {
    const after = fold([registered(), registered({ title: 'Otro' }), commitmentCompleted()]);
    expect(after).toMatchObject({ status: 'draft', title: registered().data.title });
  });

  it('changes nothing for an event type it does not know', () => {
    const before = fold([registered()]);
    const after = evolve(before, { type: 'CommitmentRenamed', data: {}, id: 'x' } as never);
    expect({ ...after, history: [] }).toEqual({ ...before, history: [] });
  });

  it('ignores progress on a closed milestone', () => {
    const state = fold([
      registered(),
      milestoneAdded('m1'),
      published(),
      started(),
      milestoneCompleted('m1'),
      progressReported('m1', 30),
      milestoneRescheduled('m1'),
      milestoneCancelled('m1'),
    ]);
    expect(milestone(state, 'm1')).toMatchObject({
      status: 'completed',
      progress: 100,
      plannedEnd: '2023-06',
      reschedules: 0,
    });
  });
});
