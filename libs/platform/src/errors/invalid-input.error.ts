import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { CuentaError } from './cuenta-error.js';
import { firstInputProblem } from './input-text.js';

/** Input that breaks a rule: names the field and the rule, and nothing was changed. */
export class InvalidInputError extends CuentaError {
  readonly code = 'INVALID_INPUT';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field} ${rule}`);
    this.name = 'InvalidInputError';
  }
  override details() {
    return { field: this.field, rule: this.rule };
  }
}

function firstProblem(errors: ValidationError[], prefix = ''): InvalidInputError {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const rule = Object.values(error.constraints ?? {})[0];
    if (rule)
      return new InvalidInputError(field, rule.replace(new RegExp(`^${error.property} `), ''));
    if (error.children?.length) return firstProblem(error.children, field);
  }
  return new InvalidInputError('input', 'is invalid');
}

/**
 * Every resolver argument, literal or variable, over HTTP and graphql-ws: first every string
 * in it must be storable text (`textProblem`: I-JSON, no NUL) and every scalar must have
 * parsed (see `RefusedValue`), then class-validator runs its rules. Failures are
 * InvalidInputError naming the field's path (`title`, `evidence.0.description`), before
 * any resolver runs.
 */
class InputPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Pipes see a resolver's `@Args` as 'body' (GqlParamtype.ARGS is RouteParamtypes.BODY);
    // parent, context and info are 'custom'.
    if (metadata.type === 'body') {
      // Fields inside an input object are named from it (`title`, not `input.title`), as
      // class-validator and the domain name them.
      const inObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      const problem = firstInputProblem(value, inObject ? '' : (metadata.data ?? ''));
      if (problem) throw new InvalidInputError(problem.field, problem.rule);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Storable text, then class-validator, on every resolver argument, with failures reported
 * as InvalidInputError (a typed, client-facing error) rather than an HTTP exception.
 */
export function inputValidationPipe(): ValidationPipe {
  return new InputPipe({
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => firstProblem(errors),
  });
}
