import { type YearData } from './data';
import { addDays, isoWeekday } from './time';

/** ISO weekdays of the five-day week (Mon–Fri), the week the published calendars are for. */
export const FIVE_DAY_WEEK: readonly number[] = [1, 2, 3, 4, 5];

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The weekend rule of the holiday law (No. 267-II Art. 5): a transferable holiday on a rest day
 * makes "the next working day after the holiday" a day off. Holidays are taken in date order and
 * a day already off (another holiday, or a day moved earlier) is skipped, so Nauryz 2026
 * (Sat 21, Sun 22, Mon 23) gives Tue 24 and Wed 25 March. The rest days are those outside
 * `workWeek`: with a six-day week only Sundays move (Nauryz 2025: off 21–24, not 25).
 * Ministry transfers are not consulted: orders are issued against the statutory calendar.
 */
export function movedDaysOff(data: YearData, workWeek: readonly number[] = FIVE_DAY_WEEK): string[] {
  const isRestDay = (date: string): boolean => !workWeek.includes(isoWeekday(date));
  const off = new Set(data.holidays.map((h) => h.date));
  const moved: string[] = [];
  const holidays = [...data.holidays].sort((a, b) => byString(a.date, b.date));
  for (const h of holidays) {
    if (!h.transferable || !isRestDay(h.date)) continue;
    let d = addDays(h.date, 1);
    while (isRestDay(d) || off.has(d)) d = addDays(d, 1);
    off.add(d);
    moved.push(d);
  }
  return moved.sort(byString);
}

/**
 * All non-working days of the year other than plain weekends: holiday dates (also those on a
 * weekend), days moved by the weekend rule, and days off ordered by transfers; minus weekend days
 * that a transfer made working. Sorted 'YYYY-MM-DD'.
 */
export function nonWorkingDays(data: YearData, workWeek: readonly number[] = FIVE_DAY_WEEK): string[] {
  const off = new Set([...data.holidays.map((h) => h.date), ...movedDaysOff(data, workWeek)]);
  for (const t of data.transfers) for (const d of t.daysOff) off.add(d);
  // A transfer instrument is the later, specific act: its working days win.
  for (const d of workingWeekendDays(data)) off.delete(d);
  return [...off].sort(byString);
}

/** Weekend days made working days by transfers (e.g. Sat 4 May 2024, Sun 5 Jan 2025). */
export function workingWeekendDays(data: YearData): string[] {
  return [...new Set(data.transfers.flatMap((t) => t.workingDays))].sort(byString);
}
