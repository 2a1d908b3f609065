import type { ActionPlanFields } from './action-plan.events.js';
import type { Timestamp } from './commitment.events.js';

export type ActionPlanState =
  | { status: 'empty' }
  | (ActionPlanFields & {
      id: string;
      registeredAt: Timestamp;
      /** Roll-up weights set for its commitments, by commitment id (others weigh 1). */
      commitmentWeights: Record<string, number>;
    });

export type RegisteredActionPlan = Exclude<ActionPlanState, { status: 'empty' }>;

export const initialActionPlanState: ActionPlanState = { status: 'empty' };
