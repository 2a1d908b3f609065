import { diffFields, type FieldChange } from '#kernel';
import type { ActionPlanState } from '../domain/index.js';

/**
 * The plan as its history diffs it: the ActionPlan's own fields, enum values as GraphQL shows
 * them, and its commitments' weights by commitment id.
 */
function planAsRead(state: ActionPlanState): Record<string, unknown> | null {
  if (state.status === 'empty') return null;
  const { id: _id, registeredAt, commitmentWeights, status, ...fields } = state;
  return {
    ...fields,
    status: status.toUpperCase(),
    registeredAt,
    commitmentWeights: { ...commitmentWeights },
  };
}

/**
 * What took a plan from `before` to `after`, as JSON Pointers into the ActionPlan: the same
 * diff its history and the audit log show. Pure.
 */
export function actionPlanChangesOf(
  before: ActionPlanState,
  after: ActionPlanState,
): FieldChange[] {
  return diffFields(planAsRead(before), planAsRead(after));
}
