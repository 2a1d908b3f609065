/**
 * OCDS milestone fields from Cuenta's milestones (standard.open-contracting.org, Milestone):
 * a milestone's `dueDate` and its `milestoneStatus`, one of OCDS's closed codelist.
 */

export const OCDS_MILESTONE_STATUSES = ['scheduled', 'met', 'notMet', 'partiallyMet'] as const;
export type OcdsMilestoneStatus = (typeof OCDS_MILESTONE_STATUSES)[number];

/** Colombia keeps UTC-5 all year (no daylight saving). */
const BOGOTA_OFFSET_MS = 5 * 60 * 60 * 1000;

/**
 * The day a planned end falls due: the day itself, or the last day of a month-only plan
 * (`2024-03` -> `2024-03-31`). Precondition: `plannedEnd` is a valid `YYYY-MM` or `YYYY-MM-DD`.
 */
export function dueDateOf(plannedEnd: string): string {
  if (plannedEnd.length === 10) return plannedEnd;
  const [year, month] = plannedEnd.split('-').map(Number);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${plannedEnd}-${String(lastDay).padStart(2, '0')}`;
}

/** The calendar day in Colombia at an instant (ISO-8601). */
export function colombianDay(instant: string): string {
  return new Date(Date.parse(instant) - BOGOTA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * OCDS `milestoneStatus` from Cuenta's status, judged on `today` (the package's cut, a day in
 * Colombia):
 * - `completed` -> `met`;
 * - `cancelled` -> `notMet` (it will not be met);
 * - `scheduled`, `in_progress`, `delayed`: `scheduled` while the due date has not passed; once
 *   it has, `partiallyMet` when some progress was reported, `notMet` when none was.
 */
export function ocdsMilestoneStatus(args: {
  status: string;
  progress: number;
  dueDate: string;
  today: string | null;
}): OcdsMilestoneStatus {
  if (args.status === 'completed') return 'met';
  if (args.status === 'cancelled') return 'notMet';
  if (args.today === null || args.today <= args.dueDate) return 'scheduled';
  return args.progress > 0 ? 'partiallyMet' : 'notMet';
}
