import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '#kernel';
import { EventStoreError, isConnectionLoss } from '#event-store';
import { CuentaError } from '#platform';

const logger = new Logger('GraphQL');

/**
 * The error behind GraphQL's wrappers: a resolver's error inside its located GraphQLError,
 * a limit's typed error inside the validation error Apollo wraps around it.
 */
function rootCause(error: unknown): unknown {
  let cause = error;
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  return cause;
}

/**
 * The one place where errors become what a client sees, over HTTP and graphql-ws. Errors
 * of the request itself (syntax, validation) and typed errors (CuentaError, EventStoreError)
 * keep their message and code; anything else is internal: the client gets an id only, and
 * the server log gets the id with the details at ERROR. No stack trace, SQL or internal
 * message reaches a client. Everything else is the client's doing and is logged at DEBUG.
 * Every code a client can see is in ERROR_CODES (error-codes.ts, docs/errors.md).
 *
 * Access and limits are CuentaErrors, each with its own code and details (docs/security.md):
 * UNAUTHENTICATED { reason }, FORBIDDEN { reason }, AUTHENTICATION_UNAVAILABLE,
 * RATE_LIMITED { retryAfter }, QUERY_TOO_DEEP, QUERY_TOO_COSTLY, TOO_MANY_ALIASES,
 * TOO_MANY_DIRECTIVES, TOO_MANY_TOKENS, BATCH_TOO_LARGE, REQUEST_TOO_LARGE { limit, found },
 * OPERATION_NOT_ALLOWED { hash }.
 *
 * A lost or refused database connection is DATABASE_UNAVAILABLE (retry); a subscription that
 * outlived its wait for the database ends with it too, with { position } or { size }.
 *
 * Domain errors (the commitments domain's DomainError) by category: INVALID_INPUT
 * { field, rule, ... } (the rule is the domain's, e.g. `range`); NOT_FOUND and CONFLICT keep
 * the domain's own code (COMMITMENT_NOT_FOUND, ILLEGAL_TRANSITION, ...) with { category,
 * field, ... }.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = rootCause(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original === undefined || original === null || original instanceof GraphQLError) {
    // Raised by GraphQL itself while parsing, validating or coercing the request.
    const code =
      formatted.extensions?.code ??
      (original instanceof GraphQLError ? original.extensions.code : undefined);
    return clientError({ ...base, extensions: { code: code ?? 'BAD_REQUEST' } });
  }
  if (original instanceof CuentaError || original instanceof EventStoreError) {
    return clientError({
      ...base,
      message: original.message,
      extensions: { code: original.code, ...original.details() },
    });
  }
  if (original instanceof DomainError) {
    return clientError({
      ...base,
      message: original.message,
      extensions: domainExtensions(original),
    });
  }
  if (isConnectionLoss(original)) {
    // Not a bug: the database restarted, failed over or dropped the connection. Retryable.
    logger.warn(`database unreachable: ${(original as Error).message}`);
    return {
      ...base,
      message: 'The database is unreachable for the moment; try again',
      extensions: { code: 'DATABASE_UNAVAILABLE' },
    };
  }
  const errorId = randomUUID();
  const detail =
    original instanceof Error ? (original.stack ?? original.message) : String(original);
  logger.error(`internal error ${errorId}: ${detail}`);
  return {
    message: `Internal server error (id ${errorId})`,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
  };
}

/**
 * A refusal the client caused, logged at DEBUG so that an operator's alerting on ERROR
 * fires on faults only: its code, where in the answer, and the input field it names.
 * Never the message or a stack: messages may quote what the client sent.
 */
function clientError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { code, field } = formatted.extensions ?? {};
  const where = formatted.path ? ` at ${formatted.path.join('.')}` : '';
  const named = typeof field === 'string' ? ` (field ${field})` : '';
  logger.debug(`refused: ${String(code)}${where}${named}`);
  return formatted;
}

/** A domain error's code and the fields it carries (its own members; never its stack). */
function domainExtensions(error: DomainError): Record<string, unknown> {
  const {
    name: _name,
    code,
    category,
    ...details
  } = { ...error } as DomainError & Record<string, unknown>;
  switch (category) {
    case 'INVALID_INPUT':
      return { code: 'INVALID_INPUT', rule: code.toLowerCase(), ...details };
    case 'NOT_FOUND':
    case 'CONFLICT':
      return { code, category, ...details };
    default: {
      const _exhaustive: never = category;
      return { code };
    }
  }
}
