/**
 * Kazakhstan local time and plain calendar dates, without the machine's time zone: everything
 * goes through Date.UTC / getUTC* plus the country's offset, so a laptop set to +6 (old tzdata)
 * or to any other zone computes the same deadlines.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Since 00:00 local on 1 March 2024 the whole country is on UTC+5; before that Almaty (and most
 * regions) were on UTC+6. This is the first instant of UTC+5: 2024-03-01T00:00 at +6.
 */
export const UTC5_SINCE = Date.UTC(2024, 1, 29, 18, 0);

/** Offset of Kazakhstan local time from UTC at an instant, in minutes. */
export function utcOffsetMinutes(instant: number): number {
  return instant >= UTC5_SINCE ? 300 : 360;
}

export interface LocalParts {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  /** 0..1439; seconds and milliseconds are dropped (arithmetic elsewhere works on instants) */
  minutes: number;
}

/** Local calendar date and time of an instant (epoch ms). */
export function toLocalParts(instant: number): LocalParts {
  const shifted = new Date(instant + utcOffsetMinutes(instant) * MINUTE_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay() === 0 ? 7 : shifted.getUTCDay(),
    minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

/** Local 'YYYY-MM-DD' and minutes-of-day of an instant. */
export function toLocal(instant: number): { date: string; minutes: number } {
  const p = toLocalParts(instant);
  return { date: formatDate(p.year, p.month, p.day), minutes: p.minutes };
}

/** Local 'YYYY-MM-DD' of an instant. */
export function toLocalDate(instant: number): string {
  return toLocal(instant).date;
}

/** The local date of an instant as a day number (days since 1970-01-01): `dayNumber(toLocalDate(instant))`. */
export function localDayNumber(instant: number): number {
  return Math.floor((instant + utcOffsetMinutes(instant) * MINUTE_MS) / DAY_MS);
}

/**
 * The instant of a local date and minutes-of-day (minutes may exceed 1439 or be fractional).
 * The clocks went back at the switch, so local 23:00–23:59 on 29 Feb 2024 happened twice; the
 * later (UTC+5) reading is taken. There is no skipped local time.
 */
export function fromLocal(date: string, minutes: number): number {
  const { year, month, day } = parseDate(date);
  const wall = Date.UTC(year, month - 1, day) + minutes * MINUTE_MS;
  const at5 = wall - 300 * MINUTE_MS;
  return at5 >= UTC5_SINCE ? at5 : wall - 360 * MINUTE_MS;
}

// ---- plain calendar dates ('YYYY-MM-DD') ----

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD'; throws RangeError for anything else, including 2025-02-30. */
export function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`No such date: ${date}`);
  }
  return { year, month, day };
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 (a plain date, no time zone involved). */
export function dayNumber(date: string): number {
  const { year, month, day } = parseDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function dateOfDayNumber(n: number): string {
  const d = new Date(n * DAY_MS);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}
