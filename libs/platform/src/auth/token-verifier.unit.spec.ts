import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { base64url, SignJWT, type JWTPayload } from 'jose';
import { loadConfig } from '../config/config.js';
import { AuthenticationUnavailableError, UnauthenticatedError } from './auth.errors.js';
import { createTokenVerifier, tokenVerifierFor } from './token-verifier.js';

const ISSUER = 'https://sso.example.org/realms/cuenta';
const AUDIENCE = 'cuenta-api';
const ed25519 = generateKeyPairSync('ed25519');
const now = () => Math.floor(Date.now() / 1000);

function verifierFor(key: KeyObject, algorithms: Array<'EdDSA' | 'ES256' | 'RS256'> = ['EdDSA']) {
  return createTokenVerifier({
    key,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms,
    clockToleranceSeconds: 5,
    description: 'test key',
  });
}

function token(
  claims: JWTPayload = {},
  options: { key?: KeyObject; alg?: string; issuer?: string; audience?: string; exp?: number } = {},
): Promise<string> {
  const builder = new SignJWT({ sub: 'ana', ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'EdDSA' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now() - 10);
  if (options.exp !== 0) builder.setExpirationTime(options.exp ?? now() + 300);
  return builder.sign(options.key ?? ed25519.privateKey);
}

/** The reason a verifier gives for refusing `jwt`, or 'accepted'. */
async function outcome(jwt: string, verifier = verifierFor(ed25519.publicKey)): Promise<string> {
  try {
    await verifier.verify(jwt);
    return 'accepted';
  } catch (error) {
    if (error instanceof UnauthenticatedError) return `${error.code} ${error.reason}`;
    if (error instanceof AuthenticationUnavailableError) return error.code;
    throw error;
  }
}

const unsigned = (header: object, payload: object) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;

describe('token verification', () => {
  it('accepts a token signed by the key, for the issuer and audience, not expired', async () => {
    const exp = now() + 300;
    const verified = await verifierFor(ed25519.publicKey).verify(
      await token({ cuenta_roles: ['steward'] }, { exp }),
    );
    expect(verified.subject).toBe('ana');
    expect(verified.validUntil).toBe((exp + 5) * 1000);
    expect(verified.payload.cuenta_roles).toEqual(['steward']);
  });

  it('refuses an expired token with UNAUTHENTICATED TOKEN_EXPIRED', async () => {
    expect(await outcome(await token({}, { exp: now() - 60 }))).toBe(
      'UNAUTHENTICATED TOKEN_EXPIRED',
    );
  });

  it('accepts a token expired within the clock tolerance', async () => {
    expect(await outcome(await token({}, { exp: now() - 2 }))).toBe('accepted');
  });

  it('refuses a token signed by another key with BAD_SIGNATURE', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(await outcome(await token({}, { key: other }))).toBe('UNAUTHENTICATED BAD_SIGNATURE');
  });

  it('refuses a token from another issuer with WRONG_ISSUER', async () => {
    expect(await outcome(await token({}, { issuer: 'https://evil.example' }))).toBe(
      'UNAUTHENTICATED WRONG_ISSUER',
    );
  });

  it('refuses a token for another audience with WRONG_AUDIENCE', async () => {
    expect(await outcome(await token({}, { audience: 'account' }))).toBe(
      'UNAUTHENTICATED WRONG_AUDIENCE',
    );
  });

  it('refuses an unsigned token (alg none) with ALGORITHM_NOT_ALLOWED', async () => {
    const jwt = unsigned(
      { alg: 'none', typ: 'JWT' },
      { sub: 'ana', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 },
    );
    expect(await outcome(jwt)).toBe('UNAUTHENTICATED ALGORITHM_NOT_ALLOWED');
  });

  it('refuses an HMAC token keyed with the public key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(
      ed25519.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const jwt = await new SignJWT({ sub: 'ana' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(now() + 300)
      .sign(secret);
    expect(await outcome(jwt)).toBe('UNAUTHENTICATED ALGORITHM_NOT_ALLOWED');
  });

  it('refuses an algorithm outside the pinned list even with a matching key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwt = await token({}, { key: rsa.privateKey, alg: 'RS384' });
    expect(await outcome(jwt, verifierFor(rsa.publicKey, ['RS256']))).toBe(
      'UNAUTHENTICATED ALGORITHM_NOT_ALLOWED',
    );
  });

  it('refuses a token without an expiry', async () => {
    expect(await outcome(await token({}, { exp: 0 }))).toBe('UNAUTHENTICATED MALFORMED_TOKEN');
  });

  it('refuses a token without a subject with MISSING_SUBJECT', async () => {
    expect(await outcome(await token({ sub: undefined }))).toBe('UNAUTHENTICATED MISSING_SUBJECT');
  });

  it('refuses a token not valid yet with TOKEN_NOT_YET_VALID', async () => {
    expect(await outcome(await token({ nbf: now() + 600 }))).toBe(
      'UNAUTHENTICATED TOKEN_NOT_YET_VALID',
    );
  });

  for (const garbage of ['abc', 'a.b.c', '', 'eyJhbGciOiJFZERTQSJ9.e30']) {
    it(`refuses the malformed token ${JSON.stringify(garbage)} with MALFORMED_TOKEN`, async () => {
      expect(await outcome(garbage)).toBe('UNAUTHENTICATED MALFORMED_TOKEN');
    });
  }

  it('verifies ES256 and RS256 with their keys', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const es = await token({}, { key: ec.privateKey, alg: 'ES256' });
    const rs = await token({}, { key: rsa.privateKey, alg: 'RS256' });
    expect(await outcome(es, verifierFor(ec.publicKey, ['ES256']))).toBe('accepted');
    expect(await outcome(rs, verifierFor(rsa.publicKey, ['RS256']))).toBe('accepted');
  });

  it('reports keys that cannot be fetched as AUTHENTICATION_UNAVAILABLE, not as a bad token', async () => {
    const reasons: unknown[] = [];
    const verifier = createTokenVerifier({
      key: async () => {
        throw new TypeError('fetch failed');
      },
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
      clockToleranceSeconds: 0,
      description: 'unreachable',
      onKeysUnavailable: (error) => reasons.push(error),
    });
    expect(await outcome(await token(), verifier)).toBe('AUTHENTICATION_UNAVAILABLE');
    expect(reasons).toEqual([new TypeError('fetch failed')]);
  });
});

describe('the verifier the configuration asks for', () => {
  it('pins the algorithm of a configured public key', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const config = loadConfig(
      {
        CUENTA_JWT_PUBLIC_KEY: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        CUENTA_JWT_ISSUER: ISSUER,
        CUENTA_JWT_AUDIENCE: AUDIENCE,
      },
      '/',
    );
    const verifier = await tokenVerifierFor(config.auth, '/nonexistent');
    const es = await token({}, { key: ec.privateKey, alg: 'ES256' });
    const ed = await token();
    expect(await outcome(es, verifier)).toBe('accepted');
    expect(await outcome(ed, verifier)).toBe('UNAUTHENTICATED ALGORITHM_NOT_ALLOWED');
  });
});
