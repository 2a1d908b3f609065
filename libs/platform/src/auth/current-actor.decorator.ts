import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { policyOf } from './allow.decorator.js';
import type { Actor } from './actor.js';
import { authorize } from './authorize.js';
import { identityOf, operationName } from './request-context.js';

/**
 * The verified caller of the operation, in the role its `@Allow` policy lets it act in:
 * `{ subject, role, roles, agencies, authenticated }`. This, never the request body, is
 * what goes into event metadata (see `eventActor`).
 */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const identity = identityOf(context);
  if (!identity) throw new Error(`${operationName(context)}: no verified identity`);
  return authorize(
    identity,
    policyOf(context.getHandler(), context.getClass()),
    operationName(context),
  );
});
