import { DomainError } from '#kernel';

export class PrioritizationNotFound extends DomainError {
  readonly code = 'PRIORITIZATION_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  readonly prioritizationId: string;

  constructor(prioritizationId: string) {
    super(`prioritization ${prioritizationId} does not exist`, 'prioritizationId');
    this.prioritizationId = prioritizationId;
  }
}

export class PrioritizationAlreadyOpened extends DomainError {
  readonly code = 'PRIORITIZATION_ALREADY_OPENED';
  readonly category = 'CONFLICT';
  readonly prioritizationId: string;

  constructor(prioritizationId: string) {
    super(`prioritization ${prioritizationId} was already opened`, 'prioritizationId');
    this.prioritizationId = prioritizationId;
  }
}

/** A ballot before the exercise's opening time. */
export class PrioritizationNotOpenYet extends DomainError {
  readonly code = 'PRIORITIZATION_NOT_OPEN_YET';
  readonly category = 'CONFLICT';
  readonly opensAt: string;

  constructor(opensAt: string) {
    super(`the prioritization takes ballots from ${opensAt}`, 'prioritizationId');
    this.opensAt = opensAt;
  }
}

/** A ballot at or after the closing time, or once the result is recorded. */
export class PrioritizationVotingEnded extends DomainError {
  readonly code = 'PRIORITIZATION_VOTING_ENDED';
  readonly category = 'CONFLICT';
  readonly closesAt: string;

  constructor(closesAt: string) {
    super(`the prioritization stopped taking ballots at ${closesAt}`, 'prioritizationId');
    this.closesAt = closesAt;
  }
}

/** Closing before the closing time. */
export class PrioritizationStillOpen extends DomainError {
  readonly code = 'PRIORITIZATION_STILL_OPEN';
  readonly category = 'CONFLICT';
  readonly closesAt: string;

  constructor(closesAt: string) {
    super(
      `the prioritization can be closed from ${closesAt}, its closing time`,
      'prioritizationId',
    );
    this.closesAt = closesAt;
  }
}

export class PrioritizationAlreadyClosed extends DomainError {
  readonly code = 'PRIORITIZATION_ALREADY_CLOSED';
  readonly category = 'CONFLICT';
  readonly prioritizationId: string;

  constructor(prioritizationId: string) {
    super(
      `prioritization ${prioritizationId} is closed: its result is recorded`,
      'prioritizationId',
    );
    this.prioritizationId = prioritizationId;
  }
}
