// A lead agency's id: the stable name of an agency that stewards' tokens carry in their
// agencies claim, and that events record as `metadata.actor.agency`. The agency's `name` is
// text for people and may be revised; the id is fixed when the commitment is registered. Its
// form is the kernel's, the same for every context; what a command gives is checked here.

import { AGENCY_ID_MAX_LENGTH, isAgencyId } from '#kernel';

export { AGENCY_ID_MAX_LENGTH, AGENCY_ID_RULE, isAgencyId } from '#kernel';

/**
 * The id an agency gets when none is given: its name in lower case, accents removed, every
 * run of other characters (spaces, punctuation, letters outside a-z) turned into one `-`, no
 * `-` at either end; cut to 64 characters (and a `-` left at the cut dropped).
 * `Secretaría de Planeación Distrital` gives `secretaria-de-planeacion-distrital`.
 * @returns undefined when the name has no letter a-z or digit to derive an id from.
 */
export function agencyIdFromName(name: string): string | undefined {
  const id = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, AGENCY_ID_MAX_LENGTH)
    .replace(/-+$/, '');
  return id === '' ? undefined : id;
}

/** Why a lead agency given in a command has no id to record. */
export type AgencyIdProblem =
  /** `id` is given but is not text. */
  | 'not_text'
  /** `id` is given as blank text. */
  | 'blank'
  /** `id` breaks AGENCY_ID_RULE. */
  | 'invalid'
  /** No `id`, and the name has no letter a-z or digit to derive one from. */
  | 'underivable';

/**
 * The id a lead agency given in a command as `{ id, name }` is recorded with: `id`, trimmed,
 * when given (undefined and null are not given), else the one `name` derives. The one rule
 * for the command's checks and for the handler, which needs the id before them.
 */
export function agencyIdOf(
  id: unknown,
  name: unknown,
): { id: string } | { problem: AgencyIdProblem } {
  if (id === undefined || id === null) {
    const derived = typeof name === 'string' ? agencyIdFromName(name) : undefined;
    return derived === undefined ? { problem: 'underivable' } : { id: derived };
  }
  if (typeof id !== 'string') return { problem: 'not_text' };
  const given = id.trim();
  if (given === '') return { problem: 'blank' };
  return isAgencyId(given) ? { id: given } : { problem: 'invalid' };
}

/**
 * The id a lead agency given in a command will be recorded with (`agencyIdOf`), where it can
 * be told before the command is checked. Undefined for anything else (the command's checks
 * then say what is wrong).
 */
export function agencyIdOfInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { id, name } = input as { id?: unknown; name?: unknown };
  const outcome = agencyIdOf(id, name);
  return 'id' in outcome ? outcome.id : undefined;
}
