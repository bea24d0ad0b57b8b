import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CON_HOURS, type OfficeHours, PROVIDER_HOURS, PROVIDER_HOURS_LONG, parseHHMM } from './hours';
import { fromLocal, toLocal } from './time';
import {
  CalendarError,
  DEFAULT_CALENDAR as cal,
  addCalendarDays,
  addMonths,
  addWorkingDays,
  addWorkingHours,
  addWorkingMinutes,
  dueAt,
  isWorkingDay,
  nextOpening,
  workingMinutesBetween,
  type WorkCalendar,
} from './workingTime';

/** Local Kazakhstan time 'YYYY-MM-DD HH:MM' → instant. */
const kz = (s: string): number => {
  const [date = '', time = ''] = s.split(' ');
  return fromLocal(date, parseHHMM(time));
};
/** Instant → local 'YYYY-MM-DD HH:MM' for readable assertions. */
const show = (t: number): string => {
  const { date, minutes } = toLocal(t);
  return `${date} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};
const P = PROVIDER_HOURS;

describe('isWorkingDay', () => {
  it('applies the May 2024 transfer: 1, 7, 8, 9 May off, Sat 4 May working', () => {
    const may = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((d) =>
      isWorkingDay(cal, P, `2024-05-${d}`),
    );
    expect(may).toEqual([false, true, true, true, false, true, false, false, false, true]);
  });

  it('applies the January 2025 transfer: Fri 3 Jan off, Sun 5 Jan working', () => {
    expect(isWorkingDay(cal, P, '2025-01-03')).toBe(false);
    expect(isWorkingDay(cal, P, '2025-01-05')).toBe(true);
    expect(isWorkingDay(cal, P, '2025-01-07')).toBe(false);
  });

  it('keeps 31 Aug 2026 working (no Constitution Day in 2026)', () => {
    expect(isWorkingDay(cal, P, '2026-08-31')).toBe(true);
  });

  it('uses the office week for ЦОН (Mon–Sat): only Sunday coincidences move', () => {
    expect(isWorkingDay(cal, CON_HOURS, '2026-03-28')).toBe(true); // ordinary Saturday
    expect(isWorkingDay(cal, P, '2026-03-28')).toBe(false);
    expect(isWorkingDay(cal, CON_HOURS, '2025-03-22')).toBe(false); // Nauryz on a Saturday
    expect(isWorkingDay(cal, CON_HOURS, '2025-03-24')).toBe(false); // ← Sun 23 Mar
    expect(isWorkingDay(cal, CON_HOURS, '2025-03-25')).toBe(true);
    expect(isWorkingDay(cal, P, '2025-03-25')).toBe(false);
  });

  it('throws CalendarError for a year without data', () => {
    expect(() => isWorkingDay(cal, P, '2023-12-29')).toThrow(CalendarError);
    try {
      isWorkingDay(cal, P, '2028-01-03');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarError);
      expect(e).toMatchObject({ code: 'calendar.yearMissing', year: 2028 });
    }
  });
});

describe('addWorkingDays (acceptance day not counted)', () => {
  it('Mon 10:00 + 5 → following Mon 18:00', () => {
    expect(show(addWorkingDays(cal, P, kz('2026-04-13 10:00'), 5))).toBe('2026-04-20 18:00');
  });

  it('Thu 19 Mar 2026 + 5 crosses Nauryz (21–25 off) → Tue 31 Mar', () => {
    // 20 Fri (1), 21–25 off, 26 Thu (2), 27 Fri (3), 30 Mon (4), 31 Tue (5)
    expect(show(addWorkingDays(cal, P, kz('2026-03-19 10:00'), 5))).toBe('2026-03-31 18:00');
  });

  it('reproduces the worked examples of domain-facts §3.4', () => {
    expect(show(addWorkingDays(cal, P, kz('2026-03-20 11:00'), 5))).toBe('2026-04-01 18:00');
    expect(show(addWorkingDays(cal, P, kz('2026-05-06 11:00'), 3))).toBe('2026-05-13 18:00');
    expect(show(addWorkingDays(cal, P, kz('2026-12-30 11:00'), 2))).toBe('2027-01-05 18:00');
  });

  it('counts working weekend days and skips ordered days off', () => {
    expect(show(addWorkingDays(cal, P, kz('2024-05-03 10:00'), 1))).toBe('2024-05-04 18:00');
    expect(show(addWorkingDays(cal, P, kz('2024-05-03 10:00'), 3))).toBe('2024-05-10 18:00');
    expect(show(addWorkingDays(cal, P, kz('2024-12-31 10:00'), 1))).toBe('2025-01-05 18:00');
    expect(show(addWorkingDays(cal, P, kz('2024-12-31 10:00'), 3))).toBe('2025-01-08 18:00');
  });

  it('N = 0 is the same working day, never before `from`', () => {
    expect(show(addWorkingDays(cal, P, kz('2026-04-13 10:00'), 0))).toBe('2026-04-13 18:00');
    expect(show(addWorkingDays(cal, P, kz('2026-04-13 18:00'), 0))).toBe('2026-04-13 18:00');
    expect(show(addWorkingDays(cal, P, kz('2026-04-13 19:00'), 0))).toBe('2026-04-14 18:00');
    expect(show(addWorkingDays(cal, P, kz('2026-03-21 10:00'), 0))).toBe('2026-03-26 18:00');
  });

  it('uses the office closing time', () => {
    expect(show(addWorkingDays(cal, PROVIDER_HOURS_LONG, kz('2026-04-13 10:00'), 1))).toBe('2026-04-14 18:30');
  });

  it('refuses to cross into a year without data', () => {
    expect(() => addWorkingDays(cal, P, kz('2027-12-29 10:00'), 5)).toThrow(CalendarError);
    expect(() => addWorkingDays(cal, P, kz('2026-04-13 10:00'), -1)).toThrow(RangeError);
  });
});

describe('addWorkingMinutes / nextOpening', () => {
  it('fills a whole day: 09:00 + 480 open minutes → 18:00 the same day', () => {
    expect(show(addWorkingMinutes(cal, P, kz('2026-04-13 09:00'), 480))).toBe('2026-04-13 18:00');
    expect(show(addWorkingHours(cal, P, kz('2026-04-13 09:00'), 8))).toBe('2026-04-13 18:00');
    // 540 clock minutes but only 480 open ones: one more hour the next morning.
    expect(show(addWorkingMinutes(cal, P, kz('2026-04-13 09:00'), 540))).toBe('2026-04-14 10:00');
  });

  it('pauses at lunch and stays at a lunch start it reaches exactly', () => {
    expect(show(addWorkingMinutes(cal, P, kz('2026-04-13 12:30'), 60))).toBe('2026-04-13 14:30');
    expect(show(addWorkingMinutes(cal, P, kz('2026-04-13 12:00'), 60))).toBe('2026-04-13 13:00');
    expect(show(addWorkingMinutes(cal, P, kz('2026-04-13 13:20'), 30))).toBe('2026-04-13 14:30');
  });

  it('pauses over closing, the weekend and holidays', () => {
    expect(show(addWorkingMinutes(cal, P, kz('2026-04-17 17:30'), 60))).toBe('2026-04-20 09:30');
    expect(show(addWorkingMinutes(cal, P, kz('2026-03-20 17:00'), 120))).toBe('2026-03-26 10:00');
    expect(show(addWorkingMinutes(cal, CON_HOURS, kz('2026-04-18 19:30'), 60))).toBe('2026-04-20 09:30');
  });

  it('0 minutes gives the next opening', () => {
    expect(show(addWorkingMinutes(cal, P, kz('2026-04-13 13:00'), 0))).toBe('2026-04-13 14:00');
    expect(addWorkingMinutes(cal, P, kz('2026-04-13 10:15'), 0)).toBe(kz('2026-04-13 10:15'));
  });

  it('nextOpening: itself when open, else after lunch, next morning, after holidays', () => {
    const t = kz('2026-04-13 10:15') + 30_500;
    expect(nextOpening(cal, P, t)).toBe(t);
    expect(show(nextOpening(cal, P, kz('2026-04-13 08:00')))).toBe('2026-04-13 09:00');
    expect(show(nextOpening(cal, P, kz('2026-04-13 13:30')))).toBe('2026-04-13 14:00');
    expect(show(nextOpening(cal, P, kz('2026-04-13 18:00')))).toBe('2026-04-14 09:00');
    expect(show(nextOpening(cal, P, kz('2026-04-18 10:00')))).toBe('2026-04-20 09:00');
    expect(show(nextOpening(cal, P, kz('2026-03-20 18:05')))).toBe('2026-03-26 09:00');
  });

  it('works across the UTC+5 switch (Thu 29 Feb 2024 at +6, Fri 1 Mar at +5)', () => {
    const thu = kz('2024-02-29 17:30');
    expect(thu).toBe(Date.parse('2024-02-29T11:30:00Z'));
    const end = addWorkingMinutes(cal, P, thu, 60);
    expect(end).toBe(Date.parse('2024-03-01T04:30:00Z'));
    expect(show(end)).toBe('2024-03-01 09:30');
    expect(workingMinutesBetween(cal, P, thu, end)).toBe(60);
  });

  it('throws CalendarError before 2024 and after 2027, RangeError for bad input', () => {
    expect(() => addWorkingMinutes(cal, P, kz('2023-12-29 10:00'), 10)).toThrow(CalendarError);
    expect(() => nextOpening(cal, P, kz('2027-12-31 19:00'))).toThrow(CalendarError);
    expect(() => addWorkingMinutes(cal, P, kz('2026-04-13 10:00'), -1)).toThrow(RangeError);
    expect(() => nextOpening(cal, { ...P, days: [] }, kz('2026-04-13 10:00'))).toThrow(RangeError);
  });
});

describe('workingMinutesBetween', () => {
  it('counts open minutes in [a, b)', () => {
    expect(workingMinutesBetween(cal, P, kz('2026-04-13 09:00'), kz('2026-04-13 18:00'))).toBe(480);
    expect(workingMinutesBetween(cal, P, kz('2026-04-13 18:00'), kz('2026-04-13 09:00'))).toBe(-480);
    expect(workingMinutesBetween(cal, P, kz('2026-04-17 17:00'), kz('2026-04-20 10:00'))).toBe(120);
    expect(workingMinutesBetween(cal, P, kz('2026-04-13 13:10'), kz('2026-04-13 13:50'))).toBe(0);
    expect(workingMinutesBetween(cal, P, kz('2026-04-13 10:00'), kz('2026-04-13 10:00'))).toBe(0);
  });
});

describe('days worked out once (kept per calendar and office hours)', () => {
  it('follows a year whose data is replaced in the same calendar, and other hours', () => {
    const years = { ...cal.years };
    const edited: WorkCalendar = { years };
    const from = kz('2026-04-13 10:00');
    // The days are kept from this first answer on.
    expect(show(addWorkingDays(edited, P, from, 1))).toBe('2026-04-14 18:00');
    expect(workingMinutesBetween(edited, P, kz('2026-04-14 09:00'), kz('2026-04-15 09:00'))).toBe(480);
    const y2026 = years[2026];
    if (!y2026) throw new Error('no 2026 data');
    // An order makes Tue 14 April a day off: a new object for the year, as calendar data always is.
    years[2026] = {
      ...y2026,
      transfers: [...y2026.transfers, { daysOff: ['2026-04-14'], workingDays: [], source: 'test order' }],
    };
    expect(show(addWorkingDays(edited, P, from, 1))).toBe('2026-04-15 18:00');
    expect(workingMinutesBetween(edited, P, kz('2026-04-14 09:00'), kz('2026-04-15 09:00'))).toBe(0);
    // The first calendar and other hours on the same days are not confused with it.
    expect(show(addWorkingDays(cal, P, from, 1))).toBe('2026-04-14 18:00');
    expect(show(addWorkingDays(cal, PROVIDER_HOURS_LONG, from, 1))).toBe('2026-04-14 18:30');
    expect(show(addWorkingDays(cal, CON_HOURS, kz('2026-04-17 10:00'), 1))).toBe('2026-04-18 20:00');
  });
});

describe('calendar-day and month terms', () => {
  it('end at local 23:59', () => {
    expect(show(addCalendarDays(kz('2026-03-19 10:00'), 10))).toBe('2026-03-29 23:59');
    expect(show(addCalendarDays(kz('2026-03-19 10:00'), 0))).toBe('2026-03-19 23:59');
    expect(show(addMonths(kz('2025-01-31 10:00'), 1))).toBe('2025-02-28 23:59');
    expect(show(addMonths(kz('2026-08-31 10:00'), 6))).toBe('2027-02-28 23:59');
    expect(show(addMonths(kz('2027-12-15 10:00'), 2))).toBe('2028-02-15 23:59');
  });
});

describe('dueAt', () => {
  const from = kz('2026-03-19 10:00');
  it('dispatches on the unit', () => {
    expect(show(dueAt(cal, P, from, { value: 90, unit: 'minutes' }))).toBe('2026-03-19 11:30');
    expect(show(dueAt(cal, P, from, { value: 8, unit: 'hours' }))).toBe('2026-03-20 10:00');
    expect(show(dueAt(cal, P, from, { value: 5, unit: 'working_days' }))).toBe('2026-03-31 18:00');
    expect(show(dueAt(cal, P, from, { value: 5, unit: 'days_unspecified' }))).toBe('2026-03-31 18:00');
    expect(show(dueAt(cal, P, from, { value: 1, unit: 'same_working_day' }))).toBe('2026-03-19 18:00');
    expect(show(dueAt(cal, P, from, { value: 10, unit: 'calendar_days' }))).toBe('2026-03-29 23:59');
    expect(show(dueAt(cal, P, from, { value: 1, unit: 'months' }))).toBe('2026-04-19 23:59');
  });
});

// ---- properties ----

const T0 = kz('2024-03-01 00:00');
const T1 = kz('2027-11-30 23:59');
const instant = fc.integer({ min: T0, max: T1 });
const officeHours = fc.constantFrom<OfficeHours>(PROVIDER_HOURS, PROVIDER_HOURS_LONG, CON_HOURS);
// Bounded so that results stay inside 2027 from any start before December 2027.
const mins = fc.integer({ min: 0, max: 4500 });
const days = fc.integer({ min: 0, max: 10 });
const runs = { numRuns: 200 };

describe('working-time properties', () => {
  it('addWorkingMinutes is monotonic in minutes and in the start', () => {
    fc.assert(
      fc.property(officeHours, instant, instant, mins, mins, (h, x, y, a, b) => {
        expect(addWorkingMinutes(cal, h, x, Math.min(a, b))).toBeLessThanOrEqual(
          addWorkingMinutes(cal, h, x, Math.max(a, b)),
        );
        expect(addWorkingMinutes(cal, h, Math.min(x, y), a)).toBeLessThanOrEqual(
          addWorkingMinutes(cal, h, Math.max(x, y), a),
        );
      }),
      runs,
    );
  });

  it('is additive in minutes when the second step is positive', () => {
    // With b = 0 it fails by design: add(x, a) may stop at a closing time, and add(·, 0) then moves to the next opening.
    fc.assert(
      fc.property(officeHours, instant, mins, mins, (h, x, a, b) => {
        fc.pre(b > 0);
        expect(addWorkingMinutes(cal, h, addWorkingMinutes(cal, h, x, a), b)).toBe(addWorkingMinutes(cal, h, x, a + b));
      }),
      runs,
    );
    expect(addWorkingMinutes(cal, P, addWorkingMinutes(cal, P, kz('2026-04-13 09:00'), 480), 0)).toBe(
      kz('2026-04-14 09:00'),
    );
  });

  it('never ends outside office hours or strictly inside lunch', () => {
    fc.assert(
      fc.property(officeHours, instant, mins, (h, x, m) => {
        fc.pre(m > 0);
        const r = addWorkingMinutes(cal, h, x, m);
        const { date } = toLocal(r);
        expect(isWorkingDay(cal, h, date)).toBe(true);
        expect(r).toBeGreaterThan(fromLocal(date, parseHHMM(h.open)));
        expect(r).toBeLessThanOrEqual(fromLocal(date, parseHHMM(h.close)));
        if (h.lunch) {
          const inLunch = r > fromLocal(date, parseHHMM(h.lunch.from)) && r < fromLocal(date, parseHHMM(h.lunch.to));
          expect(inLunch).toBe(false);
        }
      }),
      runs,
    );
  });

  it('workingMinutesBetween inverts addWorkingMinutes (from any start, open or not)', () => {
    fc.assert(
      fc.property(officeHours, instant, mins, (h, x, m) => {
        expect(workingMinutesBetween(cal, h, x, addWorkingMinutes(cal, h, x, m))).toBe(m);
      }),
      runs,
    );
  });

  it('workingMinutesBetween is additive over consecutive spans', () => {
    fc.assert(
      fc.property(officeHours, instant, mins, mins, (h, x, a, b) => {
        const y = x + a * 60_000;
        const z = y + b * 60_000;
        // Sub-minute starts make the minutes fractional: compare up to float rounding.
        expect(workingMinutesBetween(cal, h, x, y) + workingMinutesBetween(cal, h, y, z)).toBeCloseTo(
          workingMinutesBetween(cal, h, x, z),
          6,
        );
      }),
      runs,
    );
  });

  it('nextOpening is idempotent and not before the start', () => {
    fc.assert(
      fc.property(officeHours, instant, (h, x) => {
        const o = nextOpening(cal, h, x);
        expect(o).toBeGreaterThanOrEqual(x);
        expect(nextOpening(cal, h, o)).toBe(o);
      }),
      runs,
    );
  });

  it('addWorkingDays composes: always for a ≥ 1, and for a = 0 when the start is open time', () => {
    // For a = 0 from a closed start (e.g. Saturday) the first step already consumes the next
    // working day, so add(add(x, 0), b) = add(x, b + 1) there.
    fc.assert(
      fc.property(officeHours, instant, days, days, (h, t, a, b) => {
        const x = a === 0 ? nextOpening(cal, h, t) : t;
        expect(addWorkingDays(cal, h, addWorkingDays(cal, h, x, a), b)).toBe(addWorkingDays(cal, h, x, a + b));
      }),
      runs,
    );
  });

  it('addWorkingDays lands at the closing time of a working day, later for more days', () => {
    fc.assert(
      fc.property(officeHours, instant, days, (h, x, n) => {
        const r = addWorkingDays(cal, h, x, n);
        const { date, minutes } = toLocal(r);
        expect(isWorkingDay(cal, h, date)).toBe(true);
        expect(minutes).toBe(parseHHMM(h.close));
        expect(r).toBeGreaterThanOrEqual(x);
        // Strictly later from N = 1 on; after closing time N = 0 and N = 1 are the same next working day.
        const next = addWorkingDays(cal, h, x, n + 1);
        if (n >= 1) expect(next).toBeGreaterThan(r);
        else expect(next).toBeGreaterThanOrEqual(r);
      }),
      runs,
    );
  });
});
