import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type RemoteJWKSetOptions,
} from 'jose';
import {
  algorithmFor,
  ConfigError,
  JWT_ALGORITHMS,
  parsePublicKey,
  type AuthConfig,
  type JwtAlgorithm,
} from '../config/config.js';
import { AuthenticationUnavailableError, UnauthenticatedError } from './auth.errors.js';
import { loadOrCreateLocalSigningKey } from './local-keys.js';

export interface VerifiedToken {
  subject: string;
  payload: JWTPayload;
  /** `exp` plus the clock tolerance, in ms since the epoch. */
  validUntil: number;
}

export interface TokenVerifier {
  /**
   * Checks signature, `alg` (pinned), `iss`, `aud`, `exp` (required) and `nbf`.
   * @throws UnauthenticatedError with the reason, for any token that fails.
   * @throws AuthenticationUnavailableError when the provider's keys cannot be fetched.
   */
  verify(token: string): Promise<VerifiedToken>;
  /** For people: where the keys come from. */
  readonly description: string;
}

export interface TokenVerifierOptions {
  /** A public key, or a key resolver such as jose's remote JWKS. */
  key: KeyObject | JWTVerifyGetKey;
  issuer: string;
  audience: string;
  algorithms: readonly JwtAlgorithm[];
  clockToleranceSeconds: number;
  description: string;
  /** Told why keys could not be fetched (the client only learns that they could not). */
  onKeysUnavailable?: (error: unknown) => void;
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: [...options.algorithms],
    clockTolerance: options.clockToleranceSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  return {
    description: options.description,
    async verify(token) {
      try {
        const { payload } =
          typeof options.key === 'function'
            ? await jwtVerify(token, options.key, verifyOptions)
            : await jwtVerify(token, options.key, verifyOptions);
        return {
          subject: payload.sub as string,
          payload,
          validUntil: ((payload.exp as number) + options.clockToleranceSeconds) * 1000,
        };
      } catch (error) {
        throw toAuthenticationError(error, options.onKeysUnavailable);
      }
    },
  };
}

/** Maps jose's failures to the reasons a client sees. */
function toAuthenticationError(
  error: unknown,
  onKeysUnavailable?: (error: unknown) => void,
): Error {
  if (error instanceof UnauthenticatedError || error instanceof AuthenticationUnavailableError) {
    return error;
  }
  if (error instanceof errors.JWTExpired) {
    return new UnauthenticatedError('TOKEN_EXPIRED', 'The bearer token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new UnauthenticatedError('WRONG_ISSUER', 'The bearer token has the wrong issuer');
      case 'aud':
        return new UnauthenticatedError('WRONG_AUDIENCE', 'The bearer token is not for this API');
      case 'nbf':
        return new UnauthenticatedError('TOKEN_NOT_YET_VALID', 'The bearer token is not valid yet');
      case 'sub':
        return new UnauthenticatedError('MISSING_SUBJECT', 'The bearer token has no subject');
      default:
        return new UnauthenticatedError(
          'MALFORMED_TOKEN',
          `The bearer token's "${error.claim}" claim is missing or invalid`,
        );
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new UnauthenticatedError(
      'ALGORITHM_NOT_ALLOWED',
      "The bearer token's signing algorithm is not accepted",
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new UnauthenticatedError('BAD_SIGNATURE', "The bearer token's signature is invalid");
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new UnauthenticatedError(
      'UNKNOWN_KEY',
      'The bearer token is signed with a key the identity provider does not publish',
    );
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error instanceof KeysUnavailable ||
    (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') ||
    !(error instanceof errors.JOSEError)
  ) {
    onKeysUnavailable?.(error instanceof KeysUnavailable ? error.cause : error);
    return new AuthenticationUnavailableError();
  }
  // JWSInvalid, JWTInvalid, JOSENotSupported and the like: not a well-formed signed JWT.
  return new UnauthenticatedError('MALFORMED_TOKEN', 'The bearer token is not a valid signed JWT');
}

/** The keys could not be fetched (discovery or JWKS). */
class KeysUnavailable extends Error {
  constructor(cause: unknown) {
    super('keys unavailable', { cause });
  }
}

export interface RemoteKeysOptions {
  /** OIDC issuer: the JWKS URL is read from its discovery document. */
  oidcIssuer?: string;
  /** JWKS URL; skips discovery. */
  jwksUrl?: string;
  /** Passed to jose's createRemoteJWKSet (cooldown, cache age, timeout). */
  jwks?: RemoteJWKSetOptions;
  discoveryTimeoutMs?: number;
}

/**
 * A key resolver for an OIDC provider: discovery (`.well-known/openid-configuration`) on
 * first use, then jose's remote JWKS, which caches keys and refetches when a token names an
 * unknown `kid` (at most once per cooldown). A failed discovery is retried on the next token.
 */
export function remoteKeys(options: RemoteKeysOptions): JWTVerifyGetKey {
  let jwks: Promise<JWTVerifyGetKey> | undefined;
  const resolve = () =>
    (jwks ??= (async () => {
      const url = options.jwksUrl ?? (await discoverJwksUrl(options));
      return createRemoteJWKSet(new URL(url), options.jwks);
    })().catch((error: unknown) => {
      jwks = undefined;
      throw new KeysUnavailable(error);
    }));
  return async (header, token) => (await resolve())(header, token);
}

async function discoverJwksUrl(options: RemoteKeysOptions): Promise<string> {
  const issuer = options.oidcIssuer as string;
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, {
    signal: AbortSignal.timeout(options.discoveryTimeoutMs ?? 5000),
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== issuer) {
    throw new Error(`${url} names issuer ${JSON.stringify(document.issuer)}, not ${issuer}`);
  }
  if (typeof document.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
  return document.jwks_uri;
}

/**
 * The verifier the configuration asks for: the embedded default's local key, a configured
 * public key (or key file), or an OIDC provider's JWKS.
 */
export async function tokenVerifierFor(
  auth: AuthConfig,
  dataDir: string,
  extra: Pick<TokenVerifierOptions, 'onKeysUnavailable'> & { jwks?: RemoteJWKSetOptions } = {},
): Promise<TokenVerifier> {
  const common = {
    issuer: auth.issuer,
    audience: auth.audience,
    clockToleranceSeconds: auth.clockToleranceSeconds,
    onKeysUnavailable: extra.onKeysUnavailable,
  };
  switch (auth.keys.kind) {
    case 'local': {
      const local = await loadOrCreateLocalSigningKey(dataDir);
      return createTokenVerifier({
        ...common,
        key: local.publicKey,
        algorithms: ['EdDSA'],
        description: `local key ${local.file} (mint tokens with: cuenta token)`,
      });
    }
    case 'public-key':
      return createTokenVerifier({
        ...common,
        key: auth.keys.key,
        algorithms: auth.algorithms ?? [algorithmFor(auth.keys.key)],
        description: 'the public key in CUENTA_JWT_PUBLIC_KEY',
      });
    case 'public-key-file': {
      const file = auth.keys.file;
      const text = await readFile(file, 'utf8').catch(() => {
        throw new ConfigError(
          'CUENTA_JWT_PUBLIC_KEY_FILE',
          'the path of a readable file holding a public key as PEM or JWK',
          file,
        );
      });
      const key = parsePublicKey(text, 'CUENTA_JWT_PUBLIC_KEY_FILE');
      const fitting = algorithmFor(key);
      if (auth.algorithms && !auth.algorithms.includes(fitting)) {
        throw new ConfigError(
          'CUENTA_JWT_ALGORITHMS',
          `a list that includes ${fitting}, the algorithm of CUENTA_JWT_PUBLIC_KEY_FILE`,
          auth.algorithms.join(','),
        );
      }
      return createTokenVerifier({
        ...common,
        key,
        algorithms: auth.algorithms ?? [fitting],
        description: `the public key in ${file}`,
      });
    }
    case 'jwks':
      return createTokenVerifier({
        ...common,
        key: remoteKeys({
          oidcIssuer: auth.keys.oidcIssuer,
          jwksUrl: auth.keys.jwksUrl,
          jwks: extra.jwks,
        }),
        algorithms: auth.algorithms ?? JWT_ALGORITHMS,
        description: auth.keys.jwksUrl
          ? `the key set at ${auth.keys.jwksUrl}`
          : `the OpenID Connect provider ${auth.keys.oidcIssuer}`,
      });
  }
}
