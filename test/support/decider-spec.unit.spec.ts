import { describe, expect, it } from '@jest/globals';

import { CommitmentNotFound, InvalidCommand } from '#commitments';
import {
  NOW,
  published,
  publish,
  register,
  registered,
} from '../../libs/commitments/test/commitment.fixtures.js';
import { given, withIds } from '../../libs/commitments/test/commitment.decider-spec.js';

// The helper is what every decider test trusts, so it must fail when it should.
describe('given/when/then', () => {
  it('fails when the events differ', () => {
    expect(() => given([registered()]).when(publish()).then([])).toThrow();
  });

  it('tells an absent member from an undefined one, which the store could not hash', () => {
    const data = { ...registered().data, registeredAt: NOW };
    expect(() =>
      given([])
        .when(register())
        .then([{ ...registered(), data }]),
    ).not.toThrow();
    expect(() =>
      given([])
        .when(register())
        .then([{ ...registered(), data: { ...data, resources: undefined } }]),
    ).toThrow();
  });

  it('fails when the command succeeds instead of failing', () => {
    expect(() => given([]).when(register()).thenFails(InvalidCommand)).toThrow();
  });

  it('fails when the error is of another class or has other fields', () => {
    expect(() => given([]).when(publish()).thenFails(InvalidCommand)).toThrow();
    expect(() =>
      given([]).when(publish()).thenFails(CommitmentNotFound, { code: 'NOT_FOUND' }),
    ).toThrow();
  });

  it('returns the error so a test can look further', () => {
    const error = given([]).when(publish()).thenFails(CommitmentNotFound);
    expect(error.message).toContain('c1');
  });

  it('numbers events without an id from 1 and keeps given ids', () => {
    const ids = withIds([registered(), { ...published(), id: 'p' }]).map((e) => e.id);
    expect(ids).toEqual(['event-1', 'p']);
  });
});
