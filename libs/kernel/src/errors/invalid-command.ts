import { DomainError } from './domain-error.js';

/**
 * The rules every context's input checks share; stable, so a client can explain them in its
 * own words. A context adds rules of its own (`InvalidCommand<'matches_budget_line'>`) and
 * then gives the message itself.
 */
export type ValidationRule =
  | 'required'
  | 'too_long'
  | 'too_many'
  | 'format'
  | 'calendar_date'
  | 'planned_date'
  | 'not_before_start'
  | 'integer'
  | 'range'
  | 'one_of'
  | 'unique'
  | 'no_change'
  | 'unchangeable'
  | 'not_a_field'
  | 'valid_timestamp';

const RULE_TEXT: Record<ValidationRule, string> = {
  required: 'is required',
  too_long: 'is too long',
  too_many: 'has too many entries',
  format: 'has the wrong format',
  calendar_date: 'must be a date that exists, as YYYY-MM-DD',
  planned_date: 'must be a month (YYYY-MM) or a date (YYYY-MM-DD) that exists',
  not_before_start: 'must not be before the start',
  integer: 'must be a whole number',
  range: 'is out of range',
  one_of: 'is not one of the allowed values',
  unique: 'lists the same value twice',
  no_change: 'changes nothing',
  unchangeable: 'cannot change once recorded',
  not_a_field: 'is not a field that can be given here',
  valid_timestamp: 'must be a valid time',
};

/** A shared rule may leave the message out; a context's own rule says it. */
type InvalidCommandArgs<Rule extends string> = Rule extends ValidationRule
  ? { field: string; rule: Rule; message?: string }
  : { field: string; rule: Rule; message: string };

/** An input breaks a rule on its own: `field` names the input, `rule` the rule. */
export class InvalidCommand<Rule extends string = ValidationRule> extends DomainError {
  readonly code = 'INVALID_INPUT';
  readonly category = 'INVALID_INPUT';
  declare readonly field: string;
  readonly rule: Rule;

  constructor(args: InvalidCommandArgs<Rule>) {
    const text = (RULE_TEXT as Record<string, string | undefined>)[args.rule];
    super(args.message ?? `${args.field} ${text ?? `breaks the rule ${args.rule}`}`, args.field);
    this.rule = args.rule as Rule;
  }
}
