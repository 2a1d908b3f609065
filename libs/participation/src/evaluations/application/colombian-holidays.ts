import Holidays from 'date-holidays';
import type { HolidayCalendar } from '../domain/index.js';

/**
 * Colombia's public holidays from the maintained `date-holidays` calendar (country CO), as
 * the pure domain takes them. Observances (Palm Sunday, Easter Sunday) are not days off and
 * are left out; each year is computed once.
 */
export function colombianHolidays(): HolidayCalendar {
  const calendar = new Holidays('CO');
  const years = new Map<number, ReadonlySet<string>>();
  const ofYear = (year: number): ReadonlySet<string> => {
    let dates = years.get(year);
    if (dates === undefined) {
      dates = new Set(
        calendar
          .getHolidays(year)
          .filter((holiday) => holiday.type === 'public')
          .map((holiday) => holiday.date.slice(0, 10)),
      );
      years.set(year, dates);
    }
    return dates;
  };
  return { isHoliday: (date) => ofYear(Number(date.slice(0, 4))).has(date) };
}
