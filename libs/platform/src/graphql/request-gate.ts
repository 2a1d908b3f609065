import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Identity } from '../auth/actor.js';
import { AuthenticationUnavailableError, UnauthenticatedError } from '../auth/auth.errors.js';
import type { Authenticator, Credentials } from '../auth/authenticator.js';
import type { CuentaContext } from '../auth/request-context.js';
import type { GraphQLLimitsConfig } from '../config/config.js';
import { CuentaError } from '../errors/cuenta-error.js';
import { RateLimitedError, type CallerRateLimiter } from '../rate-limit/rate-limiter.js';
import {
  BadRequestError,
  BatchTooLargeError,
  OperationNotAllowedError,
  RequestTooLargeError,
} from './graphql.errors.js';
import { checkTokens } from './limits.js';
import type { OperationSource, PersistedOperations } from './persisted-operations.js';

export interface RequestGateOptions {
  authenticator: Authenticator;
  rateLimiter: CallerRateLimiter;
  limits: GraphQLLimitsConfig;
  /** The allow-list, when CUENTA_GRAPHQL_PERSISTED_OPERATIONS is set. */
  persisted?: PersistedOperations;
  /** Reverse proxies trusted for X-Forwarded-For (graphql-ws; Express has its own setting). */
  trustProxy: number;
}

/**
 * What every GraphQL request passes before it is parsed, over HTTP and graphql-ws alike:
 * the caller is identified (a bad token is refused, never anonymous), charged against its
 * rate limit, and its operations checked against the batch size, the allow-list and the
 * token limit. Depth, aliases, directives and cost are checked after parsing (see
 * `limitRules`, `checkCost`).
 */
export class RequestGate {
  constructor(readonly options: RequestGateOptions) {}

  get limits(): GraphQLLimitsConfig {
    return this.options.limits;
  }

  get persisted(): PersistedOperations | undefined {
    return this.options.persisted;
  }

  /** The context of an HTTP request's operations; throws request errors (see `asRequestError`). */
  async httpContext(req: Request, res: Response): Promise<CuentaContext> {
    try {
      refuseCrossSitePost(req);
      const identity = await this.identify(
        { authorization: req.headers.authorization, session: req.headers['x-cuenta-session'] },
        req.ip,
      );
      const operations = httpOperations(req);
      const { maxBatch } = this.options.limits;
      await this.options.rateLimiter.consume(
        identity,
        req.ip,
        Math.min(operations.length, maxBatch + 1) || 1,
      );
      if (Array.isArray(req.body) && req.body.length > maxBatch) {
        throw new BatchTooLargeError(
          `A batch may hold at most ${maxBatch} operations; this one has ${req.body.length}`,
          maxBatch,
          req.body.length,
        );
      }
      for (const operation of operations) this.admitSource(operation);
      return { identity, req, res };
    } catch (error) {
      throw asRequestError(error);
    }
  }

  /** At graphql-ws connection init: who is connecting, within its allowance. */
  async admitConnection(
    params: Record<string, unknown> | undefined,
    request: IncomingMessage,
  ): Promise<Identity> {
    const ip = clientIp(request, this.options.trustProxy);
    const identity = await this.identify(
      { authorization: params?.authorization ?? params?.Authorization, session: params?.session },
      ip,
    );
    await this.options.rateLimiter.consume(identity, ip);
    return identity;
  }

  /** Each graphql-ws operation: charged to the connection's caller; returns the text to run. */
  async admitOperation(
    identity: Identity,
    request: IncomingMessage,
    operation: OperationSource,
  ): Promise<string> {
    await this.options.rateLimiter.consume(identity, clientIp(request, this.options.trustProxy));
    const text = this.admitSource(operation);
    if (text === undefined) throw new OperationNotAllowedError(undefined);
    return text;
  }

  /**
   * The text an operation runs (from the allow-list when it is on), after the token limit.
   * Undefined when the request names no text (Apollo then reports it).
   */
  admitSource(operation: OperationSource): string | undefined {
    const text = this.options.persisted
      ? this.options.persisted.resolve(operation)
      : typeof operation.query === 'string'
        ? operation.query
        : undefined;
    if (text !== undefined) checkTokens(text, this.options.limits.maxTokens);
    return text;
  }

  private async identify(credentials: Credentials, ip: string | undefined): Promise<Identity> {
    try {
      return await this.options.authenticator.identify(credentials);
    } catch (error) {
      // Refused tokens count against the IP's allowance, so guessing is rate limited too.
      if (error instanceof UnauthenticatedError) await this.options.rateLimiter.consumeRefused(ip);
      throw error;
    }
  }
}

/** Content types a browser POSTs to another site without asking it first (no CORS preflight). */
const SIMPLE_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

/**
 * Refuses a POST that a web page on another site could have sent (an HTML form, or fetch
 * with a simple content type), unless it carries a header only a preflighted request can:
 * Apollo's CSRF rule, kept for POST. GET is left open, as the GraphQL over HTTP spec lets
 * it be: it runs queries only (Apollo refuses mutations over GET), and credentials travel
 * in the Authorization header, never in cookies, so a cross-site GET reads as anonymous.
 */
function refuseCrossSitePost(req: Request): void {
  if (req.method === 'GET') return;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== '' && !SIMPLE_CONTENT_TYPES.includes(type)) return;
  if (req.headers['apollo-require-preflight'] || req.headers['x-apollo-operation-name']) return;
  throw new BadRequestError(
    'A POST must be sent as application/json (or carry an Apollo-Require-Preflight header): ' +
      'this one could have come from a form on another site',
  );
}

/** The operations of an HTTP request: a batch (array body), one body, or a GET's query string. */
function httpOperations(req: Request): OperationSource[] {
  if (Array.isArray(req.body)) {
    return (req.body as unknown[]).filter(
      (item): item is OperationSource => typeof item === 'object' && item !== null,
    );
  }
  if (req.method === 'GET') {
    const { query, extensions } = req.query as Record<string, unknown>;
    let parsed: unknown;
    try {
      parsed = typeof extensions === 'string' ? JSON.parse(extensions) : undefined;
    } catch {
      parsed = undefined;
    }
    return [{ query, extensions: parsed }];
  }
  return typeof req.body === 'object' && req.body !== null ? [req.body as OperationSource] : [];
}

/** HTTP status for errors that refuse a whole request. */
export function httpStatusOf(error: CuentaError): number {
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof AuthenticationUnavailableError) return 503;
  if (error instanceof RequestTooLargeError) return 413;
  return 400;
}

/**
 * A CuentaError that refuses a whole HTTP request, as the GraphQLError Apollo answers with:
 * the status and headers (Retry-After, WWW-Authenticate) ride in `extensions.http`, and
 * formatError still sees the typed error as `originalError`. Anything else passes through.
 */
export function asRequestError(error: unknown): unknown {
  if (!(error instanceof CuentaError)) return error;
  const headers = new Map<string, string>();
  if (error instanceof RateLimitedError)
    headers.set('retry-after', String(error.retryAfterSeconds));
  if (error instanceof UnauthenticatedError) {
    headers.set(
      'www-authenticate',
      `Bearer error="invalid_token", error_description="${error.reason}"`,
    );
  }
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, http: { status: httpStatusOf(error), headers } },
  });
}

/**
 * The client's address for a raw Node request (graphql-ws), honouring `trustProxy` hops of
 * X-Forwarded-For the way Express's `trust proxy` setting does for HTTP.
 */
export function clientIp(request: IncomingMessage, trustProxy: number): string | undefined {
  const direct = request.socket.remoteAddress;
  if (trustProxy <= 0) return direct;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const chain = [...forwarded, direct].filter((part): part is string => part !== undefined);
  return chain[Math.max(0, chain.length - 1 - trustProxy)];
}
