import type { StoredActionPlanEvent } from './action-plan.events.js';
import { initialActionPlanState, type ActionPlanState } from './action-plan.state.js';

/** The plan after `event`. Pure and total: an event that does not fit changes nothing. */
export function evolveActionPlan(
  state: ActionPlanState,
  event: StoredActionPlanEvent,
): ActionPlanState {
  switch (event.type) {
    case 'ActionPlanRegistered': {
      if (state.status !== 'empty') return state;
      const { actionPlanId, registeredAt, ...fields } = event.data;
      return { ...fields, id: actionPlanId, registeredAt, commitmentWeights: {} };
    }
    case 'ActionPlanRevised':
      return state.status === 'empty' ? state : { ...state, ...event.data.changes };
    case 'CommitmentWeightsSet': {
      if (state.status === 'empty') return state;
      const commitmentWeights = { ...state.commitmentWeights };
      for (const { commitmentId, weight } of event.data.weights) {
        commitmentWeights[commitmentId] = weight;
      }
      return { ...state, commitmentWeights };
    }
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}

/** Folds a whole stream, oldest first. */
export function foldActionPlan(events: readonly StoredActionPlanEvent[]): ActionPlanState {
  return events.reduce(evolveActionPlan, initialActionPlanState);
}
