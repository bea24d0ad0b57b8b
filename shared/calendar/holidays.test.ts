import { describe, expect, it } from 'vitest';
import { CALENDAR_DATA, type YearData } from './data';
import { FIVE_DAY_WEEK, movedDaysOff, nonWorkingDays, workingWeekendDays } from './holidays';
import { isoWeekday, parseDate } from './time';

const year = (y: number): YearData => {
  const data = CALENDAR_DATA[y];
  if (!data) throw new Error(`no data for ${y}`);
  return data;
};

/**
 * Written by hand from domain-facts §2.5 (five-day week). The sets also hold the holiday dates
 * that fall on a weekend (marked), since those are non-working days too.
 */
const EXPECTED: Record<number, string[]> = {
  2024: [
    '2024-01-01',
    '2024-01-02',
    '2024-01-07', // Sun, Christmas: no transfer
    '2024-03-08',
    '2024-03-21',
    '2024-03-22',
    '2024-03-23', // Sat
    '2024-03-25', // ← 23 Mar
    '2024-05-01',
    '2024-05-07',
    '2024-05-08', // order of 17 Apr 2024 (Sat 4 May worked)
    '2024-05-09',
    '2024-06-16', // Sun, Kurban Ait: no transfer
    '2024-07-06', // Sat
    '2024-07-08', // ← 6 Jul
    '2024-08-30',
    '2024-10-25',
    '2024-12-16',
  ],
  2025: [
    '2025-01-01',
    '2025-01-02',
    '2025-01-03', // order (Sun 5 Jan worked)
    '2025-01-07',
    '2025-03-08', // Sat
    '2025-03-10', // ← 8 Mar
    '2025-03-21',
    '2025-03-22', // Sat
    '2025-03-23', // Sun
    '2025-03-24', // ← 22 Mar
    '2025-03-25', // ← 23 Mar
    '2025-05-01',
    '2025-05-07',
    '2025-05-09',
    '2025-06-06', // Kurban Ait
    '2025-07-06', // Sun
    '2025-07-07', // ← 6 Jul
    '2025-08-30', // Sat
    '2025-09-01', // ← 30 Aug
    '2025-10-25', // Sat
    '2025-10-27', // ← 25 Oct
    '2025-12-16',
  ],
  2026: [
    '2026-01-01',
    '2026-01-02',
    '2026-01-07',
    '2026-03-08', // Sun
    '2026-03-09', // ← 8 Mar
    '2026-03-21', // Sat
    '2026-03-22', // Sun
    '2026-03-23',
    '2026-03-24', // ← 21 Mar
    '2026-03-25', // ← 22 Mar
    '2026-05-01',
    '2026-05-07',
    '2026-05-09', // Sat
    '2026-05-11', // ← 9 May
    '2026-05-27', // Kurban Ait
    '2026-07-06',
    // 30 Aug (Sun) → 31 Aug was in the original calendar; per §2.6 it is no longer a holiday from 2026.
    '2026-10-25', // Sun
    '2026-10-26', // ← 25 Oct
    '2026-12-16',
  ],
  2027: [
    '2027-01-01',
    '2027-01-02', // Sat
    '2027-01-04', // ← 2 Jan
    '2027-01-07',
    '2027-03-08',
    '2027-03-15', // Constitution Day (new)
    '2027-03-21', // Sun
    '2027-03-22',
    '2027-03-23',
    '2027-03-24', // ← 21 Mar
    '2027-05-01', // Sat
    '2027-05-03', // ← 1 May
    '2027-05-07',
    '2027-05-09', // Sun
    '2027-05-10', // ← 9 May
    '2027-05-16', // Sun, Kurban Ait (estimated): no transfer
    '2027-07-06',
    '2027-10-25',
    '2027-12-16',
  ],
};

describe('derived non-working days (five-day week)', () => {
  for (const y of [2024, 2025, 2026, 2027]) {
    it(`matches the published list for ${y}`, () => {
      expect(nonWorkingDays(year(y))).toEqual(EXPECTED[y]);
    });
  }

  it('gives 246 working days in 2025, as the published calendar says', () => {
    const data = year(2025);
    const off = new Set(nonWorkingDays(data));
    const working = new Set(workingWeekendDays(data));
    let count = 0;
    for (let d = new Date(Date.UTC(2025, 0, 1)); d.getUTCFullYear() === 2025; d = new Date(d.getTime() + 86_400_000)) {
      const date = d.toISOString().slice(0, 10);
      if (working.has(date) || (FIVE_DAY_WEEK.includes(isoWeekday(date)) && !off.has(date))) count++;
    }
    expect(count).toBe(246);
  });

  it('moves weekend days of a holiday block past the whole block (Nauryz 2026)', () => {
    expect(movedDaysOff(year(2026)).filter((d) => d.startsWith('2026-03'))).toEqual([
      '2026-03-09',
      '2026-03-24',
      '2026-03-25',
    ]);
  });

  it('never moves 7 January or Kurban Ait', () => {
    // 2024: 7 Jan and 16 Jun are Sundays; 2027: Kurban Ait 16 May is a Sunday.
    expect(movedDaysOff(year(2024))).toEqual(['2024-03-25', '2024-07-08']);
    expect(movedDaysOff(year(2027))).not.toContain('2027-05-17');
  });

  it('moves only Sunday coincidences for a six-day week (Nauryz 2025: off 21–24, 25 working)', () => {
    const six = [1, 2, 3, 4, 5, 6];
    const march = nonWorkingDays(year(2025), six).filter((d) => d.startsWith('2025-03'));
    expect(march).toEqual(['2025-03-08', '2025-03-21', '2025-03-22', '2025-03-23', '2025-03-24']);
  });

  it('lists the working weekend days ordered by transfers', () => {
    expect(workingWeekendDays(year(2024))).toEqual(['2024-05-04']);
    expect(workingWeekendDays(year(2025))).toEqual(['2025-01-05']);
    expect(workingWeekendDays(year(2026))).toEqual([]);
  });
});

describe('calendar data', () => {
  const all = Object.values(CALENDAR_DATA);

  it('keeps every date inside its year and every transfer sourced', () => {
    for (const data of all) {
      for (const h of data.holidays) expect(parseDate(h.date).year).toBe(data.year);
      for (const t of data.transfers) {
        expect(t.source.length).toBeGreaterThan(0);
        for (const d of [...t.daysOff, ...t.workingDays]) expect(parseDate(d).year).toBe(data.year);
        for (const d of t.workingDays) expect(isoWeekday(d)).toBeGreaterThanOrEqual(6);
      }
      for (const d of nonWorkingDays(data)) expect(parseDate(d).year).toBe(data.year);
    }
  });

  it('marks only 7 January and Kurban Ait as not transferable', () => {
    for (const data of all) {
      for (const h of data.holidays) {
        expect(h.transferable).toBe(h.key !== 'orthodox_christmas' && h.key !== 'kurban_ait');
        expect(h.names.kk).not.toBe('');
        expect(h.names.ru).not.toBe('');
      }
    }
  });

  it('records the Constitution Day change and the provisional 2027 data', () => {
    const constitution = (y: number): string[] =>
      year(y)
        .holidays.filter((h) => h.key === 'constitution_day')
        .map((h) => h.date);
    expect(constitution(2025)).toEqual(['2025-08-30']);
    expect(constitution(2026)).toEqual([]);
    expect(constitution(2027)).toEqual(['2027-03-15']);
    expect(year(2026).note).toMatch(/31 Aug/);
    expect(year(2027).note).toMatch(/not yet official/);
    expect(year(2027).holidays.find((h) => h.key === 'kurban_ait')).toMatchObject({
      date: '2027-05-16',
      estimated: true,
    });
  });
});
