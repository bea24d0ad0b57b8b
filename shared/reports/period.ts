import { addDays, dayNumber, daysInMonth, formatDate, isoWeekday, parseDate } from '../calendar';

/**
 * A report's period: whole local days (Kazakhstan time, shared/calendar), both ends included.
 * Dates are 'YYYY-MM-DD' strings, which compare in date order.
 */
export interface Period {
  from: string;
  to: string;
}

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The day, ISO week (Monday to Sunday), month, quarter or year that holds `date`. */
export function periodOf(kind: Exclude<PeriodKind, 'range'>, date: string): Period {
  const { year, month } = parseDate(date);
  switch (kind) {
    case 'day':
      return { from: date, to: date };
    case 'week': {
      const monday = addDays(date, 1 - isoWeekday(date));
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'month':
      return { from: formatDate(year, month, 1), to: formatDate(year, month, daysInMonth(year, month)) };
    case 'quarter': {
      const first = month - ((month - 1) % 3);
      return { from: formatDate(year, first, 1), to: formatDate(year, first + 2, daysInMonth(year, first + 2)) };
    }
    case 'year':
      return { from: formatDate(year, 1, 1), to: formatDate(year, 12, 31) };
  }
}

/** The period of the same kind just before or after (for the ‹ › buttons). */
export function shiftPeriod(kind: Exclude<PeriodKind, 'range'>, p: Period, step: -1 | 1): Period {
  return periodOf(kind, step < 0 ? addDays(p.from, -1) : addDays(p.to, 1));
}

/** Both ends real dates, in order, at most ten years apart. */
export function isValidPeriod(p: Period): boolean {
  try {
    return p.from <= p.to && dayNumber(p.to) - dayNumber(p.from) < 3660;
  } catch {
    return false;
  }
}

export const inPeriod = (p: Period, day: string): boolean => day >= p.from && day <= p.to;

export function daysOf(p: Period): string[] {
  const out: string[] = [];
  for (let d = p.from; d <= p.to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** How a trend over the period is drawn: by day up to two months, by week up to half a year, else by month. */
export type TrendUnit = 'day' | 'week' | 'month';

export function trendUnit(p: Period): TrendUnit {
  const days = dayNumber(p.to) - dayNumber(p.from) + 1;
  return days <= 62 ? 'day' : days <= 186 ? 'week' : 'month';
}

/** The first day of the trend bucket that holds `day` (clipped to the period's start). */
export function bucketOf(day: string, unit: TrendUnit, p: Period): string {
  const start = unit === 'day' ? day : unit === 'week' ? addDays(day, 1 - isoWeekday(day)) : `${day.slice(0, 7)}-01`;
  return start < p.from ? p.from : start;
}

/** Every bucket of the period in order, empty ones included (a trend line has no holes). */
export function bucketsOf(p: Period, unit: TrendUnit): string[] {
  const out: string[] = [];
  for (const d of daysOf(p)) {
    const b = bucketOf(d, unit, p);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

/**
 * The period split for month-grained queries: whole months in the middle, and the days before the
 * first and after the last whole month (used by the regional views, which keep both grains).
 */
export function splitByMonths(p: Period): { days: Period[]; months: { from: string; to: string } | null } {
  const firstWhole = p.from.endsWith('-01') ? p.from : nextMonthStart(p.from);
  const afterLast = monthStart(addDays(p.to, 1)) === addDays(p.to, 1) ? addDays(p.to, 1) : monthStart(p.to);
  if (firstWhole >= afterLast) return { days: [p], months: null };
  const days: Period[] = [];
  if (p.from < firstWhole) days.push({ from: p.from, to: addDays(firstWhole, -1) });
  if (afterLast <= p.to) days.push({ from: afterLast, to: p.to });
  return { days, months: { from: firstWhole.slice(0, 7), to: addDays(afterLast, -1).slice(0, 7) } };
}

const monthStart = (day: string): string => `${day.slice(0, 7)}-01`;

function nextMonthStart(day: string): string {
  const { year, month } = parseDate(day);
  return month === 12 ? formatDate(year + 1, 1, 1) : formatDate(year, month + 1, 1);
}
