import { describe, expect, it } from 'vitest';
import { bundledCatalogue } from '@shared/catalogue';
import { createI18n } from '../../i18n';
import { normText } from './norm';

describe('step norms in the UI language', () => {
  it('are written from the number and unit in Russian and in Kazakh, whatever language the act was read in', async () => {
    const ru = (await createI18n('ru', false)).t;
    const kk = (await createI18n('kk', false)).t;
    // fl-permit-wko's norms were read from the Kazakh act: «20 (жиырма) минут ішінде».
    const steps = bundledCatalogue().get('fl-permit-wko')?.variants[0]?.steps ?? [];
    const norms = steps.flatMap((s) => (s.norm ? [s.norm] : []));
    expect(norms.length).toBeGreaterThan(3);
    expect(norms[0]?.text).toContain('жиырма');
    expect(norms.map((n) => normText(n, ru))).toEqual([
      '20 мин',
      '1 ч',
      '5 рабочих дней',
      '15 рабочих дней',
      '3 рабочих дня',
      '20 рабочих дней',
      '3 рабочих дня',
    ]);
    expect(normText({ value: 1, unit: 'working_days' }, ru)).toBe('1 рабочий день');
    expect(normText({ value: 0, unit: 'same_working_day' }, ru)).toBe('в тот же рабочий день');
    expect(normText({ value: 7, unit: 'working_days', from: 'registration' }, ru)).toBe(
      '7 рабочих дней со дня регистрации',
    );
    expect(normText({ value: 5, unit: 'working_days' }, kk)).toBe('5 жұмыс күні');
    expect(normText({ value: 1, unit: 'months' }, kk)).toBe('1 ай');
    // Nothing Kazakh in the Russian texts, nothing Russian-only in the Kazakh ones.
    for (const n of norms) expect(normText(n, ru)).not.toMatch(/[әіңғүұқөһ]/);
  });
});
