import { CuentaError } from '../errors/cuenta-error.js';

/** A request refused before execution because it exceeds one of the configured limits. */
export abstract class LimitExceededError extends CuentaError {
  constructor(
    message: string,
    readonly limit: number,
    readonly found?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
  override details() {
    return this.found === undefined
      ? { limit: this.limit }
      : { limit: this.limit, found: this.found };
  }
}

export class QueryTooDeepError extends LimitExceededError {
  readonly code = 'QUERY_TOO_DEEP';
}

export class QueryTooCostlyError extends LimitExceededError {
  readonly code = 'QUERY_TOO_COSTLY';
}

export class TooManyAliasesError extends LimitExceededError {
  readonly code = 'TOO_MANY_ALIASES';
}

export class TooManyDirectivesError extends LimitExceededError {
  readonly code = 'TOO_MANY_DIRECTIVES';
}

export class TooManyTokensError extends LimitExceededError {
  readonly code = 'TOO_MANY_TOKENS';
}

export class BatchTooLargeError extends LimitExceededError {
  readonly code = 'BATCH_TOO_LARGE';
}

export class RequestTooLargeError extends LimitExceededError {
  readonly code = 'REQUEST_TOO_LARGE';
}

/** The request body is not JSON, or not a GraphQL request. */
export class BadRequestError extends CuentaError {
  readonly code = 'BAD_REQUEST';
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** The allow-list of persisted operations is on and this operation is not in it. */
export class OperationNotAllowedError extends CuentaError {
  readonly code = 'OPERATION_NOT_ALLOWED';
  constructor(readonly hash: string | undefined) {
    super(
      hash
        ? `Operation ${hash} is not in this server's list of allowed operations`
        : "This server runs only the operations in its allow-list; send a persisted operation's hash",
    );
    this.name = 'OperationNotAllowedError';
  }
  override details() {
    return this.hash ? { hash: this.hash } : {};
  }
}
