import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  UTC5_SINCE,
  addDays,
  dateOfDayNumber,
  dayNumber,
  fromLocal,
  isoWeekday,
  parseDate,
  toLocal,
  toLocalParts,
  utcOffsetMinutes,
} from './time';

const Z = (iso: string): number => Date.parse(iso);

describe('Kazakhstan local time', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('switches from UTC+6 to UTC+5 at 2024-03-01T00:00 local', () => {
    expect(UTC5_SINCE).toBe(Z('2024-02-29T18:00:00Z'));
    expect(utcOffsetMinutes(UTC5_SINCE - 1)).toBe(360);
    expect(utcOffsetMinutes(UTC5_SINCE)).toBe(300);
    // The last +6 minute is 23:59 on 29 Feb; then the clock shows 23:00 again.
    expect(toLocal(Z('2024-02-29T17:59:00Z'))).toEqual({ date: '2024-02-29', minutes: 23 * 60 + 59 });
    expect(toLocal(Z('2024-02-29T18:00:00Z'))).toEqual({ date: '2024-02-29', minutes: 23 * 60 });
    expect(toLocal(Z('2024-02-29T19:00:00Z'))).toEqual({ date: '2024-03-01', minutes: 0 });
  });

  it('converts local date and minutes back to instants on both sides of the switch', () => {
    expect(fromLocal('2024-02-29', 9 * 60)).toBe(Z('2024-02-29T03:00:00Z'));
    expect(fromLocal('2024-03-01', 9 * 60)).toBe(Z('2024-03-01T04:00:00Z'));
    expect(fromLocal('2026-03-19', 10 * 60)).toBe(Z('2026-03-19T05:00:00Z'));
    // The repeated hour resolves to its later (UTC+5) reading.
    expect(fromLocal('2024-02-29', 23 * 60 + 30)).toBe(Z('2024-02-29T18:30:00Z'));
    expect(fromLocal('2024-02-29', 22 * 60 + 59)).toBe(Z('2024-02-29T16:59:00Z'));
  });

  it('gives local parts with the ISO weekday', () => {
    expect(toLocalParts(Z('2026-03-21T04:30:00Z'))).toEqual({
      year: 2026,
      month: 3,
      day: 21,
      weekday: 6,
      minutes: 570,
    });
    expect(toLocalParts(Z('2025-12-31T19:00:00Z'))).toEqual({ year: 2026, month: 1, day: 1, weekday: 4, minutes: 0 });
  });

  it('does not depend on the machine time zone', () => {
    const at = Z('2026-03-19T05:00:00Z');
    process.env.TZ = 'America/New_York';
    const ny = [toLocal(at), fromLocal('2026-03-19', 600)];
    process.env.TZ = 'Asia/Almaty';
    expect([toLocal(at), fromLocal('2026-03-19', 600)]).toEqual(ny);
  });

  it('round-trips local date + minutes → instant → local date + minutes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: dayNumber('2023-01-01'), max: dayNumber('2028-12-31') }),
        fc.integer({ min: 0, max: 1439 }),
        (n, minutes) => {
          const date = dateOfDayNumber(n);
          expect(toLocal(fromLocal(date, minutes))).toEqual({ date, minutes });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('round-trips whole-minute instants outside the repeated hour', () => {
    const repeated = (t: number): boolean => t >= UTC5_SINCE - 3_600_000 && t < UTC5_SINCE;
    fc.assert(
      fc.property(
        fc.integer({ min: Z('2023-01-01T00:00:00Z') / 60_000, max: Z('2028-12-31T00:00:00Z') / 60_000 }),
        (m) => {
          const t = m * 60_000;
          fc.pre(!repeated(t));
          const { date, minutes } = toLocal(t);
          expect(fromLocal(date, minutes)).toBe(t);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('plain dates', () => {
  it('computes weekdays and adds days across months and years', () => {
    expect(isoWeekday('2026-03-21')).toBe(6);
    expect(isoWeekday('2026-03-22')).toBe(7);
    expect(isoWeekday('2026-03-23')).toBe(1);
    expect(isoWeekday('1969-12-31')).toBe(3);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => parseDate('2025-02-29')).toThrow(RangeError);
    expect(() => parseDate('2025-2-3')).toThrow(RangeError);
    expect(() => parseDate('2025-13-01')).toThrow(RangeError);
    expect(parseDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });
});
