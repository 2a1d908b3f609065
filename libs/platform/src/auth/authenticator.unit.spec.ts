import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SignJWT, type JWTPayload } from 'jose';
import { AnonymousIds } from './anonymous-ids.js';
import { UnauthenticatedError } from './auth.errors.js';
import { Authenticator } from './authenticator.js';
import { createTokenVerifier } from './token-verifier.js';

const keys = generateKeyPairSync('ed25519');

function authenticator(rolesClaim = 'cuenta_roles', agenciesClaim = 'cuenta_agencies') {
  return new Authenticator({
    verifier: createTokenVerifier({
      key: keys.publicKey,
      issuer: 'iss',
      audience: 'aud',
      algorithms: ['EdDSA'],
      clockToleranceSeconds: 0,
      description: 'test',
    }),
    anonymousIds: new AnonymousIds('s'.repeat(32)),
    rolesClaim,
    agenciesClaim,
  });
}

const sign = (claims: JWTPayload) =>
  new SignJWT({ sub: 'ana', ...claims })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer('iss')
    .setAudience('aud')
    .setExpirationTime('5m')
    .sign(keys.privateKey);

describe('Authenticator', () => {
  it('identifies a caller without a token as anonymous, with a pseudonym', async () => {
    const identity = await authenticator().identify({});
    expect(identity).toEqual({
      subject: expect.stringMatching(/^anon:[\w-]{22}$/),
      authenticated: false,
      roles: [],
      agencies: [],
    });
  });

  it('gives one session the same pseudonym, and another session another one', async () => {
    const auth = authenticator();
    const a = await auth.identify({ session: 'browser-session-1' });
    const again = await auth.identify({ session: 'browser-session-1' });
    const b = await auth.identify({ session: 'browser-session-2' });
    expect(again.subject).toBe(a.subject);
    expect(b.subject).not.toBe(a.subject);
  });

  it('keys pseudonyms with the deployment secret', () => {
    const one = new AnonymousIds('a'.repeat(32)).pseudonym('same');
    const two = new AnonymousIds('b'.repeat(32)).pseudonym('same');
    expect(one).not.toBe(two);
  });

  it('gives callers without a session unlinkable pseudonyms', async () => {
    const auth = authenticator();
    const first = await auth.identify({});
    const second = await auth.identify({});
    expect(first.subject).not.toBe(second.subject);
  });

  it('reads roles and agencies from the token, ignoring roles Cuenta does not know', async () => {
    const identity = await authenticator().identify({
      authorization: `Bearer ${await sign({
        cuenta_roles: ['administrator', 'offline_access', 'steward'],
        cuenta_agencies: ['planeacion', 'hacienda', 'planeacion'],
      })}`,
    });
    expect(identity).toEqual({
      subject: 'ana',
      authenticated: true,
      roles: ['steward', 'administrator'],
      agencies: ['planeacion', 'hacienda'],
      validUntil: expect.any(Number),
    });
  });

  it('reads Keycloak realm roles through a dotted claim path', async () => {
    const identity = await authenticator('realm_access.roles', 'agencies').identify({
      authorization: `Bearer ${await sign({
        realm_access: { roles: ['default-roles-cuenta', 'moderator'] },
        agencies: 'planeacion hacienda',
      })}`,
    });
    expect(identity.roles).toEqual(['moderator']);
    expect(identity.agencies).toEqual(['planeacion', 'hacienda']);
  });

  it('accepts the scheme in any case', async () => {
    const identity = await authenticator().identify({
      authorization: `bearer ${await sign({ cuenta_roles: ['oversight'] })}`,
    });
    expect(identity.roles).toEqual(['oversight']);
  });

  for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'token', 42]) {
    it(`refuses the Authorization value ${JSON.stringify(authorization)} as MALFORMED_AUTHORIZATION`, async () => {
      const failure = await authenticator()
        .identify({ authorization })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UnauthenticatedError);
      expect((failure as UnauthenticatedError).reason).toBe('MALFORMED_AUTHORIZATION');
    });
  }

  it('never treats a bad token as anonymous', async () => {
    const failure = await authenticator()
      .identify({ authorization: 'Bearer not-a-jwt' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnauthenticatedError);
    expect((failure as UnauthenticatedError).code).toBe('UNAUTHENTICATED');
  });
});
