import {
  calendarDate,
  fail,
  identifier,
  list,
  object,
  oneOf,
  text,
  TEXT_LIMITS,
  type Decider,
  type DecideContext,
} from '#kernel';
import type {
  ActionPlanCommand,
  ActionPlanFieldsInput,
  RegisterActionPlan,
  ReviseActionPlan,
  SetCommitmentWeights,
} from './action-plan.commands.js';
import {
  ActionPlanAlreadyRegistered,
  ActionPlanNotFound,
  ActionPlanStatusRefused,
} from './action-plan.errors.js';
import {
  ACTION_PLAN_STATUSES,
  type ActionPlanEvent,
  type ActionPlanFields,
  type ActionPlanStatus,
  type CommitmentWeight,
  type StoredActionPlanEvent,
} from './action-plan.events.js';
import { evolveActionPlan } from './action-plan.evolve.js';
import {
  initialActionPlanState,
  type ActionPlanState,
  type RegisteredActionPlan,
} from './action-plan.state.js';
import { commitmentRuleBroken } from './commitment.errors.js';
import { timestampOf, unreachable } from './commitment.guards.js';
import { DEFAULT_WEIGHT, weight } from './rollup.js';

/** How many commitments one SetCommitmentWeights may weigh. */
const MAX_WEIGHTS = 500;
const TITLE_MAX = 500;

/**
 * The events an action-plan command produces, or a `DomainError` saying why it produces none.
 * Pure: the business time comes from `context.now`.
 */
export function decideActionPlan(
  command: ActionPlanCommand,
  state: ActionPlanState,
  context: DecideContext,
): ActionPlanEvent[] {
  const now = timestampOf(context);
  switch (command.type) {
    case 'RegisterActionPlan':
      return register(command, state, now);
    case 'ReviseActionPlan':
      return revise(command, state);
    case 'SetCommitmentWeights':
      return setWeights(command, state, now);
    default:
      return unreachable(command);
  }
}

function register(
  { data }: RegisterActionPlan,
  state: ActionPlanState,
  now: string,
): ActionPlanEvent[] {
  if (state.status !== 'empty') throw new ActionPlanAlreadyRegistered(state.id);
  const actionPlanId = identifier(data.actionPlanId, 'actionPlanId');
  const fields: ActionPlanFields = {
    jurisdiction: text(data.jurisdiction, 'jurisdiction', TEXT_LIMITS.name),
    title: text(data.title, 'title', TITLE_MAX),
    periodStart: calendarDate(data.periodStart, 'periodStart'),
    periodEnd: calendarDate(data.periodEnd, 'periodEnd'),
    ogpCycle: text(data.ogpCycle, 'ogpCycle', TEXT_LIMITS.name),
    status:
      data.status === undefined ? 'draft' : oneOf(data.status, ACTION_PLAN_STATUSES, 'status'),
  };
  if (fields.periodEnd < fields.periodStart) fail('periodEnd', 'not_before_start');
  return [{ type: 'ActionPlanRegistered', data: { actionPlanId, ...fields, registeredAt: now } }];
}

function registered(
  command: ReviseActionPlan | SetCommitmentWeights,
  state: ActionPlanState,
): RegisteredActionPlan {
  if (state.status === 'empty') throw new ActionPlanNotFound(String(command.data.actionPlanId));
  if (command.data.actionPlanId !== state.id) {
    throw commitmentRuleBroken(
      'actionPlanId',
      'matches_stream',
      "actionPlanId does not match the action plan's stream",
    );
  }
  return state;
}

/** The order statuses move in; withdrawn is reachable from any status before completion. */
const ORDER: Record<ActionPlanStatus, number> = {
  draft: 0,
  in_implementation: 1,
  completed: 2,
  withdrawn: 3,
};

function statusChangeAllowed(from: ActionPlanStatus, to: ActionPlanStatus): boolean {
  if (from === 'completed' || from === 'withdrawn') return false;
  return ORDER[to] > ORDER[from];
}

function revise(command: ReviseActionPlan, state: ActionPlanState): ActionPlanEvent[] {
  const plan = registered(command, state);
  const reason = text(command.data.reason, 'reason');
  const given = object(command.data.changes, 'changes') as Partial<ActionPlanFieldsInput>;
  const changes: Partial<ActionPlanFields> = {};
  for (const key of Object.keys(given)) {
    const field = `changes.${key}`;
    const value = (given as Record<string, unknown>)[key];
    switch (key) {
      case 'jurisdiction':
      case 'ogpCycle':
        changes[key] = text(value, field, TEXT_LIMITS.name);
        break;
      case 'title':
        changes.title = text(value, field, TITLE_MAX);
        break;
      case 'periodStart':
      case 'periodEnd':
        changes[key] = calendarDate(value, field);
        break;
      case 'status':
        changes.status = oneOf(value, ACTION_PLAN_STATUSES, field);
        break;
      default:
        fail(field, 'not_a_field', `${field} is not a field of an action plan`);
    }
  }
  for (const key of Object.keys(changes) as (keyof ActionPlanFields)[]) {
    if (changes[key] === plan[key]) delete changes[key];
  }
  if (Object.keys(changes).length === 0) {
    fail('changes', 'no_change', 'changes holds no value that differs from the action plan');
  }
  if (changes.status !== undefined && !statusChangeAllowed(plan.status, changes.status)) {
    throw new ActionPlanStatusRefused({ from: plan.status, to: changes.status });
  }
  const start = changes.periodStart ?? plan.periodStart;
  const end = changes.periodEnd ?? plan.periodEnd;
  if (end < start) {
    fail(
      changes.periodEnd !== undefined ? 'changes.periodEnd' : 'changes.periodStart',
      'not_before_start',
      'the period must not end before it starts',
    );
  }
  return [{ type: 'ActionPlanRevised', data: { actionPlanId: plan.id, changes, reason } }];
}

function setWeights(
  command: SetCommitmentWeights,
  state: ActionPlanState,
  now: string,
): ActionPlanEvent[] {
  const plan = registered(command, state);
  const reason = text(command.data.reason, 'reason');
  const entries = list(command.data.weights, 'weights', MAX_WEIGHTS);
  if (entries.length === 0) fail('weights', 'required', 'weights lists no commitment');
  const seen = new Set<string>();
  const weights: CommitmentWeight[] = entries.map((entry, i) => {
    const given = object(entry, `weights.${i}`);
    const commitmentId = identifier(given.commitmentId, `weights.${i}.commitmentId`);
    if (seen.has(commitmentId)) {
      fail(`weights.${i}.commitmentId`, 'unique', `weights lists "${commitmentId}" twice`);
    }
    seen.add(commitmentId);
    return { commitmentId, weight: weight(given.weight, `weights.${i}.weight`) };
  });
  const changed = weights.filter(
    (w) => (plan.commitmentWeights[w.commitmentId] ?? DEFAULT_WEIGHT) !== w.weight,
  );
  if (changed.length === 0) {
    fail('weights', 'no_change', 'weights gives every commitment the weight it already has');
  }
  return [
    { type: 'CommitmentWeightsSet', data: { actionPlanId: plan.id, weights, reason, setAt: now } },
  ];
}

/** The action plan's decider, whole: what the generic command handler and history run. */
export const actionPlanDecider: Decider<
  ActionPlanCommand,
  ActionPlanEvent,
  ActionPlanState,
  StoredActionPlanEvent
> = { decide: decideActionPlan, evolve: evolveActionPlan, initialState: initialActionPlanState };
