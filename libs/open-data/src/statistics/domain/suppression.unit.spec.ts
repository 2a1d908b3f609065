import { describe, expect, it } from '@jest/globals';
import {
  attendanceFigures,
  evaluationFigures,
  medianOf,
  tabulate,
  type GroupAggregate,
} from './statistics.js';
import { MINIMUM_PEOPLE_PER_CELL, peopleCell, secondarySuppression } from './suppression.js';

const few = { suppressed: true, value: null, reason: 'fewer_than_minimum' };

const things = { total: 2, byStatus: [], completedOnTime: 1, completedLate: 0, overdue: 1 };
const group = (key: string | null, evaluators: number, attendees: number): GroupAggregate => ({
  key,
  label: key,
  commitments: things,
  milestones: things,
  evaluations: {
    count: evaluators,
    clarity: { count: evaluators, sum: evaluators * 4 },
    progress: { count: 0, sum: 0 },
    dialogueUsefulness: { count: 0, sum: 0 },
    answered: evaluators,
    medianDaysToAnswer: evaluators === 0 ? null : 2.5,
  },
  dialogue: { total: 1, byStatus: [], withAttendance: 1, attendees },
});

describe('the minimum of people per cell', () => {
  it('is five', () => {
    expect(MINIMUM_PEOPLE_PER_CELL).toBe(5);
  });

  it('shows a figure about 5 people', () => {
    expect(peopleCell(3.2, 5)).toEqual({ suppressed: false, value: 3.2 });
  });

  it('suppresses a figure about 4 people, and about none', () => {
    expect(peopleCell(3.2, 4)).toEqual(few);
    expect(peopleCell(null, 0)).toEqual(few);
  });
});

describe("a group's figures about people", () => {
  it('cuts each by the people it describes: a median by the answered ones', () => {
    const figures = evaluationFigures({
      count: 6,
      clarity: { count: 5, sum: 21 },
      progress: { count: 4, sum: 16 },
      dialogueUsefulness: { count: 0, sum: 0 },
      answered: 4,
      medianDaysToAnswer: 1.234,
    });
    expect(figures).toEqual({
      count: { suppressed: false, value: 6 },
      meanClarity: { suppressed: false, value: 4.2 },
      meanProgress: few,
      meanDialogueUsefulness: few,
      shareAnswered: { suppressed: false, value: 0.67 },
      medianDaysToAnswer: few,
    });
  });

  it('shows attendance of 5 and hides attendance of 4', () => {
    const dialogue = { total: 2, byStatus: [], withAttendance: 2 };
    expect(attendanceFigures({ ...dialogue, attendees: 5 })).toEqual({
      total: { suppressed: false, value: 5 },
      meanPerSpace: { suppressed: false, value: 2.5 },
    });
    expect(attendanceFigures({ ...dialogue, attendees: 4 })).toEqual({
      total: few,
      meanPerSpace: few,
    });
  });

  it('never suppresses counts of things', () => {
    const table = tabulate([group('a', 0, 0)], group(null, 0, 0));
    expect(table.groups[0].commitments).toEqual(things);
    expect(table.groups[0].dialogueSpaces.total).toBe(1);
  });
});

describe('secondary suppression', () => {
  it('picks the smallest shown group when exactly one is small', () => {
    expect(secondarySuppression([40, 4, 9, 12])).toBe(2);
  });

  it('picks none when no group or two groups are small', () => {
    expect(secondarySuppression([40, 5, 9])).toBeUndefined();
    expect(secondarySuppression([40, 4, 3])).toBeUndefined();
  });

  it("withholds all of the chosen group's figures of that family, and only those", () => {
    const table = tabulate(
      [group('a', 30, 50), group('b', 4, 60), group('c', 7, 70)],
      group(null, 41, 180),
    );
    const secondary = { suppressed: true, value: null, reason: 'secondary' };
    expect(table.groups[2].evaluations).toEqual({
      count: secondary,
      meanClarity: secondary,
      meanProgress: secondary,
      meanDialogueUsefulness: secondary,
      shareAnswered: secondary,
      medianDaysToAnswer: secondary,
    });
    expect(table.groups[1].evaluations.count).toEqual(few);
    expect(table.groups[0].evaluations.count).toEqual({ suppressed: false, value: 30 });
    expect(table.groups[2].attendance.total).toEqual({ suppressed: false, value: 70 });
    expect(table.total.evaluations.count).toEqual({ suppressed: false, value: 41 });
  });
});

describe('the median of a histogram', () => {
  it('is the middle value of an odd count', () => {
    expect(
      medianOf([
        { value: 3, count: 1 },
        { value: 1, count: 1 },
        { value: 2, count: 1 },
      ]),
    ).toBe(2);
  });

  it('is the mean of the two middle values of an even count, as percentile_cont gives it', () => {
    expect(
      medianOf([
        { value: 1, count: 2 },
        { value: 4, count: 2 },
      ]),
    ).toBe(2.5);
    expect(
      medianOf([
        { value: 1, count: 1 },
        { value: 2, count: 2 },
        { value: 9, count: 1 },
      ]),
    ).toBe(2);
  });

  it('is null for no values', () => {
    expect(medianOf([])).toBeNull();
    expect(medianOf([{ value: 1, count: 0 }])).toBeNull();
  });
});
