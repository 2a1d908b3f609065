import { describe, expect, it } from '@jest/globals';

import type { CommitmentCommand } from './commitment.commands.js';
import { decide } from './commitment.decide.js';
import {
  InvalidCommand,
  MilestoneNotFound,
  MilestoneOutsideCommitment,
  UncorrectableEvent,
} from './commitment.errors.js';
import type { CommitmentEvent, StoredCommitmentEvent } from './commitment.events.js';
import { evolve, foldCommitment } from './commitment.evolve.js';
import type { CommitmentState } from './commitment.state.js';
import {
  NOW,
  budgetRecorded,
  correctEvent,
  corrected,
  evidence,
  histories,
  milestoneRescheduled,
  progressReported,
  registered,
  revised,
} from '../../test/commitment.fixtures.js';
import { TEST_NOW, given, withIds } from '../../test/commitment.decider-spec.js';

// Event ids in `given` are event-1, event-2, ... in order. The in-progress history is:
// 1 registered, 2 m1 added, 3 m2 added, 4 published, 5 started, 6 m1 at 40%.
const inProgress = histories.in_progress;

/** Decides `command` after `events` and folds the result, as a command handler would. */
function afterCommand(
  events: readonly (CommitmentEvent | StoredCommitmentEvent)[],
  command: CommitmentCommand,
): CommitmentState {
  const stored = withIds(events);
  const state = foldCommitment(stored);
  return decide(command, state, { now: TEST_NOW })
    .map((event, i) => ({ ...event, id: `new-${i + 1}` }))
    .reduce(evolve, state);
}

function progressOf(state: CommitmentState, milestoneId: string): number | undefined {
  return state.status === 'empty'
    ? undefined
    : state.milestones.find((m) => m.id === milestoneId)?.progress;
}

describe('correcting a progress report', () => {
  it('changes the progress it reported', () => {
    const state = afterCommand(
      inProgress,
      correctEvent({ eventId: 'event-6', corrected: { percent: 35 } }),
    );
    expect(progressOf(state, 'm1')).toBe(35);
  });

  it('leaves later reports on top of the corrected one', () => {
    const state = afterCommand(
      [...inProgress, progressReported('m1', 80)],
      correctEvent({ eventId: 'event-6', corrected: { percent: 35 } }),
    );
    expect(progressOf(state, 'm1')).toBe(80);
  });

  it('records what was corrected, why and when, and keeps both events in the history', () => {
    const state = afterCommand(
      inProgress,
      correctEvent({
        eventId: 'event-6',
        corrected: { percent: 35 },
        reason: 'Error de digitación',
      }),
    );
    expect(state.status !== 'empty' && state.corrections).toEqual([
      {
        eventId: 'new-1',
        correctedEventId: 'event-6',
        correctedEventType: 'MilestoneProgressReported',
        retracted: false,
        reason: 'Error de digitación',
        correctedAt: NOW,
      },
    ]);
    expect(state.status !== 'empty' && state.history.map((e) => e.type)).toEqual([
      'CommitmentRegistered',
      'MilestoneAdded',
      'MilestoneAdded',
      'CommitmentPublished',
      'CommitmentStarted',
      'MilestoneProgressReported',
      'EventCorrected',
    ]);
  });

  it('removes an optional field given as null', () => {
    given([...histories.published, progressReported('m1', 40, { note: 'Nota equivocada' })])
      .when(correctEvent({ eventId: 'event-5', corrected: { note: null } }))
      .then([
        corrected({
          correctedEventId: 'event-5',
          reason: 'El dato se digitó mal',
          replacement: progressReported('m1', 40),
        }),
      ]);
  });

  it('replaces evidence with a corrected hash', () => {
    const wrong = evidence({ sha256: 'a'.repeat(64) });
    const right = evidence({ sha256: 'd'.repeat(64) });
    const state = afterCommand(
      [...histories.published, progressReported('m1', 40, { evidence: [wrong] })],
      correctEvent({ eventId: 'event-5', corrected: { evidence: [right] } as never }),
    );
    expect(state.status !== 'empty' && state.milestones[0].evidence.map((e) => e.sha256)).toEqual([
      'd'.repeat(64),
    ]);
  });

  it('checks the corrected data as strictly as the command', () => {
    given(inProgress)
      .when(correctEvent({ eventId: 'event-6', corrected: { percent: 150 } }))
      .thenFails(InvalidCommand, { field: 'corrected.percent', rule: 'range' });
  });

  it('refuses to change which milestone the report is about', () => {
    given(inProgress)
      .when(correctEvent({ eventId: 'event-6', corrected: { milestoneId: 'm2' } }))
      .thenFails(InvalidCommand, { field: 'corrected.milestoneId', rule: 'not_a_field' });
  });

  it('refuses a correction that changes nothing', () => {
    given(inProgress)
      .when(correctEvent({ eventId: 'event-6', corrected: { percent: 40 } }))
      .thenFails(InvalidCommand, { field: 'corrected', rule: 'no_change' });
  });

  it('refuses a correction without a reason', () => {
    given(inProgress)
      .when(correctEvent({ eventId: 'event-6', corrected: { percent: 35 }, reason: '' }))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'required' });
  });
});

describe('retracting an event', () => {
  it('takes a progress report out of the history as read', () => {
    const state = afterCommand(
      [...inProgress, progressReported('m1', 80)],
      correctEvent({ eventId: 'event-7', corrected: undefined }),
    );
    expect(progressOf(state, 'm1')).toBe(40);
  });

  it('restores a milestone rescheduled by mistake', () => {
    const state = afterCommand(
      [...inProgress, milestoneRescheduled('m1')],
      correctEvent({ eventId: 'event-7', corrected: undefined }),
    );
    expect(state.status !== 'empty' && state.milestones[0]).toMatchObject({
      plannedStart: '2023-02',
      plannedEnd: '2023-06',
      status: 'in_progress',
      reschedules: 0,
    });
  });

  it('restores the earlier budget amount', () => {
    const state = afterCommand(
      [
        ...inProgress,
        budgetRecorded({ amountCop: 100 }),
        budgetRecorded({ amountCop: 1_000, reason: 'Adición' }),
      ],
      correctEvent({ eventId: 'event-8', corrected: undefined }),
    );
    expect(state.status !== 'empty' && state.budget[0].amounts).toEqual({ approved: 100 });
  });

  it('refuses to retract an event already retracted', () => {
    given([
      ...inProgress,
      corrected({ correctedEventId: 'event-6', correctedEventType: 'MilestoneProgressReported' }),
    ])
      .when(correctEvent({ eventId: 'event-6', corrected: undefined }))
      .thenFails(InvalidCommand, { field: 'eventId', rule: 'no_change' });
  });

  it('can restate a retracted event, starting from its original data', () => {
    const state = afterCommand(
      [
        ...inProgress,
        corrected({ correctedEventId: 'event-6', correctedEventType: 'MilestoneProgressReported' }),
      ],
      correctEvent({ eventId: 'event-6', corrected: { percent: 45 } }),
    );
    expect(progressOf(state, 'm1')).toBe(45);
  });

  it.each([
    ['the registration', 'event-1', 'CommitmentRegistered'],
    ['an added milestone', 'event-2', 'MilestoneAdded'],
  ])('refuses to retract %s, which later events depend on', (_what, eventId, eventType) => {
    given(inProgress)
      .when(correctEvent({ eventId, corrected: undefined }))
      .thenFails(UncorrectableEvent, {
        code: 'EVENT_NOT_CORRECTABLE',
        field: 'corrected',
        eventType,
        rule: 'not_retractable',
      });
  });
});

describe('what a correction may supersede', () => {
  it.each([
    ['the publication', 'event-4', 'CommitmentPublished'],
    ['the start', 'event-5', 'CommitmentStarted'],
    ['a correction', 'event-7', 'EventCorrected'],
  ])('not %s', (_what, eventId, eventType) => {
    given([...inProgress, corrected({ correctedEventId: 'event-6' })])
      .when(correctEvent({ eventId, corrected: { reason: 'x' } }))
      .thenFails(UncorrectableEvent, { eventType, rule: 'not_correctable' });
  });

  it('the latest correction of an event wins', () => {
    const state = afterCommand(
      [
        ...inProgress,
        corrected({ correctedEventId: 'event-6', replacement: progressReported('m1', 30) }),
      ],
      correctEvent({ eventId: 'event-6', corrected: { percent: 20 } }),
    );
    expect(progressOf(state, 'm1')).toBe(20);
    expect(state.status !== 'empty' && state.corrections).toHaveLength(2);
  });

  it('a milestone’s dates, within the commitment’s', () => {
    given(inProgress)
      .when(correctEvent({ eventId: 'event-2', corrected: { plannedEnd: '2024-03' } }))
      .thenFails(MilestoneOutsideCommitment, { field: 'corrected', milestoneId: 'm1' });
  });

  it('the registration’s dates, as long as the milestones still fit', () => {
    given(inProgress)
      .when(correctEvent({ eventId: 'event-1', corrected: { endDate: '2023-04-30' } }))
      .thenFails(MilestoneOutsideCommitment, { field: 'corrected', milestoneId: 'm1' });
  });

  it('a registration field checked as at registration', () => {
    given(inProgress)
      .when(correctEvent({ eventId: 'event-1', corrected: { code: 'con espacios' } }))
      .thenFails(InvalidCommand, { field: 'corrected.code', rule: 'format' });
  });

  it('not the registration’s id', () => {
    given(inProgress)
      .when(correctEvent({ eventId: 'event-1', corrected: { commitmentId: 'c9' } }))
      .thenFails(InvalidCommand, { field: 'corrected.commitmentId', rule: 'not_a_field' });
  });

  it('a budget record, but not onto a milestone that does not exist', () => {
    given([...inProgress, budgetRecorded()])
      .when(correctEvent({ eventId: 'event-7', corrected: { milestoneId: 'm404' } }))
      .thenFails(MilestoneNotFound, { field: 'corrected.milestoneId', milestoneId: 'm404' });
  });

  it('a budget record moved to a milestone that exists', () => {
    const state = afterCommand(
      [...inProgress, budgetRecorded()],
      correctEvent({ eventId: 'event-7', corrected: { milestoneId: 'm2' } }),
    );
    expect(state.status !== 'empty' && state.budget[0].milestoneId).toBe('m2');
  });

  it('a reschedule’s reason', () => {
    given([...inProgress, milestoneRescheduled('m1')])
      .when(correctEvent({ eventId: 'event-7', corrected: { reason: 'Motivo completo' } }))
      .then([
        corrected({
          correctedEventId: 'event-7',
          correctedEventType: 'MilestoneRescheduled',
          reason: 'El dato se digitó mal',
          replacement: milestoneRescheduled('m1', { reason: 'Motivo completo' }),
        }),
      ]);
  });

  it('a revision, whose changes must not be empty', () => {
    given([registered(), revised({ resources: 'Recursos propios' })])
      .when(correctEvent({ eventId: 'event-2', corrected: { changes: {} } }))
      .thenFails(InvalidCommand, { field: 'corrected.changes', rule: 'required' });
  });

  it('a revision, restating what it changed', () => {
    const state = afterCommand(
      [registered(), revised({ resources: 'Recursos propios' })],
      correctEvent({ eventId: 'event-2', corrected: { changes: { resources: 'Cooperación' } } }),
    );
    expect(state).toMatchObject({ status: 'draft', resources: 'Cooperación' });
  });
});
