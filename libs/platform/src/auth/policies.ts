import type { Actor } from './actor.js';
import { ForbiddenError } from './auth.errors.js';

/**
 * Agency-bound check for commands: a steward may write only for the agencies in its token;
 * other roles pass (the operation's `@Allow` already decided which roles get this far).
 * Call it in the command handler once the target's agency is known. `agency` is an agency
 * id (a commitment's `leadAgency.id`), compared exactly with the ids the token carries.
 * @throws ForbiddenError (reason AGENCY) for a steward of another agency.
 */
export function requireAgency(actor: Actor, agency: string): void {
  if (actor.role === 'steward' && !actor.agencies.includes(agency)) {
    throw new ForbiddenError(
      'AGENCY',
      `A steward of ${actor.agencies.join(', ') || 'no agency'} may not write for agency ${agency}`,
    );
  }
}
