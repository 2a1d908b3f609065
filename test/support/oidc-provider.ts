import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';

export interface ProviderKey {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function providerKey(kid: string, alg: ProviderKey['alg'] = 'RS256'): ProviderKey {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return { kid, alg, ...pair };
}

/**
 * A stand-in OpenID Connect provider on 127.0.0.1, laid out like a Keycloak realm: the
 * discovery document and the realm's JSON Web Key Set, whose keys a test can rotate.
 */
export interface LocalProvider {
  /** `http://127.0.0.1:<port>/realms/cuenta`, the `iss` of its tokens. */
  issuer: string;
  jwksUrl: string;
  /** Requests served so far, by path. */
  hits: Record<string, number>;
  /** Replaces the published keys. */
  publish(keys: ProviderKey[]): void;
  /** Answers 503 to everything while down. */
  setDown(down: boolean): void;
  /** Signs a token as the realm would, with `key`. */
  sign(
    key: ProviderKey,
    claims: JWTPayload,
    options?: { issuer?: string; audience?: string; ttlSeconds?: number },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startProvider(options: {
  audience: string;
  discoveryIssuer?: string;
}): Promise<LocalProvider> {
  let keys: ProviderKey[] = [];
  let down = false;
  const hits: Record<string, number> = {};
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    hits[url] = (hits[url] ?? 0) + 1;
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (down) return reply(503, { error: 'down' });
    if (url === '/realms/cuenta/.well-known/openid-configuration') {
      return reply(200, {
        issuer: options.discoveryIssuer ?? issuer,
        jwks_uri: jwksUrl,
        id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'],
      });
    }
    if (url === '/realms/cuenta/protocol/openid-connect/certs') {
      void Promise.all(
        keys.map(async (key) => ({
          ...(await exportJWK(key.publicKey)),
          kid: key.kid,
          alg: key.alg,
          use: 'sig',
        })),
      ).then((jwks) => reply(200, { keys: jwks }));
      return;
    }
    reply(404, { error: 'not found' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/realms/cuenta`;
  const jwksUrl = `${issuer}/protocol/openid-connect/certs`;
  return {
    issuer,
    jwksUrl,
    hits,
    publish: (next) => {
      keys = next;
    },
    setDown: (value) => {
      down = value;
    },
    sign: (key, claims, signOptions = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer(signOptions.issuer ?? issuer)
        .setAudience(signOptions.audience ?? options.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (signOptions.ttlSeconds ?? 300))
        .sign(key.privateKey);
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
