import { describe, expect, it } from 'vitest';
import { formatLongDate, formatMoneyKzt, formatNumber, formatPrintedDate, formatPrintedDateTime } from './format';

// 9 March 2026, 15:05 in Kazakhstan (UTC+5) = 10:05 UTC.
const t = Date.UTC(2026, 2, 9, 10, 5);

describe('formatting', () => {
  it('prints dates as dd.MM.yyyy in Kazakhstan time, in both languages', () => {
    expect(formatPrintedDate(t)).toBe('09.03.2026');
    expect(formatPrintedDateTime(t)).toBe('09.03.2026 15:05');
    // 20:30 UTC on 31 Dec is already 1 January in Kazakhstan.
    expect(formatPrintedDate(Date.UTC(2025, 11, 31, 20, 30))).toBe('01.01.2026');
  });

  it('shows long dates in the UI language', () => {
    expect(formatLongDate(t, 'ru')).toBe('9 марта 2026 г.');
    expect(formatLongDate(t, 'kk')).toMatch(/2026.*9 наурыз/);
  });

  it('groups numbers with a no-break space and uses a decimal comma', () => {
    expect(formatNumber(1234567.891, 'kk')).toBe('1\u00a0234\u00a0567,891');
    expect(formatNumber(1234567.891, 'ru')).toBe('1\u00a0234\u00a0567,891');
    expect(formatMoneyKzt(1234567.5, 'ru')).toBe('1\u00a0234\u00a0567,50\u00a0₸');
  });
});
