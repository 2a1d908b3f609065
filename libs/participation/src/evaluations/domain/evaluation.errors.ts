import { DomainError } from '#kernel';

export class EvaluationNotFound extends DomainError {
  readonly code = 'EVALUATION_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  constructor(readonly evaluationId: string) {
    super(`evaluation ${evaluationId} does not exist`, 'evaluationId');
  }
}

export class EvaluationAlreadySubmitted extends DomainError {
  readonly code = 'EVALUATION_ALREADY_SUBMITTED';
  readonly category = 'CONFLICT';
  constructor(readonly evaluationId: string) {
    super(`evaluation ${evaluationId} is already submitted`, 'evaluationId');
  }
}

/** The commitment, milestone or dialogue space an evaluation names does not exist. */
export class EvaluationTargetNotFound extends DomainError {
  readonly code = 'EVALUATION_TARGET_NOT_FOUND';
  readonly category = 'NOT_FOUND';
  constructor(field: string, what: string) {
    super(`${field}: ${what} does not exist`, field);
  }
}

/** Hiding a hidden evaluation, or restoring a visible one. */
export class EvaluationModerationConflict extends DomainError {
  readonly code = 'EVALUATION_MODERATION_CONFLICT';
  readonly category = 'CONFLICT';
  constructor(evaluationId: string, state: 'hidden' | 'visible') {
    super(`evaluation ${evaluationId} is already ${state}`, 'evaluationId');
  }
}

/** The same reporter (token subject or anonymous pseudonym) reporting an evaluation again. */
export class EvaluationAlreadyReported extends DomainError {
  readonly code = 'EVALUATION_ALREADY_REPORTED';
  readonly category = 'CONFLICT';
  constructor(readonly evaluationId: string) {
    super(`evaluation ${evaluationId} was already reported by this reporter`, 'evaluationId');
  }
}
