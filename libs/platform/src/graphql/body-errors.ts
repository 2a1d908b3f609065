import type { NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { CuentaError } from '../errors/cuenta-error.js';
import { BadRequestError, RequestTooLargeError } from './graphql.errors.js';
import type { FormatError } from './graphql-ws.server.js';
import { httpStatusOf } from './request-gate.js';

/**
 * Express error handler for the body parser: a body over the limit answers 413
 * REQUEST_TOO_LARGE, malformed JSON 400 BAD_REQUEST, both as GraphQL errors through
 * `formatError` (Express's default page would print a stack trace). Register it right
 * after the body parsers.
 */
export function bodyErrorHandler(maxBodyBytes: number, formatError: FormatError) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const type = (error as { type?: unknown } | null)?.type;
    let typed: CuentaError | undefined;
    if (type === 'entity.too.large') {
      typed = new RequestTooLargeError(
        `The request body exceeds ${maxBodyBytes} bytes`,
        maxBodyBytes,
      );
    } else if (
      typeof type === 'string' &&
      (type.startsWith('entity.') ||
        type === 'encoding.unsupported' ||
        type === 'charset.unsupported' ||
        type === 'request.aborted')
    ) {
      typed = new BadRequestError('The request body is not valid JSON');
    }
    if (!typed) return next(error);
    const graphQLError = new GraphQLError(typed.message, { originalError: typed });
    res
      .status(httpStatusOf(typed))
      .json({ errors: [formatError(graphQLError.toJSON(), graphQLError)] });
  };
}
