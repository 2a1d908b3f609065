import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * Hands every error thrown in a resolver, guard or pipe back to GraphQL as it is, without
 * Nest's default logging, which writes each one at ERROR with its stack trace (a refused
 * token or a citizen's typo included). The app's formatError sees every error and logs
 * it once, at the level its kind deserves. Errors outside GraphQL (the health endpoint)
 * keep Nest's default handling.
 */
@Catch()
export class ResolverErrorsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'graphql') return super.catch(exception, host);
    // GraphQL treats a resolver's returned Error as that field's error.
    return exception instanceof Error ? exception : new Error(String(exception));
  }
}
