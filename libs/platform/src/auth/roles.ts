/**
 * Roles a token can carry, least privileged first. When a token carries several, an
 * operation runs as the first of them its policy allows (see `actingRole`). What each may
 * do is the `@Allow` of each operation (docs/security.md has the matrix).
 * - citizen: a person signed in with the identity provider: evaluates and reports, as an
 *   anonymous caller may, under their own subject.
 * - steward: an agency's staff; writes only the commitments of the agencies in the token,
 *   and justifies their red flags.
 * - moderator: hides and restores citizen evaluations, with a reason.
 * - oversight: Contraloría, Personería, the IRM: signs a checkpoint on demand, records
 *   independent assessments, sees who made each change in the audit log and reads
 *   change-log summaries.
 * - internal_control: Oficina de Control Interno: sees who made each change in the audit log
 *   and reads change-log summaries.
 * - administrator: runs the deployment: any agency's commitments, action plans, checkpoints
 *   on demand, red-flag justifications, and what internal control sees.
 */
export const ROLES = [
  'citizen',
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
