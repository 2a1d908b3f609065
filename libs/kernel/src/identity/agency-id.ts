// An agency's id: the stable name of an agency that stewards' tokens carry in their agencies
// claim, that events record as `metadata.actor.agency`, and that every context's records
// name their agency by (a commitment's lead agency, a dialogue space's, a prioritization's).

/** The longest agency id. */
export const AGENCY_ID_MAX_LENGTH = 64;

const AGENCY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The rule, in words, for error messages (the API's, the command line's). */
export const AGENCY_ID_RULE =
  `1 to ${AGENCY_ID_MAX_LENGTH} lower-case letters (a-z) and digits, in groups joined by ` +
  'single hyphens (e.g. secretaria-de-planeacion)';

/** An agency id: lower-case a-z and 0-9 in groups joined by single hyphens, 1 to 64 long. */
export function isAgencyId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= AGENCY_ID_MAX_LENGTH && AGENCY_ID.test(value);
}
