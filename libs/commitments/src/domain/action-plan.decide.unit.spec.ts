import { describe, expect, it } from '@jest/globals';
import { deciderSpec, TEST_NOW } from '../../../../test/support/decider-spec.js';
import type { ActionPlanRegistered, CommitmentWeightsSet } from './action-plan.events.js';
import { actionPlanDecider } from './action-plan.decide.js';
import {
  ActionPlanAlreadyRegistered,
  ActionPlanNotFound,
  ActionPlanStatusRefused,
} from './action-plan.errors.js';
import { InvalidCommand } from './commitment.errors.js';

const { given } = deciderSpec(actionPlanDecider);
const NOW = TEST_NOW.toISOString();

const fields = {
  jurisdiction: 'Distrito de Cartagena de Indias',
  title: 'Plan de acción 2023',
  periodStart: '2023-01-01',
  periodEnd: '2023-12-31',
  ogpCycle: 'OGP Local 2022-2023',
};

const registered = (status: ActionPlanRegistered['data']['status'] = 'draft') =>
  ({
    type: 'ActionPlanRegistered',
    data: { actionPlanId: 'p1', ...fields, status, registeredAt: NOW },
  }) satisfies ActionPlanRegistered;

const weightsSet = (weights: { commitmentId: string; weight: number }[]) =>
  ({
    type: 'CommitmentWeightsSet',
    data: { actionPlanId: 'p1', weights, reason: 'prioridad', setAt: NOW },
  }) satisfies CommitmentWeightsSet;

describe('registering an action plan', () => {
  it('records it as a draft unless a status is given, trimmed', () => {
    given([])
      .when({
        type: 'RegisterActionPlan',
        data: { actionPlanId: 'p1', ...fields, title: '  Plan de acción 2023 ' },
      })
      .then([registered()]);
    given([])
      .when({
        type: 'RegisterActionPlan',
        data: { actionPlanId: 'p1', ...fields, status: 'in_implementation' },
      })
      .then([registered('in_implementation')]);
  });

  it('refuses a second registration', () => {
    given([registered()])
      .when({ type: 'RegisterActionPlan', data: { actionPlanId: 'p1', ...fields } })
      .thenFails(ActionPlanAlreadyRegistered, { code: 'ACTION_PLAN_ALREADY_REGISTERED' });
  });

  it('names the field at fault', () => {
    given([])
      .when({ type: 'RegisterActionPlan', data: { actionPlanId: 'p1', ...fields, ogpCycle: ' ' } })
      .thenFails(InvalidCommand, { field: 'ogpCycle', rule: 'required' });
    given([])
      .when({
        type: 'RegisterActionPlan',
        data: { actionPlanId: 'p1', ...fields, periodEnd: '2022-12-31' },
      })
      .thenFails(InvalidCommand, { field: 'periodEnd', rule: 'not_before_start' });
    given([])
      .when({
        type: 'RegisterActionPlan',
        data: { actionPlanId: 'p1', ...fields, status: 'not_registered' as never },
      })
      .thenFails(InvalidCommand, { field: 'status', rule: 'one_of' });
    given([])
      .when({ type: 'RegisterActionPlan', data: { actionPlanId: 'p 1', ...fields } })
      .thenFails(InvalidCommand, { field: 'actionPlanId', rule: 'format' });
  });
});

describe('revising an action plan', () => {
  it('records only what changed, with the reason', () => {
    given([registered()])
      .when({
        type: 'ReviseActionPlan',
        data: {
          actionPlanId: 'p1',
          changes: { title: 'Plan de acción 2023', status: 'in_implementation' },
          reason: 'Aprobado por el comité',
        },
      })
      .then([
        {
          type: 'ActionPlanRevised',
          data: {
            actionPlanId: 'p1',
            changes: { status: 'in_implementation' },
            reason: 'Aprobado por el comité',
          },
        },
      ]);
  });

  it('moves the status forward only; completed and withdrawn are final', () => {
    const revise = (status: 'draft' | 'completed' | 'withdrawn' | 'in_implementation') => ({
      type: 'ReviseActionPlan' as const,
      data: { actionPlanId: 'p1', changes: { status }, reason: 'r' },
    });
    given([registered('in_implementation')])
      .when(revise('draft'))
      .thenFails(ActionPlanStatusRefused, {
        code: 'ACTION_PLAN_STATUS_REFUSED',
        from: 'in_implementation',
        to: 'draft',
        field: 'changes.status',
      });
    given([registered('completed')])
      .when(revise('withdrawn'))
      .thenFails(ActionPlanStatusRefused, { from: 'completed', to: 'withdrawn' });
    given([registered('withdrawn')])
      .when(revise('in_implementation'))
      .thenFails(ActionPlanStatusRefused, { from: 'withdrawn' });
    given([registered('draft')])
      .when(revise('withdrawn'))
      .then([
        {
          type: 'ActionPlanRevised',
          data: { actionPlanId: 'p1', changes: { status: 'withdrawn' }, reason: 'r' },
        },
      ]);
  });

  it('refuses a plan not registered, no change, an unknown field and a missing reason', () => {
    given([])
      .when({
        type: 'ReviseActionPlan',
        data: { actionPlanId: 'p1', changes: { title: 'x' }, reason: 'r' },
      })
      .thenFails(ActionPlanNotFound, { code: 'ACTION_PLAN_NOT_FOUND', field: 'actionPlanId' });
    given([registered()])
      .when({
        type: 'ReviseActionPlan',
        data: { actionPlanId: 'p1', changes: { title: fields.title }, reason: 'r' },
      })
      .thenFails(InvalidCommand, { field: 'changes', rule: 'no_change' });
    given([registered()])
      .when({
        type: 'ReviseActionPlan',
        data: { actionPlanId: 'p1', changes: { budget: 3 } as never, reason: 'r' },
      })
      .thenFails(InvalidCommand, { field: 'changes.budget', rule: 'not_a_field' });
    given([registered()])
      .when({
        type: 'ReviseActionPlan',
        data: { actionPlanId: 'p1', changes: { title: 'x' }, reason: '' },
      })
      .thenFails(InvalidCommand, { field: 'reason', rule: 'required' });
    given([registered()])
      .when({
        type: 'ReviseActionPlan',
        data: { actionPlanId: 'p1', changes: { periodStart: '2024-01-01' }, reason: 'r' },
      })
      .thenFails(InvalidCommand, { field: 'changes.periodStart', rule: 'not_before_start' });
  });
});

describe("setting commitments' weights", () => {
  it('records the weights given, with the reason and time', () => {
    given([registered()])
      .when({
        type: 'SetCommitmentWeights',
        data: {
          actionPlanId: 'p1',
          weights: [{ commitmentId: 'c1', weight: 3 }],
          reason: 'prioridad',
        },
      })
      .then([weightsSet([{ commitmentId: 'c1', weight: 3 }])]);
  });

  it('refuses weights that change nothing, repeat a commitment or are out of range', () => {
    given([registered(), weightsSet([{ commitmentId: 'c1', weight: 3 }])])
      .when({
        type: 'SetCommitmentWeights',
        data: {
          actionPlanId: 'p1',
          weights: [
            { commitmentId: 'c1', weight: 3 },
            { commitmentId: 'c2', weight: 1 },
          ],
          reason: 'r',
        },
      })
      .thenFails(InvalidCommand, { field: 'weights', rule: 'no_change' });
    given([registered()])
      .when({
        type: 'SetCommitmentWeights',
        data: {
          actionPlanId: 'p1',
          weights: [
            { commitmentId: 'c1', weight: 2 },
            { commitmentId: 'c1', weight: 3 },
          ],
          reason: 'r',
        },
      })
      .thenFails(InvalidCommand, { field: 'weights.1.commitmentId', rule: 'unique' });
    given([registered()])
      .when({
        type: 'SetCommitmentWeights',
        data: { actionPlanId: 'p1', weights: [{ commitmentId: 'c1', weight: 0 }], reason: 'r' },
      })
      .thenFails(InvalidCommand, { field: 'weights.0.weight', rule: 'range' });
    given([registered()])
      .when({
        type: 'SetCommitmentWeights',
        data: { actionPlanId: 'p1', weights: [], reason: 'r' },
      })
      .thenFails(InvalidCommand, { field: 'weights', rule: 'required' });
    given([])
      .when({
        type: 'SetCommitmentWeights',
        data: { actionPlanId: 'p1', weights: [{ commitmentId: 'c1', weight: 2 }], reason: 'r' },
      })
      .thenFails(ActionPlanNotFound);
  });

  it('keeps the weights in the state, each replacing the last', () => {
    const { state } = given([
      registered(),
      weightsSet([{ commitmentId: 'c1', weight: 3 }]),
      weightsSet([
        { commitmentId: 'c1', weight: 2 },
        { commitmentId: 'c2', weight: 5 },
      ]),
    ]);
    expect(state).toMatchObject({ commitmentWeights: { c1: 2, c2: 5 } });
  });
});
