import {
  ForbiddenException,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { Request } from 'express';
import { policyOf } from './allow.decorator.js';
import {
  AuthenticationUnavailableError,
  ForbiddenError,
  UnauthenticatedError,
} from './auth.errors.js';
import { Authenticator } from './authenticator.js';
import { authorize } from './authorize.js';
import { identityOf, operationName, rememberIdentity } from './request-context.js';

/**
 * Global guard (APP_GUARD): every resolver operation and controller route runs only if
 * its `@Allow` policy admits the caller. No policy means nobody. GraphQL callers were
 * identified by the request gate before the operation started; REST callers are
 * identified here, from the same Authorization header.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly authenticator: Authenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = policyOf(context.getHandler(), context.getClass());
    const name = operationName(context);
    if (context.getType<GqlContextType>() === 'graphql') {
      const identity = identityOf(context);
      if (!identity) throw new Error(`${name}: the GraphQL context carries no identity`);
      authorize(identity, allowed, name);
      return true;
    }
    if (context.getType() !== 'http') return false;
    const request = context.switchToHttp().getRequest<Request>();
    try {
      const identity = await this.authenticator.identify({
        authorization: request.headers.authorization,
        session: request.headers['x-cuenta-session'],
      });
      rememberIdentity(request, identity);
      authorize(identity, allowed, name);
      return true;
    } catch (error) {
      throw asHttpException(error);
    }
  }
}

function asHttpException(error: unknown): unknown {
  const body = (e: UnauthenticatedError | ForbiddenError | AuthenticationUnavailableError) => ({
    code: e.code,
    message: e.message,
    ...e.details(),
  });
  if (error instanceof UnauthenticatedError) return new UnauthorizedException(body(error));
  if (error instanceof ForbiddenError) return new ForbiddenException(body(error));
  if (error instanceof AuthenticationUnavailableError) {
    return new ServiceUnavailableException(body(error));
  }
  return error;
}
