import { CuentaError } from '../errors/cuenta-error.js';

/** Why a bearer token was refused; shown to the client as `extensions.reason`. */
export type UnauthenticatedReason =
  | 'MALFORMED_AUTHORIZATION'
  | 'MALFORMED_TOKEN'
  | 'ALGORITHM_NOT_ALLOWED'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_KEY'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  | 'MISSING_SUBJECT'
  | 'TOKEN_REQUIRED';

/**
 * The caller's credentials cannot be accepted, or the operation needs a token and none was
 * sent. An invalid token never falls back to anonymous access.
 */
export class UnauthenticatedError extends CuentaError {
  readonly code = 'UNAUTHENTICATED';
  constructor(
    readonly reason: UnauthenticatedReason,
    message: string,
  ) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
  override details() {
    return { reason: this.reason };
  }
}

export type ForbiddenReason = 'ROLE' | 'AGENCY' | 'NO_POLICY';

/** A verified caller whose roles (or agencies) do not allow the operation. */
export class ForbiddenError extends CuentaError {
  readonly code = 'FORBIDDEN';
  constructor(
    readonly reason: ForbiddenReason,
    message: string,
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
  override details() {
    return { reason: this.reason };
  }
}

/**
 * The identity provider's keys could not be fetched, so no token can be checked right now.
 * Not the caller's fault: their token may well be valid.
 */
export class AuthenticationUnavailableError extends CuentaError {
  readonly code = 'AUTHENTICATION_UNAVAILABLE';
  constructor() {
    super('Tokens cannot be verified right now (identity provider unreachable); retry later');
    this.name = 'AuthenticationUnavailableError';
  }
}
