import { z } from 'zod';
import type { YearData } from './data';
import { addDays, dayNumber, isoWeekday, parseDate } from './time';

/**
 * A calendar year as published by a catalogue administrator (one catalogue document per year):
 * the holidays, the transfers of days off by the government's decree (with its reference), the
 * weekend days made working days, and the dates still estimated. The same schema checks the year
 * on the desk before it is used and in the administration before it is published.
 */

const text = z.object({ kk: z.string().trim().min(1), ru: z.string().trim().min(1) }).strict();

const date = z.string().refine(
  (d) => {
    try {
      parseDate(d);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected YYYY-MM-DD', params: { code: 'date' } },
);

export const holidaySchema = z
  .object({
    date,
    key: z.string().regex(/^[a-z][a-z_]*$/, 'expected lower-case letters and underscores'),
    names: text,
    transferable: z.boolean(),
    estimated: z.boolean().optional(),
  })
  .strict();

export const transferSchema = z
  .object({
    daysOff: z.array(date),
    workingDays: z.array(date),
    /** The decree or order with its number and date: a transfer without its reference is refused. */
    source: z.string().trim().min(1),
  })
  .strict()
  .refine((t) => t.daysOff.length + t.workingDays.length > 0, {
    message: 'a transfer moves at least one day',
    params: { code: 'emptyTransfer' },
  });

export const yearDataSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    holidays: z.array(holidaySchema),
    transfers: z.array(transferSchema),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((y, ctx) => {
    const inYear = (d: string): boolean => d.startsWith(`${y.year}-`);
    y.holidays.forEach((h, i) => {
      if (!inYear(h.date))
        ctx.addIssue({
          code: 'custom',
          path: ['holidays', i, 'date'],
          message: `not in ${y.year}`,
          params: { code: 'notInYear', year: y.year },
        });
      if (y.holidays.findIndex((o) => o.date === h.date && o.key === h.key) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['holidays', i, 'date'],
          message: `duplicate ${h.date}`,
          params: { code: 'duplicate', id: h.date },
        });
    });
    y.transfers.forEach((t, i) => {
      // Days off moved into early January of the next year are still that year's decree's.
      t.daysOff.forEach((d, j) => {
        if (!inYear(d) && d !== addDays(`${y.year}-12-31`, 1))
          ctx.addIssue({
            code: 'custom',
            path: ['transfers', i, 'daysOff', j],
            message: `not in ${y.year}`,
            params: { code: 'notInYear', year: y.year },
          });
      });
      t.workingDays.forEach((d, j) => {
        if (!inYear(d))
          ctx.addIssue({
            code: 'custom',
            path: ['transfers', i, 'workingDays', j],
            message: `not in ${y.year}`,
            params: { code: 'notInYear', year: y.year },
          });
        else if (isoWeekday(d) < 6)
          ctx.addIssue({
            code: 'custom',
            path: ['transfers', i, 'workingDays', j],
            message: `${d} is not a Saturday or Sunday`,
            params: { code: 'notWeekend' },
          });
      });
    });
  });

/** Parses a calendar year; the type is the engine's own YearData. */
export function parseYearData(raw: unknown): z.ZodSafeParseResult<YearData> {
  return yearDataSchema.safeParse(raw);
}

/** How many days before a year begins catalogue administrators are warned that it has no calendar. */
export const CALENDAR_WARNING_DAYS = 90;

/**
 * The first year without a calendar that begins within `days` days of `today` (or has begun):
 * catalogue administrators are asked to publish it before deadlines reach into it. Null when the
 * coming years are covered.
 */
export function missingCalendarYear(
  years: Readonly<Record<number, unknown>>,
  today: string,
  days = CALENDAR_WARNING_DAYS,
): { year: number; daysLeft: number } | null {
  const { year } = parseDate(today);
  for (const y of [year, year + 1]) {
    if (years[y] !== undefined) continue;
    const daysLeft = dayNumber(`${y}-01-01`) - dayNumber(today);
    if (daysLeft <= days) return { year: y, daysLeft: Math.max(0, daysLeft) };
  }
  return null;
}
