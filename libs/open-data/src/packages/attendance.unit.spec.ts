import { describe, expect, it } from '@jest/globals';
import { publishedAttendance } from './attendance.js';

describe('publishedAttendance', () => {
  it('publishes every count of 5 or more as a number', () => {
    expect(
      publishedAttendance(12, [
        { dimension: 'sex', category: 'female', count: 7 },
        { dimension: 'sex', category: 'male', count: 5 },
      ]),
    ).toEqual([
      { dimension: 'total', category: 'total', count: 12, suppressed: false },
      { dimension: 'sex', category: 'female', count: 7, suppressed: false },
      { dimension: 'sex', category: 'male', count: 5, suppressed: false },
    ]);
  });

  it('suppresses a total of fewer than 5 people', () => {
    expect(publishedAttendance(4, [])).toEqual([
      { dimension: 'total', category: 'total', count: null, suppressed: true },
    ]);
  });

  it('suppresses each count of fewer than 5, zero included, and never shows its number', () => {
    const cells = publishedAttendance(40, [
      { dimension: 'ethnic_group', category: 'palenquero', count: 3 },
      { dimension: 'ethnic_group', category: 'raizal', count: 0 },
      { dimension: 'ethnic_group', category: 'afrocolombian', count: 30 },
    ]);
    expect(cells.slice(1)).toEqual([
      { dimension: 'ethnic_group', category: 'palenquero', count: null, suppressed: true },
      { dimension: 'ethnic_group', category: 'raizal', count: null, suppressed: true },
      { dimension: 'ethnic_group', category: 'afrocolombian', count: 30, suppressed: false },
    ]);
  });

  it('suppresses the smallest other count of a dimension where only one was small, so no subtraction gives it away', () => {
    const cells = publishedAttendance(20, [
      { dimension: 'sex', category: 'female', count: 9 },
      { dimension: 'sex', category: 'male', count: 8 },
      { dimension: 'sex', category: 'non_binary', count: 3 },
      { dimension: 'territory', category: 'bocachica', count: 20 },
    ]);
    expect(cells.map((c) => [c.category, c.count])).toEqual([
      ['total', 20],
      ['female', 9],
      ['male', null],
      ['non_binary', null],
      ['bocachica', 20],
    ]);
  });

  it('never publishes a number below 5 in any cell', () => {
    for (let total = 0; total < 12; total++) {
      const counts = [0, 1, 2, 3, 4, 5, 6].map((count) => ({
        dimension: 'age_band',
        category: `band_${count}`,
        count: Math.min(count, total),
      }));
      for (const cell of publishedAttendance(total, counts)) {
        if (cell.count !== null) expect(cell.count).toBeGreaterThanOrEqual(5);
        expect(cell.suppressed).toBe(cell.count === null);
      }
    }
  });
});
