import type { CalendarDate } from '#kernel';
import type { Timestamp } from './commitment.events.js';

/**
 * An action plan's lifecycle, as OGP action plans go: drafted (co-created), in
 * implementation, then completed; or withdrawn before it is completed. A status only moves
 * forward in that order, and `completed` and `withdrawn` are final.
 */
export const ACTION_PLAN_STATUSES = [
  'draft',
  'in_implementation',
  'completed',
  'withdrawn',
] as const;
export type ActionPlanStatus = (typeof ACTION_PLAN_STATUSES)[number];

/** What an action plan records about itself. */
export interface ActionPlanFields {
  /** Who the plan is of, e.g. `Distrito de Cartagena de Indias`. */
  jurisdiction: string;
  title: string;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  /** The OGP cycle the plan belongs to, as OGP names it, e.g. `OGP Local 2022-2023`. */
  ogpCycle: string;
  status: ActionPlanStatus;
}

/** The weight of one commitment in its plan's roll-up. */
export interface CommitmentWeight {
  commitmentId: string;
  /** A whole number from 1 to MAX_WEIGHT. */
  weight: number;
}

export type ActionPlanRegistered = {
  type: 'ActionPlanRegistered';
  data: { actionPlanId: string } & ActionPlanFields & { registeredAt: Timestamp };
};

/** `changes` holds only the fields that changed, with their new values. */
export type ActionPlanRevised = {
  type: 'ActionPlanRevised';
  data: { actionPlanId: string; changes: Partial<ActionPlanFields>; reason: string };
};

/**
 * The weights of some of the plan's commitments in its roll-up, replacing theirs; commitments
 * not listed keep the weight they had (1 unless set).
 */
export type CommitmentWeightsSet = {
  type: 'CommitmentWeightsSet';
  data: { actionPlanId: string; weights: CommitmentWeight[]; reason: string; setAt: Timestamp };
};

export type ActionPlanEvent = ActionPlanRegistered | ActionPlanRevised | CommitmentWeightsSet;
export type ActionPlanEventType = ActionPlanEvent['type'];
export type StoredActionPlanEvent = ActionPlanEvent & { id: string };

const EVENT_TYPES: Record<ActionPlanEventType, true> = {
  ActionPlanRegistered: true,
  ActionPlanRevised: true,
  CommitmentWeightsSet: true,
};

/** Every event type of an action plan's stream. */
export const ACTION_PLAN_EVENT_TYPES = Object.keys(EVENT_TYPES) as readonly ActionPlanEventType[];

export const ACTION_PLAN_SCHEMA_VERSIONS: Readonly<Record<ActionPlanEventType, number>> = {
  ActionPlanRegistered: 1,
  ActionPlanRevised: 1,
  CommitmentWeightsSet: 1,
};

/** The stream that holds one action plan's events. */
export function actionPlanStream(actionPlanId: string): string {
  return `action-plan-${actionPlanId}`;
}
