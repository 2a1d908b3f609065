export { AccessGuard } from './access.guard.js';
export {
  actingRole,
  anonymousIdentity,
  eventActor,
  type Actor,
  type EventActor,
  type Identity,
} from './actor.js';
export { Allow, policyOf } from './allow.decorator.js';
export { AnonymousIds } from './anonymous-ids.js';
export {
  AuthenticationUnavailableError,
  ForbiddenError,
  UnauthenticatedError,
  type ForbiddenReason,
  type UnauthenticatedReason,
} from './auth.errors.js';
export { AuthModule } from './auth.module.js';
export { Authenticator, type Credentials } from './authenticator.js';
export { authorize } from './authorize.js';
export { claimValues, readClaim, writeClaim } from './claims.js';
export { CurrentActor } from './current-actor.decorator.js';
export {
  loadOrCreateAnonymousIdSecret,
  loadOrCreateLocalSigningKey,
  type LocalSigningKey,
} from './local-keys.js';
export { requireAgency } from './policies.js';
export { tokenHint } from './token-hint.js';
export { PolicyAudit } from './policy-audit.js';
export type { CuentaContext } from './request-context.js';
export { isRole, ROLES, type PolicyRole, type Role } from './roles.js';
export { mintLocalToken, type MintTokenOptions } from './token-minter.js';
export {
  createTokenVerifier,
  tokenVerifierFor,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedToken,
} from './token-verifier.js';
