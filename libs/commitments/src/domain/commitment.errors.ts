import { DomainError, InvalidCommand, type CalendarDate } from '#kernel';
import type { CommitmentCommandType } from './commitment.commands.js';
import type { CommitmentEventType } from './commitment.events.js';
import type { MilestoneStatus } from './commitment.state.js';

// Every refusal of a bad input is the kernel's InvalidCommand, whoever's rule it broke.
export { InvalidCommand };

/**
 * The input rules of commitments beyond the kernel's shared ones (`ValidationRule`); stable,
 * so a client can explain them in its own words.
 */
export type CommitmentRule =
  | 'matches_stream'
  | 'matches_budget_line'
  | 'requires_approved_amount'
  | 'required_to_change_approved_amount'
  | 'not_before_registration';

const COMMITMENT_RULE_TEXT: Record<CommitmentRule, string> = {
  matches_stream: "does not match the commitment's stream",
  matches_budget_line: 'differs from what the budget line already records',
  requires_approved_amount: 'needs an approved amount on the budget line first',
  required_to_change_approved_amount: 'is required to change an approved amount',
  not_before_registration: "must not be before the commitment's registration",
};

/** The InvalidCommand for `field` breaking one of the commitments' own rules. */
export function commitmentRuleBroken(
  field: string,
  rule: CommitmentRule,
  message?: string,
): InvalidCommand<CommitmentRule> {
  return new InvalidCommand({
    field,
    rule,
    message: message ?? `${field} ${COMMITMENT_RULE_TEXT[rule]}`,
  });
}

export class CommitmentNotFound extends DomainError {
  readonly code = 'COMMITMENT_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  readonly commitmentId: string;

  constructor(commitmentId: string) {
    super(`commitment ${commitmentId} does not exist`, 'commitmentId');
    this.commitmentId = commitmentId;
  }
}

export class CommitmentAlreadyRegistered extends DomainError {
  readonly code = 'COMMITMENT_ALREADY_REGISTERED';
  readonly category = 'CONFLICT';
  readonly commitmentId: string;

  constructor(commitmentId: string) {
    super(`commitment ${commitmentId} is already registered`, 'commitmentId');
    this.commitmentId = commitmentId;
  }
}

/**
 * The code is held by another commitment: codes are unique across commitments, compared
 * without regard to case. `field` is the input that set the code (`code`, `changes.code`...).
 */
export class CommitmentCodeTaken extends DomainError {
  readonly code = 'COMMITMENT_CODE_TAKEN';
  readonly category = 'INVALID_INPUT';
  declare readonly field: string;
  /** The code asked for, as given. */
  readonly commitmentCode: string;
  /** The id of the commitment that holds it. */
  readonly heldBy: string;

  constructor(args: { commitmentCode: string; heldBy: string; field: string }) {
    super(
      `code ${args.commitmentCode} is already taken by commitment ${args.heldBy} ` +
        '(codes are unique, whatever their case)',
      args.field,
    );
    this.commitmentCode = args.commitmentCode;
    this.heldBy = args.heldBy;
  }
}

/** The command is not one the commitment's lifecycle allows in its current status. */
export class IllegalTransition extends DomainError {
  readonly code = 'ILLEGAL_TRANSITION';
  readonly category = 'CONFLICT';
  readonly status: string;
  readonly command: CommitmentCommandType;

  constructor(args: { status: string; command: CommitmentCommandType; message?: string }) {
    super(args.message ?? `${args.command} is not allowed while the commitment is ${args.status}`);
    this.status = args.status;
    this.command = args.command;
  }
}

/** The commitment is completed or withdrawn: only a correction may still be recorded. */
export class CommitmentClosed extends DomainError {
  readonly code = 'COMMITMENT_CLOSED';
  readonly category = 'CONFLICT';
  readonly status: 'completed' | 'withdrawn';
  readonly command: CommitmentCommandType;

  constructor(args: { status: 'completed' | 'withdrawn'; command: CommitmentCommandType }) {
    super(`the commitment is ${args.status}; only a correction can be recorded`);
    this.status = args.status;
    this.command = args.command;
  }
}

/** Publishing needs the whole OGP template; `missing` lists the empty fields. */
export class IncompleteCommitment extends DomainError {
  readonly code = 'INCOMPLETE_COMMITMENT';
  readonly category = 'CONFLICT';
  readonly missing: string[];

  constructor(missing: string[]) {
    super(`cannot publish before these are filled in: ${missing.join(', ')}`, missing[0]);
    this.missing = missing;
  }
}

export class MilestonesStillOpen extends DomainError {
  readonly code = 'MILESTONES_STILL_OPEN';
  readonly category = 'CONFLICT';
  readonly milestoneIds: string[];

  constructor(milestoneIds: string[]) {
    super(
      `milestones ${milestoneIds.join(', ')} are neither completed nor cancelled`,
      'milestones',
    );
    this.milestoneIds = milestoneIds;
  }
}

export class MilestoneNotFound extends DomainError {
  readonly code = 'MILESTONE_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  readonly milestoneId: string;

  constructor(milestoneId: string, field = 'milestoneId') {
    super(`milestone ${milestoneId} does not exist in this commitment`, field);
    this.milestoneId = milestoneId;
  }
}

export class MilestoneAlreadyExists extends DomainError {
  readonly code = 'MILESTONE_ALREADY_EXISTS';
  readonly category = 'CONFLICT';
  readonly milestoneId: string;

  constructor(milestoneId: string) {
    super(`milestone ${milestoneId} already exists in this commitment`, 'milestoneId');
    this.milestoneId = milestoneId;
  }
}

/** The milestone is completed or cancelled and takes no more changes. */
export class MilestoneClosed extends DomainError {
  readonly code = 'MILESTONE_CLOSED';
  readonly category = 'CONFLICT';
  readonly milestoneId: string;
  readonly status: Extract<MilestoneStatus, 'completed' | 'cancelled'>;

  constructor(args: {
    milestoneId: string;
    status: Extract<MilestoneStatus, 'completed' | 'cancelled'>;
  }) {
    super(`milestone ${args.milestoneId} is ${args.status}`, 'milestoneId');
    this.milestoneId = args.milestoneId;
    this.status = args.status;
  }
}

/** A milestone's planned dates must fall within its commitment's start and end dates. */
export class MilestoneOutsideCommitment extends DomainError {
  readonly code = 'MILESTONE_OUTSIDE_COMMITMENT';
  readonly category = 'INVALID_INPUT';
  declare readonly field: string;
  readonly milestoneId: string;
  readonly commitmentStart: CalendarDate;
  readonly commitmentEnd: CalendarDate;

  constructor(args: {
    field: string;
    milestoneId: string;
    commitmentStart: CalendarDate;
    commitmentEnd: CalendarDate;
  }) {
    super(
      `milestone ${args.milestoneId} would fall outside the commitment's dates ` +
        `(${args.commitmentStart} to ${args.commitmentEnd})`,
      args.field,
    );
    this.milestoneId = args.milestoneId;
    this.commitmentStart = args.commitmentStart;
    this.commitmentEnd = args.commitmentEnd;
  }
}

/** A correction names an event that is not in this commitment's stream. */
export class EventNotFound extends DomainError {
  readonly code = 'EVENT_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  readonly eventId: string;

  constructor(eventId: string) {
    super(`event ${eventId} is not in this commitment's history`, 'eventId');
    this.eventId = eventId;
  }
}

/**
 * The event cannot be superseded (`not_correctable`: lifecycle events and corrections) or
 * cannot be retracted outright (`not_retractable`: later events depend on it).
 */
export class UncorrectableEvent extends DomainError {
  readonly code = 'EVENT_NOT_CORRECTABLE';
  readonly category = 'CONFLICT';
  readonly eventId: string;
  readonly eventType: CommitmentEventType;
  readonly rule: 'not_correctable' | 'not_retractable';

  constructor(args: {
    eventId: string;
    eventType: CommitmentEventType;
    rule: 'not_correctable' | 'not_retractable';
  }) {
    super(
      args.rule === 'not_correctable'
        ? `a ${args.eventType} event cannot be corrected`
        : `a ${args.eventType} event can be corrected but not retracted`,
      args.rule === 'not_correctable' ? 'eventId' : 'corrected',
    );
    this.eventId = args.eventId;
    this.eventType = args.eventType;
    this.rule = args.rule;
  }
}
