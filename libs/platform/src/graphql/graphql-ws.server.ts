import { createHash } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  execute,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Identity } from '../auth/actor.js';
import { UnauthenticatedError } from '../auth/auth.errors.js';
import type { CuentaContext } from '../auth/request-context.js';
import { CuentaError } from '../errors/cuenta-error.js';
import { REQUEST_ID_HEADER, requestIdOf, withRequestId } from '../logging/request-id.js';
import { RateLimitedError } from '../rate-limit/rate-limiter.js';
import { hideSuggestions } from './apollo-hardening.js';
import { checkCost, limitRules } from './limits.js';
import { sharingSubscribe } from './payload-sharing.js';
import type { RequestGate } from './request-gate.js';

/** The one place that turns errors into what clients see (apps/api's formatGraphQLError). */
export type FormatError = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

export interface GraphQLWebSocketOptions {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  gate: RequestGate;
  formatError: FormatError;
}

const EXPIRED = "The connection's bearer token has expired; reconnect with a new one";

/** Closes a token holder's connection when its token expires (setTimeout's range allowing). */
function closeWhenExpired(
  socket: {
    close(code: number, reason: string): void;
    once(event: 'close', listener: () => void): unknown;
  },
  identity: Identity,
): void {
  if (identity.validUntil === undefined) return;
  const delay = identity.validUntil - Date.now();
  if (delay > 2 ** 31 - 1) return; // onSubscribe still refuses operations after expiry
  const timer = setTimeout(
    () => socket.close(CloseCode.Forbidden, 'UNAUTHENTICATED: TOKEN_EXPIRED'),
    Math.max(0, delay),
  );
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** Close code for a connection refused by the rate limit (graphql-ws leaves 4400-4499 to apps). */
export const RATE_LIMITED_CLOSE_CODE = 4429;

type ConnectionState = { identity: Identity };

/** A client-chosen operation id that can go into the log as it is. */
const SANE_OPERATION_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The request id of one graphql-ws operation: its connection's id (returned in the upgrade's
 * `X-Request-Id`), a colon, and the id the client gave the operation (or a digest of it, if
 * it is not a plain token), so the client can find its operation's log lines.
 */
export function operationRequestId(request: IncomingMessage, operationId: string): string {
  const operation = SANE_OPERATION_ID.test(operationId)
    ? operationId
    : createHash('sha256').update(operationId).digest('hex').slice(0, 16);
  return `${requestIdOf(request)}:${operation}`;
}

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on `path`, with the same protections as
 * HTTP: the token in the connection parameters (`{ authorization: 'Bearer ...' }`) is
 * verified at connection init, and a bad one closes the socket with 4403 and the reason
 * (`UNAUTHENTICATED: TOKEN_EXPIRED`), as does the token's expiry later; every operation passes the rate limit, allow-list,
 * token, depth, alias, directive and cost checks; messages are capped at the body limit;
 * every error goes through `formatError`, so internal errors are masked here too.
 */
export function serveGraphQLOverWebSocket(options: GraphQLWebSocketOptions): {
  close(): Promise<void>;
} {
  const { gate, schema, formatError } = options;
  const { limits } = gate;
  const rules = [
    ...specifiedRules,
    ...limitRules(limits),
    ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes });
  wss.on('headers', (headers: string[], request: IncomingMessage) => {
    headers.push(`${REQUEST_ID_HEADER}: ${requestIdOf(request)}`);
  });
  /** Each operation's request id, by its context value (what execute and subscribe get). */
  const operationIds = new WeakMap<object, string>();
  const underOperationId =
    <T>(run: (args: ExecutionArgs) => T) =>
    (args: ExecutionArgs): T => {
      const id = operationIds.get(args.contextValue as object);
      return id === undefined ? run(args) : withRequestId(id, () => run(args));
    };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== options.path) return;
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.httpServer.on('upgrade', onUpgrade);

  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => {
      const formatted = formatError(error.toJSON(), error);
      return limits.introspection
        ? formatted
        : { ...formatted, message: hideSuggestions(formatted.message) };
    });
  const refuse = (error: unknown): GraphQLError[] => [
    error instanceof GraphQLError
      ? error
      : new GraphQLError(error instanceof Error ? error.message : String(error), {
          originalError: error instanceof Error ? error : undefined,
        }),
  ];

  const server = useServer<Record<string, unknown> | undefined, ConnectionState>(
    {
      schema,
      isProd: true,
      execute: underOperationId(execute),
      // Payloads every subscriber sees alike (the log's events) are executed once per operation.
      subscribe: underOperationId(sharingSubscribe()),
      async onConnect(ctx) {
        try {
          const identity = await gate.admitConnection(ctx.connectionParams, ctx.extra.request);
          ctx.extra.identity = identity;
          closeWhenExpired(ctx.extra.socket, identity);
          return true;
        } catch (error) {
          if (!(error instanceof CuentaError)) throw error;
          const code =
            error instanceof RateLimitedError ? RATE_LIMITED_CLOSE_CODE : CloseCode.Forbidden;
          const detail =
            'reason' in error
              ? String(error.reason)
              : error instanceof RateLimitedError
                ? `retry after ${error.retryAfterSeconds} s`
                : error.message;
          ctx.extra.socket.close(code, `${error.code}: ${detail}`.slice(0, 120));
          return false;
        }
      },
      onSubscribe(ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> {
        const requestId = operationRequestId(ctx.extra.request, id);
        return withRequestId(requestId, async () => {
          const identity = ctx.extra.identity as Identity;
          try {
            if (identity.validUntil !== undefined && Date.now() > identity.validUntil) {
              throw new UnauthenticatedError('TOKEN_EXPIRED', EXPIRED);
            }
            const text = await gate.admitOperation(identity, ctx.extra.request, payload);
            const document = parse(text);
            const errors = validate(schema, document, rules);
            if (errors.length > 0) return errors;
            checkCost(schema, document, payload.variables ?? undefined, limits.maxCost);
            const contextValue: CuentaContext = { identity };
            operationIds.set(contextValue, requestId);
            return {
              schema,
              document,
              operationName: payload.operationName,
              variableValues: payload.variables,
              contextValue,
            };
          } catch (error) {
            return refuse(
              error instanceof CuentaError
                ? new GraphQLError(error.message, { originalError: error })
                : error,
            );
          }
        });
      },
      onNext(ctx, id, _payload, _args, result) {
        if (!('errors' in result) || !result.errors) return undefined;
        const errors = result.errors;
        return withRequestId(operationRequestId(ctx.extra.request, id), () => ({
          ...result,
          errors: format(errors),
        }));
      },
      onError(ctx, id, _payload, errors) {
        return withRequestId(operationRequestId(ctx.extra.request, id), () => format(errors));
      },
    },
    wss,
  );

  return {
    async close() {
      options.httpServer.off('upgrade', onUpgrade);
      await server.dispose();
    },
  };
}
