import type { Actor } from '../auth/actor.js';
import type { PersonalKind } from './personal-data.js';

/**
 * Who may see a personal value of each kind (docs/security.md, "Personal data"):
 * - `comment`: everyone; a moderated comment is hidden by its context before it gets here.
 * - `name`, `contact`, `sensitive`: administrators, and the stewards of the agency that must
 *   answer the person (`answeringAgency`, which the context knows; without one, no steward).
 * Subject ids (`maySeeSubjects`): administrators only, who erase by them.
 */
export function mayReveal(
  kind: PersonalKind,
  actor: Pick<Actor, 'role' | 'agencies'>,
  answeringAgency?: string,
): boolean {
  if (kind === 'comment') return true;
  if (actor.role === 'administrator') return true;
  return (
    actor.role === 'steward' &&
    answeringAgency !== undefined &&
    actor.agencies.includes(answeringAgency)
  );
}

/** Whether the caller may see whose a personal value is (its subject id). */
export function maySeeSubjects(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'administrator';
}
