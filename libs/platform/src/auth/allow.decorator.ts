import { SetMetadata } from '@nestjs/common';
import type { PolicyRole } from './roles.js';

export const ACCESS_POLICY = 'cuenta:access-policy';

/**
 * Declares who may call a resolver operation (on a method) or every operation of a
 * resolver (on the class; a method's own `@Allow` wins). The global `AccessGuard` refuses
 * any Query, Mutation or Subscription without one, and the server logs it at start.
 *
 * ```ts
 * @Allow('anonymous')                      // everyone, with or without a token
 * @Query(() => CommitmentModel) commitment(...)
 *
 * @Allow('steward', 'administrator')       // these roles only
 * @Mutation(() => AppendResult) reportProgress(@CurrentActor() actor: Actor, ...) {
 *   // agency-bound: the handler calls requireAgency(actor, commitment.agency)
 * }
 * ```
 * Every operation also needs its row in test/e2e/access-matrix.ts.
 */
export function Allow(...roles: [PolicyRole, ...PolicyRole[]]) {
  return SetMetadata(ACCESS_POLICY, Object.freeze([...new Set(roles)]));
}

/** The roles a handler allows: its own `@Allow`, else its class's; undefined when neither. */
export function policyOf(
  handler: object,
  owner: object | undefined,
): readonly PolicyRole[] | undefined {
  return (
    (Reflect.getMetadata(ACCESS_POLICY, handler) as readonly PolicyRole[] | undefined) ??
    (owner
      ? (Reflect.getMetadata(ACCESS_POLICY, owner) as readonly PolicyRole[] | undefined)
      : undefined)
  );
}
