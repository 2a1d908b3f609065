import { generateKeyPairSync } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { SignJWT, base64url } from 'jose';
import WebSocket from 'ws';
import {
  LOCAL_TOKEN_AUDIENCE,
  LOCAL_TOKEN_ISSUER,
  loadOrCreateLocalSigningKey,
  mintLocalToken,
  ROLES,
  type PolicyRole,
  type Role,
} from '#platform';
import { graphql, type GraphQLResponse } from './server.js';

/** The API with the test-only AccessProbeModule (test/support/access-probe.module.ts). */
export const PROBE_SERVER = 'dist/test/support/probe-server.js';

/** Every caller the matrix tries: no token, then one token per role. */
export const CALLERS: readonly PolicyRole[] = ['anonymous', ...ROLES];

export interface TokenRequest {
  role: Role;
  agencies?: string[];
  subject?: string;
  ttlSeconds?: number;
  now?: Date;
}

/** Mints tokens with the local key in `dataDir`, the key a server on that folder verifies with. */
export async function localTokens(dataDir: string) {
  const key = await loadOrCreateLocalSigningKey(dataDir);
  const mint = async (request: TokenRequest): Promise<string> =>
    (
      await mintLocalToken({
        key,
        issuer: LOCAL_TOKEN_ISSUER,
        audience: LOCAL_TOKEN_AUDIENCE,
        rolesClaim: 'cuenta_roles',
        agenciesClaim: 'cuenta_agencies',
        subject: request.subject ?? `test-${request.role}`,
        role: request.role,
        agencies: request.agencies ?? (request.role === 'steward' ? ['planeacion'] : []),
        ttlSeconds: request.ttlSeconds ?? 600,
        now: request.now,
      })
    ).token;
  /** A token carrying several roles at once, as an identity provider may issue. */
  const mintRoles = (roles: Role[], subject: string): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ cuenta_roles: roles })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
      .setSubject(subject)
      .setIssuer(LOCAL_TOKEN_ISSUER)
      .setAudience(LOCAL_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(key.privateKey);
  };
  const claims = { cuenta_roles: ['administrator'] };
  const sign = (builder: SignJWT, signer = key.privateKey) =>
    builder.setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).sign(signer);
  const now = Math.floor(Date.now() / 1000);
  const valid = () =>
    new SignJWT(claims)
      .setSubject('intruder')
      .setIssuer(LOCAL_TOKEN_ISSUER)
      .setAudience(LOCAL_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600);
  const segment = (value: object) => base64url.encode(JSON.stringify(value));
  /** Administrator tokens that must each be refused, with the reason the client should see. */
  const bad: Record<string, { token: string; reason: string }> = {
    expired: {
      token: await mint({ role: 'administrator', now: new Date(Date.now() - 3_600_000) }),
      reason: 'TOKEN_EXPIRED',
    },
    'wrongly signed': {
      token: await sign(valid(), generateKeyPairSync('ed25519').privateKey),
      reason: 'BAD_SIGNATURE',
    },
    'wrong issuer': {
      token: await sign(valid().setIssuer('https://evil.example')),
      reason: 'WRONG_ISSUER',
    },
    'wrong audience': {
      token: await sign(valid().setAudience('another-api')),
      reason: 'WRONG_AUDIENCE',
    },
    'alg none': {
      token: `${segment({ alg: 'none', typ: 'JWT' })}.${segment({
        sub: 'intruder',
        iss: LOCAL_TOKEN_ISSUER,
        aud: LOCAL_TOKEN_AUDIENCE,
        exp: now + 600,
        ...claims,
      })}.`,
      reason: 'ALGORITHM_NOT_ALLOWED',
    },
    malformed: { token: 'not.a.jwt', reason: 'MALFORMED_TOKEN' },
  };
  return { mint, mintRoles, bad };
}

export const bearer = (token: string | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

export interface WsOutcome {
  /** `next` payloads, in order. */
  results: GraphQLResponse[];
  /** The operation's `error` message, if any. */
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  /** Set when the server closed the connection (e.g. 4403 at connection init). */
  closed?: { code: number; reason: string };
}

/**
 * Runs one operation over graphql-ws (the real client, the `ws` WebSocket) and collects
 * what comes back until it completes, fails, or the server closes the connection.
 */
export async function overWebSocket(
  httpUrl: string,
  connectionParams: Record<string, unknown>,
  query: string,
  variables?: Record<string, unknown>,
  /** Headers of the upgrade request, e.g. X-Forwarded-For behind a trusted proxy. */
  headers: Record<string, string> = {},
): Promise<WsOutcome> {
  class WebSocketWithHeaders extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocketWithHeaders,
    connectionParams,
    retryAttempts: 0,
    shouldRetry: () => false,
  });
  const outcome: WsOutcome = { results: [] };
  try {
    await new Promise<void>((resolve) => {
      client.subscribe<Record<string, unknown>>(
        { query, variables },
        {
          next: (result) => outcome.results.push(result as GraphQLResponse),
          complete: resolve,
          error: (error: unknown) => {
            if (Array.isArray(error)) outcome.errors = error;
            else if (error && typeof error === 'object' && 'code' in error) {
              const event = error as { code: number; reason: string };
              outcome.closed = { code: event.code, reason: String(event.reason) };
            } else outcome.errors = [{ message: String(error) }];
            resolve();
          },
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return outcome;
}

/** One row of an access matrix: an operation, who may call it, and a request that calls it. */
export interface OperationAccess {
  /** `Query.health`, `Mutation.reportProgress`, `Subscription.newEvents`. */
  operation: `${'Query' | 'Mutation' | 'Subscription'}.${string}`;
  /** Who its policy admits; `anonymous` means everyone. */
  allow: readonly [PolicyRole, ...PolicyRole[]];
  query: string;
  variables?: Record<string, unknown>;
  /** Agencies in the steward's token (default: planeacion). */
  stewardAgencies?: string[];
}

export interface MatrixCell {
  operation: string;
  caller: PolicyRole;
  /** `allowed`, or the error code the caller got on the operation. */
  outcome: string;
}

/** What the matrix expects of `caller` on `row`: allowed, or the error code. */
export function expectedOutcome(row: OperationAccess, caller: PolicyRole): string {
  if (row.allow.includes('anonymous') || row.allow.includes(caller)) return 'allowed';
  return caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
}

/**
 * Calls `row`'s operation as `caller` (over HTTP, or graphql-ws for subscriptions) and
 * reports `allowed` unless an error on that operation says UNAUTHENTICATED or FORBIDDEN.
 * Other errors (bad input, not found) still mean the caller got past the guard.
 */
export async function callAs(
  url: string,
  row: OperationAccess,
  caller: PolicyRole,
  mint: (request: TokenRequest) => Promise<string>,
): Promise<MatrixCell> {
  const token =
    caller === 'anonymous'
      ? undefined
      : await mint({
          role: caller,
          agencies: caller === 'steward' ? row.stewardAgencies : undefined,
        });
  const field = row.operation.split('.')[1];
  let errors: Array<{ path?: readonly (string | number)[]; extensions?: Record<string, unknown> }>;
  if (row.operation.startsWith('Subscription.')) {
    const outcome = await overWebSocket(
      url,
      token ? { authorization: `Bearer ${token}` } : {},
      row.query,
      row.variables,
    );
    if (outcome.closed)
      throw new Error(`${row.operation} as ${caller}: closed ${outcome.closed.code}`);
    errors = [...(outcome.errors ?? []), ...outcome.results.flatMap((r) => r.errors ?? [])];
  } else {
    const { body } = await graphql(url, row.query, row.variables, bearer(token));
    errors = body.errors ?? [];
  }
  const refusal = errors.find(
    (error) =>
      (error.path === undefined || error.path[0] === field) &&
      (error.extensions?.code === 'UNAUTHENTICATED' || error.extensions?.code === 'FORBIDDEN'),
  );
  return {
    operation: row.operation,
    caller,
    outcome: refusal ? String(refusal.extensions?.code) : 'allowed',
  };
}

/** The root fields the server's schema serves, by introspection: `Query.health`, ... */
export async function servedOperations(url: string): Promise<string[]> {
  const { body } = await graphql(
    url,
    '{ __schema { queryType { name fields { name } } mutationType { name fields { name } } subscriptionType { name fields { name } } } }',
  );
  const schema = body.data?.__schema as Record<
    string,
    { name: string; fields: Array<{ name: string }> } | null
  >;
  return Object.values(schema)
    .flatMap((type) => (type ? type.fields.map((field) => `${type.name}.${field.name}`) : []))
    .sort();
}

/** Waits until the server's output contains `text` (its log reaches us asynchronously). */
export async function waitForOutput(
  server: { output(): string },
  text: string,
  timeoutMs = 5000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!server.output().includes(text) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return server.output();
}
