import { DomainError, InvalidCommand } from '#kernel';
import type { DialogueSpaceStatus, ImprovementActionStatus } from './dialogue-space.state.js';

/**
 * The input rules of dialogue spaces beyond the kernel's shared ones; stable, so a client can
 * explain them in its own words.
 */
export type DialogueRule =
  | 'unknown_territory'
  | 'unknown_commitment'
  | 'one_lead_agency'
  | 'not_concerned'
  | 'not_after_start'
  | 'not_in_future'
  | 'exceeds_total'
  | 'required_for_correction'
  | 'required_to_change'
  | 'required_to_cancel';

/** The InvalidCommand for `field` breaking one of the dialogue spaces' own rules. */
export function dialogueRuleBroken(
  field: string,
  rule: DialogueRule,
  message: string,
): InvalidCommand<DialogueRule> {
  return new InvalidCommand({ field, rule, message });
}

export class DialogueSpaceNotFound extends DomainError {
  readonly code = 'DIALOGUE_SPACE_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  readonly dialogueSpaceId: string;

  constructor(dialogueSpaceId: string) {
    super(`dialogue space ${dialogueSpaceId} is not recorded`, 'dialogueSpaceId');
    this.dialogueSpaceId = dialogueSpaceId;
  }
}

/** The command needs another status of the space (attendance before it was held...). */
export class DialogueSpaceStatusForbids extends DomainError {
  readonly code = 'DIALOGUE_SPACE_STATUS_FORBIDS';
  readonly category = 'CONFLICT';
  readonly dialogueSpaceId: string;
  readonly status: DialogueSpaceStatus;

  constructor(dialogueSpaceId: string, status: DialogueSpaceStatus, what: string) {
    super(`dialogue space ${dialogueSpaceId} is ${status}: ${what}`, 'dialogueSpaceId');
    this.dialogueSpaceId = dialogueSpaceId;
    this.status = status;
  }
}

export class ImprovementActionNotFound extends DomainError {
  readonly code = 'IMPROVEMENT_ACTION_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  readonly actionId: string;

  constructor(actionId: string) {
    super(`the dialogue space agreed no improvement action ${actionId}`, 'actionId');
    this.actionId = actionId;
  }
}

export class ImprovementActionAlreadyAgreed extends DomainError {
  readonly code = 'IMPROVEMENT_ACTION_ALREADY_AGREED';
  readonly category = 'CONFLICT';
  readonly actionId: string;

  constructor(actionId: string) {
    super(`the dialogue space already agreed an improvement action ${actionId}`, 'actionId');
    this.actionId = actionId;
  }
}

export class ImprovementActionClosed extends DomainError {
  readonly code = 'IMPROVEMENT_ACTION_CLOSED';
  readonly category = 'CONFLICT';
  readonly actionId: string;
  readonly status: ImprovementActionStatus;

  constructor(actionId: string, status: ImprovementActionStatus) {
    super(`improvement action ${actionId} is ${status}`, 'actionId');
    this.actionId = actionId;
    this.status = status;
  }
}
