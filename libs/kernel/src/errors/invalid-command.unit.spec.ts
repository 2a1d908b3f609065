import { describe, expect, it } from '@jest/globals';
import { DomainError } from './domain-error.js';
import { InvalidCommand } from './invalid-command.js';

describe('InvalidCommand', () => {
  it('says what a shared rule asks when no message is given', () => {
    const error = new InvalidCommand({ field: 'milestones.0.plannedStart', rule: 'planned_date' });

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      category: 'INVALID_INPUT',
      field: 'milestones.0.plannedStart',
      rule: 'planned_date',
      name: 'InvalidCommand',
    });
    expect(error.message).toBe(
      'milestones.0.plannedStart must be a month (YYYY-MM) or a date (YYYY-MM-DD) that exists',
    );
  });

  it("carries a context's own rule with the message the context gives", () => {
    const error = new InvalidCommand<'matches_ledger'>({
      field: 'amount',
      rule: 'matches_ledger',
      message: 'amount differs from the ledger',
    });

    expect(error).toMatchObject({
      rule: 'matches_ledger',
      message: 'amount differs from the ledger',
    });
  });
});
