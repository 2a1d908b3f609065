import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import type { Identity } from './actor.js';

/** The GraphQL context value of every operation, over HTTP and over graphql-ws. */
export interface CuentaContext {
  /** Verified before the operation runs (see RequestGate). */
  identity: Identity;
  /** Over HTTP only. */
  req?: Request;
  res?: Response;
}

const IDENTITY = Symbol.for('cuenta.identity');

/** Remembers a REST request's identity for the handler's `@CurrentActor()`. */
export function rememberIdentity(request: Request, identity: Identity): void {
  (request as unknown as Record<symbol, Identity>)[IDENTITY] = identity;
}

/** The identity of the request or operation `context` belongs to, once verified. */
export function identityOf(context: ExecutionContext): Identity | undefined {
  if (context.getType<GqlContextType>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<Partial<CuentaContext>>().identity;
  }
  const request = context.switchToHttp().getRequest<Request>();
  return (request as unknown as Record<symbol, Identity | undefined>)[IDENTITY];
}

/** A name for people: `Mutation.reportProgress` or `GET /health`. */
export function operationName(context: ExecutionContext): string {
  if (context.getType<GqlContextType>() === 'graphql') {
    const info = GqlExecutionContext.create(context).getInfo<{
      parentType: { name: string };
      fieldName: string;
    }>();
    return `${info.parentType.name}.${info.fieldName}`;
  }
  const request = context.switchToHttp().getRequest<Request>();
  return `${request.method} ${request.path}`;
}
