import { describe, expect, it } from 'vitest';
import { displayDate, parseDisplayDate } from './DateInput';

describe('dates typed as dd.MM.yyyy', () => {
  it('reads a whole, real date and gives it as ISO', () => {
    expect(parseDisplayDate('25.11.2026')).toBe('2026-11-25');
    expect(parseDisplayDate(' 01.03.2024 ')).toBe('2024-03-01');
    expect(parseDisplayDate('29.02.2024')).toBe('2024-02-29');
  });

  it('refuses what is not one: partial, impossible, or another order', () => {
    for (const text of ['25.11.202', '25.11', '', '31.02.2026', '29.02.2025', '00.01.2026', '2026-11-25', '11/25/2026'])
      expect(parseDisplayDate(text), text).toBeNull();
  });

  it('shows an ISO date the same way, and nothing for anything else', () => {
    expect(displayDate('2026-11-25')).toBe('25.11.2026');
    expect(displayDate('')).toBe('');
    expect(displayDate('25.11.2026')).toBe('');
  });
});
