import { describe, expect, it } from '@jest/globals';
import {
  addBusinessDays,
  answerDueDate,
  answerStateOf,
  colombianDate,
  isBusinessDay,
} from './business-days.js';

const sanJose2023 = { isHoliday: (date: string) => date === '2023-03-20' };
const none = { isHoliday: () => false };

describe('Colombian business days', () => {
  it('counts from the day after, skipping weekends and the holidays given', () => {
    expect(addBusinessDays('2023-03-01', 15, none)).toBe('2023-03-22');
    expect(addBusinessDays('2023-03-01', 15, sanJose2023)).toBe('2023-03-23');
    // Filed on a Friday: the first day counted is Monday.
    expect(addBusinessDays('2023-03-03', 1, none)).toBe('2023-03-06');
    expect(addBusinessDays('2023-03-17', 1, sanJose2023)).toBe('2023-03-21');
  });

  it('takes the submission day in Colombia (UTC-5), not in UTC', () => {
    expect(colombianDate(new Date('2023-03-02T03:00:00Z'))).toBe('2023-03-01');
    expect(answerDueDate(new Date('2023-03-02T03:00:00Z'), sanJose2023)).toBe('2023-03-23');
  });

  it('tells weekends and holidays from business days', () => {
    expect(isBusinessDay('2023-03-18', none)).toBe(false);
    expect(isBusinessDay('2023-03-20', sanJose2023)).toBe(false);
    expect(isBusinessDay('2023-03-21', sanJose2023)).toBe(true);
  });

  it("says pending, answered or overdue, on Colombia's date", () => {
    const due = { answered: false, dueDate: '2023-03-23' };
    expect(answerStateOf(due, new Date('2023-03-24T04:59:00Z'))).toBe('pending');
    expect(answerStateOf(due, new Date('2023-03-24T05:00:00Z'))).toBe('overdue');
    expect(answerStateOf({ ...due, answered: true }, new Date('2024-01-01T00:00:00Z'))).toBe(
      'answered',
    );
  });
});
