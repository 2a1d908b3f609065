import type { CalendarDate } from '#kernel';

/** Colombia keeps UTC-5 all year (no daylight saving time). */
const COLOMBIA_OFFSET_MS = -5 * 3_600_000;

/** The legal term of an answer to a petition: 15 business days (Ley 1755 de 2015, art. 14). */
export const ANSWER_TERM_BUSINESS_DAYS = 15;

/** The civil date in Colombia at `instant`. */
export function colombianDate(instant: Date): CalendarDate {
  return new Date(instant.getTime() + COLOMBIA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The public holidays a business-day count skips, as `YYYY-MM-DD` dates. */
export interface HolidayCalendar {
  isHoliday(date: CalendarDate): boolean;
}

const DAY_MS = 86_400_000;

function nextDay(date: CalendarDate): CalendarDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** Monday to Friday and not a public holiday. */
export function isBusinessDay(date: CalendarDate, holidays: HolidayCalendar): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.isHoliday(date);
}

/**
 * The date `days` business days after `start`: the term runs from the day after, counting
 * only business days, so a petition filed on a Friday counts its first day on Monday (or the
 * next business day). Pure: the holidays come as data.
 */
export function addBusinessDays(
  start: CalendarDate,
  days: number,
  holidays: HolidayCalendar,
): CalendarDate {
  let date = start;
  let counted = 0;
  while (counted < days) {
    date = nextDay(date);
    if (isBusinessDay(date, holidays)) counted++;
  }
  return date;
}

/** When an answer to an evaluation submitted at `submittedAt` falls due. */
export function answerDueDate(submittedAt: Date, holidays: HolidayCalendar): CalendarDate {
  return addBusinessDays(colombianDate(submittedAt), ANSWER_TERM_BUSINESS_DAYS, holidays);
}

/**
 * pending: not answered yet and within its term; answered: it has an answer (on time or
 * not); overdue: not answered and the due date has passed in Colombia.
 */
export type AnswerState = 'pending' | 'answered' | 'overdue';

export function answerStateOf(
  evaluation: { answered: boolean; dueDate: CalendarDate },
  now: Date,
): AnswerState {
  if (evaluation.answered) return 'answered';
  return colombianDate(now) > evaluation.dueDate ? 'overdue' : 'pending';
}
