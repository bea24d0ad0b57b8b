import { CALENDAR_DATA, type YearData } from './data';
import { nonWorkingDays, workingWeekendDays } from './holidays';
import { type OfficeHours, openPeriods, parseHHMM } from './hours';
import {
  addDays,
  dateOfDayNumber,
  daysInMonth,
  formatDate,
  fromLocal,
  isoWeekday,
  localDayNumber,
  parseDate,
  toLocalDate,
  toLocalParts,
} from './time';

export type NormUnit =
  'minutes' | 'hours' | 'working_days' | 'same_working_day' | 'calendar_days' | 'months' | 'days_unspecified';

/** A service term, e.g. { value: 5, unit: 'working_days' }. */
export interface Norm {
  value: number;
  unit: NormUnit;
}

export interface WorkCalendar {
  years: Readonly<Record<number, YearData>>;
}

export const DEFAULT_CALENDAR: WorkCalendar = { years: CALENDAR_DATA };

/** A date falls in a year without calendar data: deadlines across it must be refused, not guessed. */
export class CalendarError extends Error {
  readonly code = 'calendar.yearMissing' as const;
  readonly year: number;
  constructor(year: number) {
    super(`No working-time calendar for ${year}`);
    this.name = 'CalendarError';
    this.year = year;
  }
}

/** Local 23:59, the end of a day for calendar-day and month terms. */
const END_OF_DAY = 23 * 60 + 59;
const MINUTE_MS = 60_000;

interface DerivedYear {
  nonWorking: ReadonlySet<string>;
  workingWeekend: ReadonlySet<string>;
}

// Deriving a year is cheap but runs per day stepped over; memoised per data object and work week.
// Calendar data is treated as immutable: an edited year must be a new object.
const derivedCache = new WeakMap<YearData, Map<string, DerivedYear>>();
// The key of a work week, per array: office hours are plain data reused for every day stepped over.
const weekKeys = new WeakMap<readonly number[], string>();

function weekKey(workWeek: readonly number[]): string {
  let key = weekKeys.get(workWeek);
  if (key === undefined) weekKeys.set(workWeek, (key = [...workWeek].sort().join()));
  return key;
}

function derived(data: YearData, workWeek: readonly number[]): DerivedYear {
  const key = weekKey(workWeek);
  let byWeek = derivedCache.get(data);
  if (!byWeek) derivedCache.set(data, (byWeek = new Map<string, DerivedYear>()));
  let d = byWeek.get(key);
  if (!d) {
    d = { nonWorking: new Set(nonWorkingDays(data, workWeek)), workingWeekend: new Set(workingWeekendDays(data)) };
    byWeek.set(key, d);
  }
  return d;
}

function yearData(cal: WorkCalendar, year: number): YearData {
  const data = cal.years[year];
  if (!data) throw new CalendarError(year);
  return data;
}

function assertHours(hours: OfficeHours): void {
  // Without open days the day-stepping loops would only stop at the first missing year.
  if (hours.days.length === 0) throw new RangeError('Office hours have no open days');
}

function assertCount(n: number, what: string): void {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${what} must be a non-negative number: ${n}`);
}

function assertWhole(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer: ${n}`);
}

/**
 * Whether the office works on a local date: a working weekend day from a transfer works (same
 * hours); otherwise the day must be an office day and not a non-working day of its year.
 * The year's non-working days are derived for the office's own week (a Mon–Sat ЦОН moves only
 * Sunday holidays).
 */
export function isWorkingDay(cal: WorkCalendar, hours: OfficeHours, date: string): boolean {
  const { year } = parseDate(date);
  const d = derived(yearData(cal, year), hours.days);
  if (d.workingWeekend.has(date)) return true;
  if (d.nonWorking.has(date)) return false;
  // A day moved past 31 December belongs to the previous year's data (cannot happen with today's holidays).
  const prev = cal.years[year - 1];
  if (prev && derived(prev, hours.days).nonWorking.has(date)) return false;
  return hours.days.includes(isoWeekday(date));
}

/** A day of the office as the terms step over it: its open periods and its close, as instants. */
interface OfficeDay {
  /** The year data it was worked out from (and the year before's: a day moved past 31 December is there). */
  year: number;
  data: YearData;
  prev: YearData | undefined;
  /** Not a working day: no periods. */
  working: boolean;
  periods: readonly (readonly [number, number])[];
  close: number;
}

// The terms of a fold step over the same days again and again (an open application's time in its
// step is counted from its start to now, every fold): each day is worked out once per calendar and
// office hours, by isWorkingDay, and kept while the calendar holds the same data for its year.
// Parsing and formatting the date strings day after day was most of the fold's time.
const officeDays = new WeakMap<WorkCalendar['years'], Map<string, Map<number, OfficeDay>>>();
const hoursKeys = new WeakMap<OfficeHours, string>();

function hoursKey(hours: OfficeHours): string {
  let key = hoursKeys.get(hours);
  if (key === undefined) {
    key = `${weekKey(hours.days)}|${hours.open}|${hours.close}|${hours.lunch?.from ?? ''}|${hours.lunch?.to ?? ''}`;
    hoursKeys.set(hours, key);
  }
  return key;
}

/** The office's day `n` (days since 1970-01-01, local); CalendarError for a year without data. */
function officeDay(cal: WorkCalendar, hours: OfficeHours, n: number): OfficeDay {
  let byHours = officeDays.get(cal.years);
  if (!byHours) officeDays.set(cal.years, (byHours = new Map<string, Map<number, OfficeDay>>()));
  const key = hoursKey(hours);
  let days = byHours.get(key);
  if (!days) byHours.set(key, (days = new Map<number, OfficeDay>()));
  const kept = days.get(n);
  if (kept && cal.years[kept.year] === kept.data && cal.years[kept.year - 1] === kept.prev) return kept;
  const date = dateOfDayNumber(n);
  const { year } = parseDate(date);
  const working = isWorkingDay(cal, hours, date);
  const day: OfficeDay = {
    year,
    data: yearData(cal, year),
    prev: cal.years[year - 1],
    working,
    periods: working ? openPeriods(hours).map(([s, e]) => [fromLocal(date, s), fromLocal(date, e)] as const) : [],
    close: fromLocal(date, parseHHMM(hours.close)),
  };
  days.set(n, day);
  return day;
}

/** Open intervals [start, end) as instants, in order, from `from` on (the first one clipped to start at `from`). */
function* openIntervals(cal: WorkCalendar, hours: OfficeHours, from: number): Generator<readonly [number, number]> {
  assertHours(hours);
  // Unbounded on purpose: officeDay throws CalendarError at the first year without data.
  for (let n = localDayNumber(from); ; n++) {
    for (const [start, end] of officeDay(cal, hours, n).periods) {
      if (end <= from) continue;
      yield [Math.max(start, from), end];
    }
  }
}

/** `from` if the office is open at `from`, else the next instant it opens. */
export function nextOpening(cal: WorkCalendar, hours: OfficeHours, from: number): number {
  for (const [start] of openIntervals(cal, hours, from)) return start;
  throw new Error('unreachable');
}

/**
 * Adds open time only (pauses at lunch, outside hours, on non-working days). 0 minutes gives
 * nextOpening(from); a result exactly at a closing or lunch start stays there, being the end of
 * the period it used up.
 */
export function addWorkingMinutes(cal: WorkCalendar, hours: OfficeHours, from: number, minutes: number): number {
  assertCount(minutes, 'minutes');
  let left = minutes * MINUTE_MS;
  for (const [start, end] of openIntervals(cal, hours, from)) {
    if (left === 0) return start;
    if (left <= end - start) return start + left;
    left -= end - start;
  }
  throw new Error('unreachable');
}

export function addWorkingHours(cal: WorkCalendar, hours: OfficeHours, from: number, h: number): number {
  return addWorkingMinutes(cal, hours, from, h * 60);
}

/**
 * The closing time of the N-th working day counted from the day after `from`'s local date (the
 * day of acceptance is not counted). N = 0 is "the same working day": the close of `from`'s day
 * if it is a working day and `from` is not past its close, else of the next working day — so the
 * result is never before `from`.
 */
export function addWorkingDays(cal: WorkCalendar, hours: OfficeHours, from: number, days: number): number {
  assertWhole(days, 'days');
  assertHours(hours);
  let n = localDayNumber(from);
  if (days === 0) {
    for (; ; n++) {
      const day = officeDay(cal, hours, n);
      if (day.working && day.close >= from) return day.close;
    }
  }
  for (let counted = 0; counted < days;) if (officeDay(cal, hours, ++n).working) counted++;
  return officeDay(cal, hours, n).close;
}

/** Open minutes in [a, b); negative when b < a. Fractional when the instants are not whole minutes. */
export function workingMinutesBetween(cal: WorkCalendar, hours: OfficeHours, a: number, b: number): number {
  if (b < a) return -workingMinutesBetween(cal, hours, b, a);
  let total = 0;
  for (const [start, end] of openIntervals(cal, hours, a)) {
    if (start >= b) break;
    total += Math.min(end, b) - start;
  }
  return total / MINUTE_MS;
}

/**
 * Local 23:59 of the day `days` calendar days after `from`'s local date. Calendar-day terms ignore
 * office hours and holidays, so the end of the day is used rather than a closing time; no
 * calendar data is needed.
 */
export function addCalendarDays(from: number, days: number): number {
  assertWhole(days, 'days');
  return fromLocal(addDays(toLocalDate(from), days), END_OF_DAY);
}

/** Local 23:59 of the same day of month `months` months later, clamped to the month's end (31 Jan + 1 → 28/29 Feb). */
export function addMonths(from: number, months: number): number {
  assertWhole(months, 'months');
  const p = toLocalParts(from);
  const index = p.month - 1 + months;
  const year = p.year + Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(p.day, daysInMonth(year, month));
  return fromLocal(formatDate(year, month, day), END_OF_DAY);
}

/** The deadline of a term started at `from`. */
export function dueAt(cal: WorkCalendar, hours: OfficeHours, from: number, norm: Norm): number {
  switch (norm.unit) {
    case 'minutes':
      return addWorkingMinutes(cal, hours, from, norm.value);
    case 'hours':
      return addWorkingHours(cal, hours, from, norm.value);
    // Service terms are set in working days; an unqualified "N days" is read the same way.
    case 'working_days':
    case 'days_unspecified':
      return addWorkingDays(cal, hours, from, norm.value);
    case 'same_working_day':
      return addWorkingDays(cal, hours, from, 0);
    case 'calendar_days':
      return addCalendarDays(from, norm.value);
    case 'months':
      return addMonths(from, norm.value);
    default: {
      const never: never = norm.unit;
      throw new RangeError(`Unknown norm unit: ${String(never)}`);
    }
  }
}
