import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#event-store';
import { historyOf, type DescribedStream } from '#platform';
import type { ActionPlanState } from '../domain/index.js';
import { COMMITMENT_EVENT_DESCRIPTIONS } from './commitment-event-descriptions.js';

const recorded = (
  streamVersion: number,
  type: string,
  data: RecordedEvent['data'],
): RecordedEvent => ({
  id: `00000000-0000-4000-8000-00000000000${streamVersion}`,
  stream: 'action-plan-p1',
  streamVersion,
  position: streamVersion - 1,
  type,
  schemaVersion: 1,
  data,
  metadata: { actor: null, occurredAt: '2026-01-01T00:00:00Z', recordedAt: '2026-01-01T00:00:00Z' },
});

describe('COMMITMENT_EVENT_DESCRIPTIONS', () => {
  it('describes commitments and action plans with state to diff, and code reservations', () => {
    expect(
      COMMITMENT_EVENT_DESCRIPTIONS.streams.map((s) => [s.prefix, s.name, Boolean(s.state)]),
    ).toEqual([
      ['commitment-', 'commitment', true],
      ['commitment.code-', 'commitmentCode', false],
      ['action-plan-', 'action_plan', true],
    ]);
  });

  it("diffs an action plan's events as its history shows them", () => {
    const plans = COMMITMENT_EVENT_DESCRIPTIONS.streams.find(
      (s) => s.prefix === 'action-plan-',
    ) as DescribedStream<ActionPlanState>;
    const state = plans.state;
    if (!state) throw new Error('action plans have no state to diff');
    const history = historyOf(state.streamType, [
      recorded(1, 'ActionPlanRegistered', {
        actionPlanId: 'p1',
        jurisdiction: 'Cartagena',
        title: 'Plan 2026',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        ogpCycle: 'OGP Local 2026',
        status: 'draft',
        registeredAt: '2026-01-01T00:00:00Z',
      }),
      recorded(2, 'ActionPlanRevised', {
        actionPlanId: 'p1',
        changes: { status: 'in_implementation' },
        reason: 'co-created',
      }),
      recorded(3, 'CommitmentWeightsSet', {
        actionPlanId: 'p1',
        weights: [{ commitmentId: 'c1', weight: 3 }],
        reason: 'the largest',
        setAt: '2026-02-01T00:00:00Z',
      }),
    ]);
    const changes = history.map((entry) => state.changes(entry.before, entry.after));
    expect(changes[0]).toEqual(
      expect.arrayContaining([{ path: '/title', before: null, after: 'Plan 2026' }]),
    );
    expect(changes[1]).toEqual([{ path: '/status', before: 'DRAFT', after: 'IN_IMPLEMENTATION' }]);
    expect(changes[2]).toEqual([{ path: '/commitmentWeights/c1', before: null, after: 3 }]);
  });
});
