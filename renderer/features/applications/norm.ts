import type { TFunction } from 'i18next';
import type { Norm } from '@shared/catalogue';

/**
 * A step's norm in the UI language, from its number and unit («20 мин», «5 жұмыс күні», «в тот же
 * рабочий день»). The regulation's own words (`norm.text`) are in whichever language the act was
 * read from, so they are not what the timeline shows.
 */
export function normText(norm: Norm, t: TFunction): string {
  const amount = t(`card:normUnits.${norm.unit}`, { count: norm.value });
  return norm.from === 'registration' ? t('card:normFromRegistration', { amount }) : amount;
}
