/**
 * A civil date, `YYYY-MM-DD`, with no time and no zone: the day as a plan document writes it.
 * Two calendar dates compare correctly as strings.
 */
export type CalendarDate = string;

/** A planned date: a month (`YYYY-MM`) or a day (`YYYY-MM-DD`), since plans often name only the month. */
export type PlannedDate = string;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const MIN_YEAR = 1000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validYearMonth(year: number, month: number): boolean {
  return year >= MIN_YEAR && month >= 1 && month <= 12;
}

/** True for a `YYYY-MM-DD` string naming a day that exists (so not 2023-02-29). */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const match = DAY.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return validYearMonth(year, month) && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a `YYYY-MM` month or a `YYYY-MM-DD` day that exists. */
export function isPlannedDate(value: unknown): value is PlannedDate {
  if (isCalendarDate(value)) return true;
  if (typeof value !== 'string') return false;
  const match = MONTH.exec(value);
  return match !== null && validYearMonth(Number(match[1]), Number(match[2]));
}

/**
 * The first day a planned date covers: the day itself, or the 1st of the month.
 * Precondition: `isPlannedDate(planned)`.
 */
export function firstDayOf(planned: PlannedDate): CalendarDate {
  return planned.length === 7 ? `${planned}-01` : planned;
}

/**
 * The last day a planned date covers: the day itself, or the month's last day.
 * Precondition: `isPlannedDate(planned)`.
 */
export function lastDayOf(planned: PlannedDate): CalendarDate {
  if (planned.length !== 7) return planned;
  const days = daysInMonth(Number(planned.slice(0, 4)), Number(planned.slice(5, 7)));
  return `${planned}-${String(days).padStart(2, '0')}`;
}
