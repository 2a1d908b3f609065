import {
  isPersonalPlaceholder,
  personalValueOf,
  type Actor,
  type PersonalDataStore,
  type PersonalValueModel,
} from '#platform';
import type { EvaluationModel } from './models/evaluation.model.js';

/** Moderators and administrators read a hidden evaluation's comment, to review it. */
export function mayReviewHidden(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'moderator' || actor.role === 'administrator';
}

/**
 * One of an evaluation's personal values as the API shows it (docs/security.md): the
 * platform's `PersonalValue`, its value visible as the platform's `mayReveal` says with the
 * answering agency's stewards (so the comment to anyone; contact and self-declared groups to
 * administrators and those stewards), erased with its date once erased. Null when the citizen
 * gave none, when this server keeps no personal-data store, and -- the comment, for everyone
 * but moderators and administrators -- while the evaluation is hidden (its placeholder stands
 * instead).
 */
export function evaluationPersonalValue(
  evaluation: EvaluationModel,
  field: keyof EvaluationModel['personal'],
  request: { context: object; actor: Actor; store: PersonalDataStore | undefined },
): Promise<PersonalValueModel> | null {
  const placeholder = evaluation.personal[field];
  if (request.store === undefined || !isPersonalPlaceholder(placeholder)) return null;
  if (field === 'comment' && evaluation.hidden && !mayReviewHidden(request.actor)) return null;
  return personalValueOf(
    placeholder,
    { context: request.context, actor: request.actor, store: request.store },
    evaluation.agencyId ?? undefined,
  );
}
