import { describe, expect, it } from '@jest/globals';
import type { Actor } from '../../auth/actor.js';
import { ForbiddenError } from '../../auth/auth.errors.js';
import { InvalidInputError } from '../../errors/invalid-input.error.js';
import { erasureRequest } from './erase-personal-data.resolver.js';

const actor = (role: Actor['role']): Actor => ({
  subject: `test-${role}`,
  role,
  roles: role === 'anonymous' ? [] : [role],
  agencies: [],
  authenticated: role !== 'anonymous',
});

describe('an erasure request from the API', () => {
  it('lets anyone holding a receipt erase with it', () => {
    expect(erasureRequest(actor('anonymous'), { receipt: 'secret' })).toEqual({
      by: 'subject',
      receiptSecret: 'secret',
    });
  });

  it('lets an administrator erase by subject id, with the reason trimmed', () => {
    expect(
      erasureRequest(actor('administrator'), { subjectId: 's', reason: ' request 7 ' }),
    ).toEqual({
      by: 'administrator',
      subjectId: 's',
      reason: 'request 7',
      administrator: 'test-administrator',
    });
  });

  it('refuses erasing by subject id to anyone else', () => {
    expect(() => erasureRequest(actor('steward'), { subjectId: 's', reason: 'r' })).toThrow(
      ForbiddenError,
    );
  });

  it('asks for exactly one of receipt and subject id, and for the reason', () => {
    expect(() => erasureRequest(actor('administrator'), {})).toThrow(/either receipt/);
    expect(() =>
      erasureRequest(actor('administrator'), { receipt: 'x', subjectId: 's', reason: 'r' }),
    ).toThrow(InvalidInputError);
    expect(() => erasureRequest(actor('administrator'), { subjectId: 's' })).toThrow(/reason/);
    expect(() => erasureRequest(actor('anonymous'), { receipt: 'x', reason: 'r' })).toThrow(
      /reason/,
    );
  });
});
