import { describe, expect, it } from 'vitest';
import { formatNumber } from './format';

/** In Chromium, whose ICU has no Kazakh number data (`kk-KZ` there formats as "12,345.6"). */
describe('numbers in Chromium', () => {
  it('group with a no-break space and use a decimal comma in Kazakh as in Russian', () => {
    expect(formatNumber(1234567.891, 'kk')).toBe('1\u00a0234\u00a0567,891');
    expect(formatNumber(1234567.891, 'ru')).toBe('1\u00a0234\u00a0567,891');
    expect(formatNumber(90.46, 'kk', { maximumFractionDigits: 1 })).toBe('90,5');
  });
});
