import { describe, expect, it } from '@jest/globals';
import { colombianDay, dueDateOf, ocdsMilestoneStatus } from './milestone-status.js';

describe('dueDateOf', () => {
  it('keeps a day and gives a month its last day, leap years included', () => {
    expect(dueDateOf('2023-06-15')).toBe('2023-06-15');
    expect(dueDateOf('2023-02')).toBe('2023-02-28');
    expect(dueDateOf('2024-02')).toBe('2024-02-29');
    expect(dueDateOf('2023-12')).toBe('2023-12-31');
  });
});

describe('colombianDay', () => {
  it('is the day in Bogotá (UTC-5)', () => {
    expect(colombianDay('2024-03-01T04:59:59Z')).toBe('2024-02-29');
    expect(colombianDay('2024-03-01T05:00:00Z')).toBe('2024-03-01');
  });
});

describe('ocdsMilestoneStatus', () => {
  const due = '2024-03-31';
  const at = (status: string, progress: number, today: string | null) =>
    ocdsMilestoneStatus({ status, progress, dueDate: due, today });

  it('maps completed to met and cancelled to notMet, whatever the date', () => {
    expect(at('completed', 100, '2024-01-01')).toBe('met');
    expect(at('completed', 100, '2025-01-01')).toBe('met');
    expect(at('cancelled', 40, '2024-01-01')).toBe('notMet');
  });

  it('keeps an open milestone scheduled until its due date has passed, the due day included', () => {
    for (const status of ['scheduled', 'in_progress', 'delayed']) {
      expect(at(status, 0, '2024-03-31')).toBe('scheduled');
      expect(at(status, 60, null)).toBe('scheduled');
    }
  });

  it('after the due date: partiallyMet with some progress, notMet with none', () => {
    expect(at('in_progress', 60, '2024-04-01')).toBe('partiallyMet');
    expect(at('delayed', 1, '2024-04-01')).toBe('partiallyMet');
    expect(at('scheduled', 0, '2024-04-01')).toBe('notMet');
  });
});
