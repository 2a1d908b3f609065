import { actingRole, type Actor, type Identity } from './actor.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import type { PolicyRole } from './roles.js';

/**
 * The actor for `operation` under its policy, or the reason it may not run: no policy at
 * all (FORBIDDEN, NO_POLICY), no token where one is needed (UNAUTHENTICATED,
 * TOKEN_REQUIRED), or a token without an allowed role (FORBIDDEN, ROLE).
 */
export function authorize(
  identity: Identity,
  allowed: readonly PolicyRole[] | undefined,
  operation: string,
): Actor {
  if (!allowed || allowed.length === 0) {
    throw new ForbiddenError(
      'NO_POLICY',
      `${operation} has no access policy, so nobody may call it`,
    );
  }
  const role = actingRole(identity, allowed);
  if (role) return { ...identity, role };
  const roles = allowed.join(', ');
  if (!identity.authenticated) {
    throw new UnauthenticatedError(
      'TOKEN_REQUIRED',
      `${operation} needs a bearer token with one of these roles: ${roles}`,
    );
  }
  throw new ForbiddenError(
    'ROLE',
    `${operation} is open to ${roles}; the token carries ${identity.roles.join(', ') || 'no Cuenta role'}`,
  );
}
