import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CuentaError } from './cuenta-error.js';

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
 * class-validator on every resolver argument, with failures reported as InvalidInputError
 * (a typed, client-facing error) rather than an HTTP exception.
 */
export function inputValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => firstProblem(errors),
  });
}
