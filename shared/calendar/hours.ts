import { z } from 'zod';

/** Reception hours of an office. The same hours apply on every listed day (and on a working weekend day). */
export interface OfficeHours {
  /** ISO weekdays the office is open: 1 = Monday … 7 = Sunday */
  days: number[];
  /** 'HH:MM' local time */
  open: string;
  close: string;
  lunch: { from: string; to: string } | null;
}

/** Service providers (district departments): Mon–Fri 9.00–18.00, break 13.00–14.00 (seed 004). */
export const PROVIDER_HOURS: OfficeHours = {
  days: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '18:00',
  lunch: { from: '13:00', to: '14:00' },
};

/** Provider of the child-allowance service: Mon–Fri 9.00–18.30, break 13.00–14.00 (seed 004 lines 1612–1613). */
export const PROVIDER_HOURS_LONG: OfficeHours = {
  days: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '18:30',
  lunch: { from: '13:00', to: '14:00' },
};

/** ЦОН as in the seeds: Mon–Sat 9.00–20.00 without a lunch break. */
export const CON_HOURS: OfficeHours = {
  days: [1, 2, 3, 4, 5, 6],
  open: '09:00',
  close: '20:00',
  lunch: null,
};

const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since local midnight of an 'HH:MM' time; RangeError for anything else. */
export function parseHHMM(time: string): number {
  const m = HHMM_RE.exec(time);
  if (!m) throw new RangeError(`Not an HH:MM time: ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The open periods of a working day as [from, to) minutes of day, in order. */
export function openPeriods(hours: OfficeHours): Array<readonly [number, number]> {
  const open = parseHHMM(hours.open);
  const close = parseHHMM(hours.close);
  if (!hours.lunch) return [[open, close]];
  return [
    [open, parseHHMM(hours.lunch.from)],
    [parseHHMM(hours.lunch.to), close],
  ];
}

const hhmm = z.string().regex(HHMM_RE, 'HH:MM');

// Fixed-width 'HH:MM' strings compare like the times they spell.
export const officeHoursSchema: z.ZodType<OfficeHours> = z
  .object({
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .refine((days) => new Set(days).size === days.length, 'days must be unique'),
    open: hhmm,
    close: hhmm,
    lunch: z.object({ from: hhmm, to: hhmm }).nullable(),
  })
  .refine((h) => h.open < h.close, { message: 'open must be before close', path: ['close'] })
  .refine((h) => !h.lunch || (h.open < h.lunch.from && h.lunch.from < h.lunch.to && h.lunch.to < h.close), {
    message: 'lunch must lie strictly inside the open hours',
    path: ['lunch'],
  });
