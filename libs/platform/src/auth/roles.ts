/**
 * Roles a token can carry, least privileged first. When a token carries several, an
 * operation runs as the first of them its policy allows (see `actingRole`).
 * - steward: an agency's staff; writes only the commitments of the agencies in the token.
 * - moderator: hides citizen evaluations, with a reason.
 * - oversight: Contraloría, Personería, the IRM: audits, assessments, witness cosignatures.
 * - internal_control: Oficina de Control Interno: change logs, red flags.
 * - administrator: runs the deployment (plans, configuration).
 */
export const ROLES = [
  'steward',
  'moderator',
  'oversight',
  'internal_control',
  'administrator',
] as const;

export type Role = (typeof ROLES)[number];

/** Who a policy may name: a role, or `anonymous` for everyone, with or without a token. */
export type PolicyRole = Role | 'anonymous';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
