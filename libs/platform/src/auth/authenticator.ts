import { anonymousIdentity, type Identity } from './actor.js';
import type { AnonymousIds } from './anonymous-ids.js';
import { UnauthenticatedError } from './auth.errors.js';
import { claimValues } from './claims.js';
import { ROLES } from './roles.js';
import type { TokenVerifier } from './token-verifier.js';

/** What a caller presents: the Authorization header (or its graphql-ws equivalent). */
export interface Credentials {
  authorization?: unknown;
  /** A client-chosen session id; keys the pseudonymous id of anonymous callers. */
  session?: unknown;
}

export interface AuthenticatorOptions {
  verifier: TokenVerifier;
  anonymousIds: AnonymousIds;
  rolesClaim: string;
  agenciesClaim: string;
}

/** Turns credentials into an `Identity`: no token is anonymous, a bad token is an error. */
export class Authenticator {
  constructor(private readonly options: AuthenticatorOptions) {}

  get description(): string {
    return this.options.verifier.description;
  }

  /** @throws UnauthenticatedError for anything but a valid `Bearer <jwt>` or nothing at all. */
  async identify(credentials: Credentials): Promise<Identity> {
    const { authorization, session } = credentials;
    if (authorization === undefined || authorization === null || authorization === '') {
      return anonymousIdentity(
        this.options.anonymousIds.pseudonym(typeof session === 'string' ? session : undefined),
      );
    }
    const match =
      typeof authorization === 'string' ? /^Bearer +(\S+) *$/i.exec(authorization) : null;
    if (!match) {
      throw new UnauthenticatedError(
        'MALFORMED_AUTHORIZATION',
        'Send the token as "Authorization: Bearer <token>"',
      );
    }
    const { subject, payload, validUntil } = await this.options.verifier.verify(match[1]);
    const claimed = claimValues(payload, this.options.rolesClaim);
    return {
      subject,
      authenticated: true,
      roles: ROLES.filter((role) => claimed.includes(role)),
      agencies: [...new Set(claimValues(payload, this.options.agenciesClaim))],
      validUntil,
    };
  }
}
