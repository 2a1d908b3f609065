import { describe, expect, it } from '@jest/globals';

import { firstDayOf, isCalendarDate, isPlannedDate, lastDayOf } from './calendar.js';

describe('isCalendarDate', () => {
  it.each(['2023-01-01', '2023-12-31', '2024-02-29', '2000-02-29'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2023-04-31',
    '2023-13-01',
    '2023-00-10',
    '2023-01-00',
    '01-01-2023',
    '2023-1-1',
    '2023-01',
    '0999-01-01',
    '2023-01-01T00:00:00Z',
  ])('refuses %s', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isCalendarDate(new Date('2023-01-01'))).toBe(false);
  });
});

describe('isPlannedDate', () => {
  it.each(['2023-02', '2023-02-28'])('accepts %s', (value) => {
    expect(isPlannedDate(value)).toBe(true);
  });

  it.each(['2023-13', '2023-2', '2023-02-30', 'febrero 2023', 202302])('refuses %s', (value) => {
    expect(isPlannedDate(value)).toBe(false);
  });
});

describe('firstDayOf and lastDayOf', () => {
  it.each([
    ['2023-02', '2023-02-01', '2023-02-28'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2023-04', '2023-04-01', '2023-04-30'],
    ['2023-12', '2023-12-01', '2023-12-31'],
    ['2023-05-20', '2023-05-20', '2023-05-20'],
  ])('covers %s from %s to %s', (planned, first, last) => {
    expect([firstDayOf(planned), lastDayOf(planned)]).toEqual([first, last]);
  });
});
