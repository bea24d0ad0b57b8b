import { describe, expect, it } from 'vitest';
import { CALENDAR_DATA, statutoryHolidays } from './data';
import { missingCalendarYear, parseYearData } from './schema';
import { DEFAULT_CALENDAR, nonWorkingDays } from './index';

describe('a calendar year as published data', () => {
  it('every shipped year passes the schema', () => {
    for (const y of Object.values(CALENDAR_DATA)) expect(parseYearData(y).success, String(y.year)).toBe(true);
  });

  it('refuses a transfer without the decree, a working day that is no weekend day, a date of another year', () => {
    const year = { year: 2028, holidays: statutoryHolidays(2028), transfers: [] };
    expect(parseYearData(year).success).toBe(true);
    const issues = (y: unknown): unknown[] => {
      const r = parseYearData(y);
      return r.success
        ? []
        : r.error.issues.map((i) => ({
            path: i.path,
            code: (i as { params?: { code?: string } }).params?.code ?? i.code,
          }));
    };
    expect(
      issues({ ...year, transfers: [{ daysOff: ['2028-01-03'], workingDays: ['2028-01-08'], source: '' }] }),
    ).toEqual([{ path: ['transfers', 0, 'source'], code: 'too_small' }]);
    // Thu 6 January 2028 is a weekday: it cannot be "made a working day".
    expect(issues({ ...year, transfers: [{ daysOff: [], workingDays: ['2028-01-06'], source: 'x' }] })).toEqual([
      { path: ['transfers', 0, 'workingDays', 0], code: 'notWeekend' },
    ]);
    expect(issues({ ...year, holidays: [{ ...statutoryHolidays(2028)[0], date: '2027-12-31' }] })).toEqual([
      { path: ['holidays', 0, 'date'], code: 'notInYear' },
    ]);
    expect(issues({ ...year, holidays: [{ ...statutoryHolidays(2028)[0], date: '2028-02-30' }] })).toEqual([
      { path: ['holidays', 0, 'date'], code: 'date' },
    ]);
  });

  it('the statutory holidays of 2028 with the weekend rule: 1–2 Jan are Sat–Sun, so 3 and 4 Jan are off', () => {
    const off = nonWorkingDays({ year: 2028, holidays: statutoryHolidays(2028), transfers: [] });
    expect(off.slice(0, 5)).toEqual(['2028-01-01', '2028-01-02', '2028-01-03', '2028-01-04', '2028-01-07']);
    expect(off).toContain('2028-03-15');
    expect(off).not.toContain('2028-08-30');
  });
});

describe('catalogue administrators are warned before a year begins without a calendar', () => {
  const years = DEFAULT_CALENDAR.years; // 2024–2027

  it('from 90 days before 1 January 2028, with the days left', () => {
    expect(missingCalendarYear(years, '2027-10-02')).toBeNull();
    expect(missingCalendarYear(years, '2027-10-03')).toEqual({ year: 2028, daysLeft: 90 });
    expect(missingCalendarYear(years, '2027-12-31')).toEqual({ year: 2028, daysLeft: 1 });
    expect(missingCalendarYear(years, '2028-02-01')).toEqual({ year: 2028, daysLeft: 0 });
    expect(missingCalendarYear({ ...years, 2028: {} }, '2027-12-31')).toBeNull();
  });
});
