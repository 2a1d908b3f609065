import { describe, expect, it } from '@jest/globals';
import { fold } from '#kernel';
import { withIds } from '../../../../../test/support/decider-spec.js';
import {
  actionAgreed,
  attendanceRecorded,
  convened,
  held,
  SPACE_ID,
} from '../../../test/dialogue-space.fixtures.js';
import { dialogueSpaceDecider } from './dialogue-space.decide.js';
import type { DialogueSpaceEvent, StoredDialogueSpaceEvent } from './dialogue-space.events.js';
import type { RecordedDialogueSpace } from './dialogue-space.state.js';

const folded = (events: DialogueSpaceEvent[]) =>
  fold(
    dialogueSpaceDecider,
    withIds<DialogueSpaceEvent>(events) as StoredDialogueSpaceEvent[],
  ) as RecordedDialogueSpace;

describe('folding a dialogue space', () => {
  it('applies a revision, and a null territory makes the space district-wide', () => {
    const space = folded([
      { ...convened(), data: { ...convened().data, territoryId: 'localidad-1' } },
      {
        type: 'DialogueSpaceRevised',
        data: {
          dialogueSpaceId: SPACE_ID,
          changes: { place: 'Biblioteca', territoryId: null },
          reason: 'r',
        },
      },
    ]);
    expect(space.place).toBe('Biblioteca');
    expect(space).not.toHaveProperty('territoryId');
    expect(space.status).toBe('convened');
  });

  it('counts corrections of the attendance and keeps the latest counts', () => {
    const space = folded([convened(), held(), attendanceRecorded(10), attendanceRecorded(12)]);
    expect(space.status).toBe('held');
    expect(space.attendance).toMatchObject({ total: 12, corrections: 1 });
  });

  it('tracks an action from agreed through progress to completion, keeping every report', () => {
    const report = (status: 'in_progress' | 'completed', percent: number, reportedAt: string) => ({
      type: 'ImprovementActionReported' as const,
      data: {
        dialogueSpaceId: SPACE_ID,
        actionId: 'a1',
        status,
        percent,
        evidence: [],
        reportedAt,
      },
    });
    const space = folded([
      convened(),
      held(),
      actionAgreed('a1'),
      actionAgreed('a2'),
      report('in_progress', 40, '2023-04-01T00:00:00.000Z'),
      report('completed', 100, '2023-05-01T00:00:00.000Z'),
    ]);
    expect(space.actions.map((a) => [a.actionId, a.status, a.percent])).toEqual([
      ['a1', 'completed', 100],
      ['a2', 'agreed', 0],
    ]);
    expect(space.actions[0].reports).toHaveLength(2);
    expect(space.actions[0].completedAt).toBe('2023-05-01T00:00:00.000Z');
  });

  it('records the reason of a cancellation', () => {
    const space = folded([
      convened(),
      {
        type: 'DialogueSpaceCancelled',
        data: {
          dialogueSpaceId: SPACE_ID,
          cancelledAt: '2023-02-10T00:00:00.000Z',
          reason: 'lluvia',
        },
      },
    ]);
    expect(space).toMatchObject({ status: 'cancelled', cancellationReason: 'lluvia' });
  });
});
