import { ROLES, type PolicyRole, type Role } from './roles.js';

/** The verified caller of a request: from a bearer token, or anonymous. */
export interface Identity {
  /**
   * The token's `sub`; for anonymous callers a pseudonymous `anon:` id (an HMAC of the
   * client's session id under a deployment secret), never an IP address.
   */
  subject: string;
  /** True when a valid bearer token was presented. */
  authenticated: boolean;
  /** Cuenta roles found in the token's roles claim, in `ROLES` order; empty when anonymous. */
  roles: readonly Role[];
  /**
   * Agency ids from the token's agencies claim (commitments' `leadAgency.id`); they bind a
   * steward's writes.
   */
  agencies: readonly string[];
  /** When the token stops being valid (ms since the epoch, clock tolerance included). */
  validUntil?: number;
}

/** The caller as one operation sees it: its identity and the role it acts in. */
export interface Actor extends Identity {
  /** The first of the caller's roles that the operation's policy allows, or `anonymous`. */
  role: PolicyRole;
}

/** What an event records about who caused it (SPEC: metadata.actor). */
export interface EventActor {
  subject: string;
  role: PolicyRole;
  agency: string | null;
}

export function anonymousIdentity(subject: string): Identity {
  return { subject, authenticated: false, roles: [], agencies: [] };
}

/**
 * The role `identity` acts in under a policy that allows `allowed`, or undefined when the
 * policy allows none of its roles. `anonymous` in a policy admits every caller; a caller
 * with roles then still acts in its least privileged role.
 */
export function actingRole(
  identity: Identity,
  allowed: readonly PolicyRole[],
): PolicyRole | undefined {
  const everyone = allowed.includes('anonymous');
  const role = ROLES.find((r) => identity.roles.includes(r) && (everyone || allowed.includes(r)));
  return role ?? (everyone ? 'anonymous' : undefined);
}

/**
 * The actor for an event's metadata. `agency` is the agency the write concerns (check it
 * with `requireAgency` first); without it a caller bound to exactly one agency records that one.
 */
export function eventActor(actor: Actor, agency?: string): EventActor {
  return {
    subject: actor.subject,
    role: actor.role,
    agency: agency ?? (actor.agencies.length === 1 ? actor.agencies[0] : null),
  };
}
