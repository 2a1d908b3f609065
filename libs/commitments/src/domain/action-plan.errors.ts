import { DomainError } from '#kernel';
import type { ActionPlanStatus } from './action-plan.events.js';

export class ActionPlanNotFound extends DomainError {
  readonly code = 'ACTION_PLAN_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  readonly actionPlanId: string;

  constructor(actionPlanId: string) {
    super(`action plan ${actionPlanId} is not registered`, 'actionPlanId');
    this.actionPlanId = actionPlanId;
  }
}

export class ActionPlanAlreadyRegistered extends DomainError {
  readonly code = 'ACTION_PLAN_ALREADY_REGISTERED';
  readonly category = 'CONFLICT';
  readonly actionPlanId: string;

  constructor(actionPlanId: string) {
    super(`action plan ${actionPlanId} is already registered`, 'actionPlanId');
    this.actionPlanId = actionPlanId;
  }
}

/**
 * A status change the plan's lifecycle does not allow: statuses move forward only (draft,
 * in_implementation, completed), withdrawn is reachable before completion, and completed and
 * withdrawn are final.
 */
export class ActionPlanStatusRefused extends DomainError {
  readonly code = 'ACTION_PLAN_STATUS_REFUSED';
  readonly category = 'CONFLICT';
  readonly from: ActionPlanStatus;
  readonly to: ActionPlanStatus;

  constructor(args: { from: ActionPlanStatus; to: ActionPlanStatus }) {
    super(
      `an action plan that is ${args.from} cannot become ${args.to} ` +
        '(draft, in_implementation, completed, in that order; withdrawn before completion)',
      'changes.status',
    );
    this.from = args.from;
    this.to = args.to;
  }
}
