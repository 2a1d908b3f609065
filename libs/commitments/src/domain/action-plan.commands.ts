import type { CalendarDate } from '#kernel';
import type { ActionPlanStatus, CommitmentWeight } from './action-plan.events.js';

/** The plan's fields as a caller gives them; `status` defaults to `draft`. */
export interface ActionPlanFieldsInput {
  jurisdiction: string;
  title: string;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  ogpCycle: string;
  status?: ActionPlanStatus;
}

export type RegisterActionPlan = {
  type: 'RegisterActionPlan';
  /** `actionPlanId` is chosen by the caller: the id its commitments' `actionPlanId` names. */
  data: { actionPlanId: string } & ActionPlanFieldsInput;
};

/** Changes the fields given in `changes` (the status among them); always says why. */
export type ReviseActionPlan = {
  type: 'ReviseActionPlan';
  data: { actionPlanId: string; changes: Partial<ActionPlanFieldsInput>; reason: string };
};

/** Sets the roll-up weights of the commitments listed; always says why. */
export type SetCommitmentWeights = {
  type: 'SetCommitmentWeights';
  data: { actionPlanId: string; weights: CommitmentWeight[]; reason: string };
};

export type ActionPlanCommand = RegisterActionPlan | ReviseActionPlan | SetCommitmentWeights;
export type ActionPlanCommandType = ActionPlanCommand['type'];
