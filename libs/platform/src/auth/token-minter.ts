import { SignJWT } from 'jose';
import { writeClaim } from './claims.js';
import type { LocalSigningKey } from './local-keys.js';
import type { Role } from './roles.js';

export interface MintTokenOptions {
  key: LocalSigningKey;
  issuer: string;
  audience: string;
  subject: string;
  role: Role;
  /** Agencies a steward may write for. */
  agencies?: readonly string[];
  /** Lifetime in seconds. */
  ttlSeconds: number;
  rolesClaim: string;
  agenciesClaim: string;
  now?: Date;
}

/** Signs a token with the embedded default's key, as `cuenta token` does. */
export async function mintLocalToken(
  options: MintTokenOptions,
): Promise<{ token: string; expiresAt: Date }> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: Record<string, unknown> = {};
  writeClaim(claims, options.rolesClaim, [options.role]);
  if (options.agencies?.length) writeClaim(claims, options.agenciesClaim, [...options.agencies]);
  const expiresAt = now + options.ttlSeconds;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: options.key.kid })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(options.subject)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(options.key.privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}
