import { describe, expect, it } from '@jest/globals';
import { answerDueDate } from '../domain/index.js';
import { colombianHolidays } from './colombian-holidays.js';

describe("Colombia's public holidays from date-holidays", () => {
  const holidays = colombianHolidays();

  it('knows the moved (Ley Emiliani) and the fixed holidays', () => {
    expect(holidays.isHoliday('2023-03-20')).toBe(true); // San José, moved to Monday
    expect(holidays.isHoliday('2023-11-13')).toBe(true); // Independencia de Cartagena
    expect(holidays.isHoliday('2023-12-08')).toBe(true);
    expect(holidays.isHoliday('2023-03-21')).toBe(false);
  });

  it("puts an answer's due date past Holy Week", () => {
    // 2024-03-22 (Friday): San José (25 March), Holy Thursday and Friday (28, 29 March) do not count.
    expect(answerDueDate(new Date('2024-03-22T15:00:00Z'), holidays)).toBe('2024-04-17');
  });
});
