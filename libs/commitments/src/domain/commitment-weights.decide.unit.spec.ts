import { describe, expect, it } from '@jest/globals';
import { given } from '../../test/commitment.decider-spec.js';
import {
  COMMITMENT_ID,
  histories,
  milestoneAdded,
  milestoneCancelled,
  NOW,
} from '../../test/commitment.fixtures.js';
import { CommitmentClosed, InvalidCommand, MilestoneNotFound } from './commitment.errors.js';
import type { MilestoneWeightsSet } from './commitment.events.js';
import type { SetMilestoneWeights } from './commitment.commands.js';
import { commitmentRollup } from './rollup.js';

const setWeights = (
  weights: { milestoneId: string; weight: number }[],
  reason = 'El hito 2 es el grueso del trabajo',
): SetMilestoneWeights => ({
  type: 'SetMilestoneWeights',
  data: { commitmentId: COMMITMENT_ID, weights, reason },
});

const weightsSet = (weights: { milestoneId: string; weight: number }[]): MilestoneWeightsSet => ({
  type: 'MilestoneWeightsSet',
  data: {
    commitmentId: COMMITMENT_ID,
    weights,
    reason: 'El hito 2 es el grueso del trabajo',
    setAt: NOW,
  },
});

describe("setting a commitment's milestone weights", () => {
  it('records the weights with the reason, in any open status, cancelled milestones too', () => {
    given(histories.draft)
      .when(setWeights([{ milestoneId: 'm2', weight: 3 }]))
      .then([weightsSet([{ milestoneId: 'm2', weight: 3 }])]);
    given([...histories.in_progress, milestoneCancelled('m2')])
      .when(setWeights([{ milestoneId: 'm2', weight: 3 }]))
      .then([weightsSet([{ milestoneId: 'm2', weight: 3 }])]);
  });

  it('weighs the milestones in the roll-up, the others at 1', () => {
    const { state } = given([
      ...histories.in_progress,
      milestoneAdded('m3'),
      weightsSet([{ milestoneId: 'm2', weight: 3 }]),
    ]);
    if (state.status === 'empty') throw new Error('registered above');
    expect(state.milestones.map((m) => m.weight)).toEqual([undefined, 3, undefined]);
    // m1 at 40, m2 at 0 (weight 3), m3 at 0: 40 / 5.
    expect(commitmentRollup(state.milestones).value).toBe(8);
  });

  it('refuses an unknown milestone, no change, no reason, a closed commitment', () => {
    given(histories.draft)
      .when(setWeights([{ milestoneId: 'm9', weight: 2 }]))
      .thenFails(MilestoneNotFound, { field: 'weights.0.milestoneId' });
    given([...histories.draft, weightsSet([{ milestoneId: 'm2', weight: 3 }])])
      .when(
        setWeights([
          { milestoneId: 'm2', weight: 3 },
          { milestoneId: 'm1', weight: 1 },
        ]),
      )
      .thenFails(InvalidCommand, { field: 'weights', rule: 'no_change' });
    given(histories.draft)
      .when(setWeights([{ milestoneId: 'm2', weight: 3 }], ' '))
      .thenFails(InvalidCommand, { field: 'reason', rule: 'required' });
    given(histories.draft)
      .when(setWeights([{ milestoneId: 'm2', weight: 2.5 }]))
      .thenFails(InvalidCommand, { field: 'weights.0.weight', rule: 'integer' });
    given(histories.completed)
      .when(setWeights([{ milestoneId: 'm2', weight: 3 }]))
      .thenFails(CommitmentClosed, { code: 'COMMITMENT_CLOSED' });
  });
});
