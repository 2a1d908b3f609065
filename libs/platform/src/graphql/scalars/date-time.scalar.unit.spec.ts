import { describe, expect, it } from '@jest/globals';
import { Kind } from 'graphql';
import { DateTimeScalar, parseInstant } from './date-time.scalar.js';

describe('DateTime', () => {
  it.each([
    ['2024-02-29T10:00:00Z', '2024-02-29T10:00:00.000Z'],
    ['2023-03-01T00:00:00-05:00', '2023-03-01T05:00:00.000Z'],
    ['2023-12-31T23:59:59.999+14:00', '2023-12-31T09:59:59.999Z'],
    ['2023-06-01t12:00:00.123456z', '2023-06-01T12:00:00.123Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
  ])('reads %s as the instant %s', (text, iso) => {
    expect((parseInstant(text) as Date).toISOString()).toBe(iso);
  });

  it.each([
    ['30 February', '2024-02-30T10:00:00Z', 'names a day that does not exist: 2024-02-30'],
    ['29 February of a common year', '2023-02-29T10:00:00Z', 'day that does not exist'],
    ['29 February 1900', '1900-02-29T10:00:00Z', 'day that does not exist'],
    ['31 April', '2023-04-31T10:00:00Z', 'day that does not exist'],
    ['month 13', '2023-13-01T10:00:00Z', 'day that does not exist'],
    ['month 0', '2023-00-10T10:00:00Z', 'day that does not exist'],
    ['day 0', '2023-01-00T10:00:00Z', 'day that does not exist'],
    ['hour 24', '2023-03-01T24:00:00Z', 'names a time that does not exist: 24:00:00'],
    ['minute 60', '2023-03-01T10:60:00Z', 'time that does not exist'],
    ['a leap second', '2016-12-31T23:59:60Z', 'time that does not exist'],
    ['an offset of 24 hours', '2023-03-01T10:00:00+24:00', 'offset that does not exist'],
    ['no zone', '2023-03-01T10:00:00', 'must be a date-time with a zone'],
    ['a day only', '2023-03-01', 'must be a date-time with a zone'],
    ['prose', 'yesterday', 'must be a date-time with a zone'],
  ])('refuses %s', (_name, text, refusal) => {
    const parsed = parseInstant(text);
    expect(parsed).not.toBeInstanceOf(Date);
    expect((parsed as { refusal: string }).refusal).toContain(refusal);
  });

  it('parses literals and variables alike, and answers at UTC', () => {
    const literal = DateTimeScalar.parseLiteral({
      kind: Kind.STRING,
      value: '2024-02-30T00:00:00Z',
    });
    const variable = DateTimeScalar.parseValue('2024-02-30T00:00:00Z');
    expect([literal, variable]).toEqual([
      { refusal: 'names a day that does not exist: 2024-02-30' },
      { refusal: 'names a day that does not exist: 2024-02-30' },
    ]);
    expect(DateTimeScalar.serialize(new Date('2023-03-01T00:00:00-05:00'))).toBe(
      '2023-03-01T05:00:00.000Z',
    );
  });

  it('leaves a value that is not a string to GraphQL as a type error', () => {
    expect(() => DateTimeScalar.parseValue(1700000000)).toThrow('must be a date-time');
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1' })).toThrow(
      'must be a date-time',
    );
  });
});
