import { describe, expect, it } from '@jest/globals';
import {
  providerKey,
  startProvider,
  type LocalProvider,
} from '../../../../test/support/oidc-provider.js';
import { loadConfig } from '../config/config.js';
import { AuthenticationUnavailableError, UnauthenticatedError } from './auth.errors.js';
import { tokenVerifierFor, type TokenVerifier } from './token-verifier.js';

// Against a stand-in OpenID Connect provider on 127.0.0.1 (discovery and JWKS over HTTP).

const AUDIENCE = 'cuenta-api';
const DISCOVERY = '/realms/cuenta/.well-known/openid-configuration';
const JWKS = '/realms/cuenta/protocol/openid-connect/certs';

async function verifierFor(
  provider: LocalProvider,
  env: Record<string, string> = {},
  cooldownDuration = 50,
): Promise<TokenVerifier> {
  const config = loadConfig(
    { CUENTA_OIDC_ISSUER: provider.issuer, CUENTA_JWT_AUDIENCE: AUDIENCE, ...env },
    '/',
  );
  return tokenVerifierFor(config.auth, '/nonexistent', { jwks: { cooldownDuration } });
}

async function outcome(verifier: TokenVerifier, token: string): Promise<string> {
  try {
    return `accepted ${(await verifier.verify(token)).subject}`;
  } catch (error) {
    if (error instanceof UnauthenticatedError) return `${error.code} ${error.reason}`;
    if (error instanceof AuthenticationUnavailableError) return error.code;
    throw error;
  }
}

/** Runs `test` against a fresh provider, closing it afterwards. */
async function withProvider(
  test: (provider: LocalProvider) => Promise<void>,
  discoveryIssuer?: string,
) {
  const provider = await startProvider({ audience: AUDIENCE, discoveryIssuer });
  try {
    await test(provider);
  } finally {
    await provider.close();
  }
}

describe('tokens from an OpenID Connect provider', () => {
  it('finds the key set by discovery and verifies RS256, ES256 and EdDSA tokens', () =>
    withProvider(async (provider) => {
      const keys = [providerKey('rsa'), providerKey('ec', 'ES256'), providerKey('ed', 'EdDSA')];
      provider.publish(keys);
      const verifier = await verifierFor(provider);
      const results = [];
      for (const key of keys)
        results.push(await outcome(verifier, await provider.sign(key, { sub: key.kid })));
      expect(results).toEqual(['accepted rsa', 'accepted ec', 'accepted ed']);
      expect(provider.hits[DISCOVERY]).toBe(1);
      expect(provider.hits[JWKS]).toBe(1);
    }));

  it('refetches the key set when a token names an unknown key id (key rotation)', () =>
    withProvider(async (provider) => {
      const old = providerKey('2025-key');
      const rotated = providerKey('2026-key');
      provider.publish([old]);
      const verifier = await verifierFor(provider);
      const before = await outcome(verifier, await provider.sign(old, { sub: 'ana' }));
      provider.publish([rotated]);
      await new Promise((resolve) => setTimeout(resolve, 80)); // past the refetch cooldown
      const after = await outcome(verifier, await provider.sign(rotated, { sub: 'ana' }));
      const retired = await outcome(verifier, await provider.sign(old, { sub: 'ana' }));
      expect(before).toBe('accepted ana');
      expect(after).toBe('accepted ana');
      expect(retired).toBe('UNAUTHENTICATED UNKNOWN_KEY');
      expect(provider.hits[JWKS]).toBeGreaterThanOrEqual(2);
      expect(provider.hits[DISCOVERY]).toBe(1);
    }));

  it('caches the key set: known keys cost no request', () =>
    withProvider(async (provider) => {
      const key = providerKey('k1');
      provider.publish([key]);
      const verifier = await verifierFor(provider, {}, 30_000);
      for (let i = 0; i < 5; i++) await verifier.verify(await provider.sign(key, { sub: `u${i}` }));
      expect(provider.hits[JWKS]).toBe(1);
    }));

  it('uses CUENTA_JWKS_URL without discovery', () =>
    withProvider(async (provider) => {
      const key = providerKey('k1');
      provider.publish([key]);
      const verifier = await verifierFor(provider, { CUENTA_JWKS_URL: provider.jwksUrl });
      expect(await outcome(verifier, await provider.sign(key, { sub: 'ana' }))).toBe(
        'accepted ana',
      );
      expect(provider.hits[DISCOVERY]).toBeUndefined();
    }));

  it("refuses another issuer's token and a token for another audience", () =>
    withProvider(async (provider) => {
      const key = providerKey('k1');
      provider.publish([key]);
      const verifier = await verifierFor(provider);
      const foreign = await provider.sign(
        key,
        { sub: 'a' },
        { issuer: 'https://other.example/realms/x' },
      );
      const account = await provider.sign(key, { sub: 'a' }, { audience: 'account' });
      expect(await outcome(verifier, foreign)).toBe('UNAUTHENTICATED WRONG_ISSUER');
      expect(await outcome(verifier, account)).toBe('UNAUTHENTICATED WRONG_AUDIENCE');
    }));

  it('answers AUTHENTICATION_UNAVAILABLE while the provider is down, and recovers', () =>
    withProvider(async (provider) => {
      const key = providerKey('k1');
      provider.publish([key]);
      provider.setDown(true);
      const verifier = await verifierFor(provider);
      const token = await provider.sign(key, { sub: 'ana' });
      const down = await outcome(verifier, token);
      provider.setDown(false);
      const up = await outcome(verifier, token);
      expect(down).toBe('AUTHENTICATION_UNAVAILABLE');
      expect(up).toBe('accepted ana');
    }));

  it('trusts no key set from a discovery document that names another issuer', () =>
    withProvider(async (provider) => {
      const key = providerKey('k1');
      provider.publish([key]);
      const verifier = await verifierFor(provider);
      expect(await outcome(verifier, await provider.sign(key, { sub: 'ana' }))).toBe(
        'AUTHENTICATION_UNAVAILABLE',
      );
      expect(provider.hits[JWKS]).toBeUndefined();
    }, 'https://impostor.example/realms/cuenta'));
});
