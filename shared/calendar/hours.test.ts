import { describe, expect, it } from 'vitest';
import { CON_HOURS, PROVIDER_HOURS, PROVIDER_HOURS_LONG, officeHoursSchema, openPeriods, parseHHMM } from './hours';

describe('office hours', () => {
  it('validates the seed defaults', () => {
    for (const h of [PROVIDER_HOURS, PROVIDER_HOURS_LONG, CON_HOURS])
      expect(officeHoursSchema.safeParse(h).success).toBe(true);
  });

  it('rejects inconsistent hours', () => {
    const bad = [
      { ...PROVIDER_HOURS, open: '18:00', close: '09:00' },
      { ...PROVIDER_HOURS, close: '09:00' },
      { ...PROVIDER_HOURS, lunch: { from: '08:00', to: '09:30' } },
      { ...PROVIDER_HOURS, lunch: { from: '14:00', to: '13:00' } },
      { ...PROVIDER_HOURS, lunch: { from: '17:30', to: '18:30' } },
      { ...PROVIDER_HOURS, days: [1, 1, 2] },
      { ...PROVIDER_HOURS, days: [0, 1] },
      { ...PROVIDER_HOURS, days: [8] },
      { ...PROVIDER_HOURS, days: [] },
      { ...PROVIDER_HOURS, open: '9:00' },
      { ...PROVIDER_HOURS, close: '24:00' },
    ];
    for (const h of bad) expect(officeHoursSchema.safeParse(h).success).toBe(false);
  });

  it('splits the day into open periods around lunch', () => {
    expect(parseHHMM('18:30')).toBe(1110);
    expect(() => parseHHMM('25:00')).toThrow(RangeError);
    expect(openPeriods(PROVIDER_HOURS)).toEqual([
      [540, 780],
      [840, 1080],
    ]);
    expect(openPeriods(CON_HOURS)).toEqual([[540, 1200]]);
  });
});
