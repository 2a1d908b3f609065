import { isPersonalPlaceholder, type Actor, type PersonalDataStore } from '#platform';
import type { EvaluationModel } from './models/evaluation.model.js';

/**
 * Who may see an evaluation's personal values (docs/security.md): its comment, anyone while it
 * is visible (moderators and administrators also while hidden); its contact and self-declared groups, administrators and the stewards of the
 * agency that answers it.
 */
export function mayRevealContact(actor: Actor, evaluation: EvaluationModel): boolean {
  if (actor.role === 'administrator') return true;
  return (
    actor.role === 'steward' &&
    evaluation.agencyId !== null &&
    actor.agencies.includes(evaluation.agencyId)
  );
}

/** Moderators and administrators read a hidden evaluation's comment, to review it. */
export function mayReviewHidden(actor: Actor): boolean {
  return actor.role === 'moderator' || actor.role === 'administrator';
}

/**
 * The value a placeholder stands for, or null when there is none, it was erased, or this
 * server keeps no personal-data store. The one place evaluations read personal values: the
 * platform's request-scoped `PersonalValue` loader replaces it once it is wired in.
 */
export async function revealPersonal(
  store: PersonalDataStore | undefined,
  placeholder: unknown,
): Promise<unknown> {
  if (store === undefined || !isPersonalPlaceholder(placeholder)) return null;
  const [revealed] = await store.reveal([placeholder.personal]);
  if (revealed instanceof Error || revealed.erased) return null;
  return revealed.value;
}
