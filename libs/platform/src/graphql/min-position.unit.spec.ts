import { describe, expect, it } from '@jest/globals';
import type { Request } from 'express';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { minPositionHeader } from './min-position.js';

const request = (headers: Record<string, string | string[]>) => ({
  req: { headers } as unknown as Request,
});

describe('minPositionHeader', () => {
  it('reads a global position, spaces around it ignored', () => {
    expect(minPositionHeader(request({ 'x-cuenta-min-position': '0' }))).toBe(0);
    expect(minPositionHeader(request({ 'x-cuenta-min-position': ' 1234 ' }))).toBe(1234);
  });

  it('is undefined without the header, or without an HTTP request (graphql-ws)', () => {
    expect(minPositionHeader(request({}))).toBeUndefined();
    expect(minPositionHeader({})).toBeUndefined();
  });

  it.each(['', '-1', '1.5', '12abc', '1e3', '9'.repeat(16)])(
    'refuses %j, naming the header',
    (value) => {
      let error: unknown;
      try {
        minPositionHeader(request({ 'x-cuenta-min-position': value }));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({
        field: 'X-Cuenta-Min-Position',
        rule: 'must be a global position: a whole number, 0 or more',
      });
    },
  );

  it('refuses the header sent twice', () => {
    expect(() => minPositionHeader(request({ 'x-cuenta-min-position': ['1', '2'] }))).toThrow(
      InvalidInputError,
    );
  });
});
