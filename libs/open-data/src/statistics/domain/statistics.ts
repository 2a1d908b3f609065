import { peopleCell, SECONDARY, secondarySuppression, type PeopleCell } from './suppression.js';

/** What a statistics table groups by. Territories are those of the jurisdiction. */
export const STATISTICS_GROUPINGS = [
  'localidad',
  'ucg',
  'corregimiento',
  'inclusion_group',
  'agency',
  'status',
] as const;
export type StatisticsGrouping = (typeof STATISTICS_GROUPINGS)[number];

/** A count per status, in the order the statuses are listed. */
export interface StatusCount {
  status: string;
  count: number;
}

/**
 * Commitments or milestones of a group: things, never suppressed. `completedOnTime` and
 * `completedLate` compare the completion date with the end date (Bogotá's calendar day);
 * `overdue` are still open after their end date, as of the table's date.
 */
export interface ThingCounts {
  total: number;
  byStatus: StatusCount[];
  completedOnTime: number;
  completedLate: number;
  overdue: number;
}

/** A mean of ratings, as the query sums them: how many ratings and their sum. */
export interface RatingSum {
  count: number;
  sum: number;
}

/** The evaluations of a group, as the query aggregates them (before suppression). */
export interface EvaluationAggregate {
  count: number;
  clarity: RatingSum;
  progress: RatingSum;
  dialogueUsefulness: RatingSum;
  answered: number;
  /** Median of days from submission to first answer over the answered ones; null if none. */
  medianDaysToAnswer: number | null;
}

/** The dialogue spaces of a group and the attendance recorded for the held ones. */
export interface DialogueAggregate {
  total: number;
  byStatus: StatusCount[];
  /** Held spaces whose attendance is recorded. */
  withAttendance: number;
  /** Attendees summed over those spaces. */
  attendees: number;
}

/** One group's figures as the query computes them. */
export interface GroupAggregate {
  /** The group's key (a territory id, an agency id, a status...); null: none stated. */
  key: string | null;
  label: string | null;
  commitments: ThingCounts;
  milestones: ThingCounts;
  evaluations: EvaluationAggregate;
  dialogue: DialogueAggregate;
}

export interface EvaluationFigures {
  count: PeopleCell;
  meanClarity: PeopleCell;
  meanProgress: PeopleCell;
  meanDialogueUsefulness: PeopleCell;
  shareAnswered: PeopleCell;
  medianDaysToAnswer: PeopleCell;
}

export interface AttendanceFigures {
  total: PeopleCell;
  meanPerSpace: PeopleCell;
}

/** One group's published figures: counts of things as they are, figures about people cut. */
export interface GroupFigures {
  key: string | null;
  label: string | null;
  commitments: ThingCounts;
  milestones: ThingCounts;
  dialogueSpaces: { total: number; byStatus: StatusCount[]; withAttendance: number };
  evaluations: EvaluationFigures;
  attendance: AttendanceFigures;
}

export interface StatisticsTable {
  groups: GroupFigures[];
  total: GroupFigures;
}

/** How many values fell on each value: `{ value: 1.25, count: 3 }`. */
export interface HistogramBin {
  value: number;
  count: number;
}

/**
 * The median of the values a histogram counts, as PostgreSQL's `percentile_cont(0.5)` gives
 * it: the middle value, or the mean of the two middle ones; null for no values.
 */
export function medianOf(bins: readonly HistogramBin[]): number | null {
  const sorted = [...bins].filter((bin) => bin.count > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, bin) => sum + bin.count, 0);
  if (total === 0) return null;
  const at = (rank: number): number => {
    let seen = 0;
    for (const bin of sorted) {
      seen += bin.count;
      if (rank < seen) return bin.value;
    }
    return sorted[sorted.length - 1].value;
  };
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

function mean(sum: RatingSum): PeopleCell {
  return peopleCell(sum.count === 0 ? null : round(sum.sum / sum.count), sum.count);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The evaluations' figures. Each describes the people who gave it: the count and the share
 * answered all evaluators of the group, a mean those who gave that rating, the median those
 * whose evaluation was answered.
 */
export function evaluationFigures(aggregate: EvaluationAggregate): EvaluationFigures {
  return {
    count: peopleCell(aggregate.count, aggregate.count),
    meanClarity: mean(aggregate.clarity),
    meanProgress: mean(aggregate.progress),
    meanDialogueUsefulness: mean(aggregate.dialogueUsefulness),
    shareAnswered: peopleCell(
      aggregate.count === 0 ? null : round(aggregate.answered / aggregate.count),
      aggregate.count,
    ),
    medianDaysToAnswer: peopleCell(
      aggregate.medianDaysToAnswer === null ? null : round(aggregate.medianDaysToAnswer),
      aggregate.answered,
    ),
  };
}

/** Attendance describes the attendees: withheld when fewer than the minimum attended. */
export function attendanceFigures(aggregate: DialogueAggregate): AttendanceFigures {
  return {
    total: peopleCell(aggregate.attendees, aggregate.attendees),
    meanPerSpace: peopleCell(
      aggregate.withAttendance === 0 ? null : round(aggregate.attendees / aggregate.withAttendance),
      aggregate.attendees,
    ),
  };
}

function figuresOf(aggregate: GroupAggregate): GroupFigures {
  return {
    key: aggregate.key,
    label: aggregate.label,
    commitments: aggregate.commitments,
    milestones: aggregate.milestones,
    dialogueSpaces: {
      total: aggregate.dialogue.total,
      byStatus: aggregate.dialogue.byStatus,
      withAttendance: aggregate.dialogue.withAttendance,
    },
    evaluations: evaluationFigures(aggregate.evaluations),
    attendance: attendanceFigures(aggregate.dialogue),
  };
}

const ALL_EVALUATION_FIGURES_WITHHELD: EvaluationFigures = {
  count: SECONDARY,
  meanClarity: SECONDARY,
  meanProgress: SECONDARY,
  meanDialogueUsefulness: SECONDARY,
  shareAnswered: SECONDARY,
  medianDaysToAnswer: SECONDARY,
};

/**
 * A table's published figures: each group's, then secondary suppression per family of
 * figures about people (evaluations, attendance), so no withheld count can be recovered
 * from the total by subtraction. Groups keep the query's order.
 */
export function tabulate(
  groups: readonly GroupAggregate[],
  total: GroupAggregate,
): StatisticsTable {
  const figures = groups.map(figuresOf);
  const evaluators = secondarySuppression(groups.map((group) => group.evaluations.count));
  if (evaluators !== undefined) {
    figures[evaluators] = { ...figures[evaluators], evaluations: ALL_EVALUATION_FIGURES_WITHHELD };
  }
  const attendees = secondarySuppression(groups.map((group) => group.dialogue.attendees));
  if (attendees !== undefined) {
    figures[attendees] = {
      ...figures[attendees],
      attendance: { total: SECONDARY, meanPerSpace: SECONDARY },
    };
  }
  return { groups: figures, total: figuresOf(total) };
}
