import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DELIVERY_MODES } from '@shared/catalogue/schema';
import type { UiLanguage } from '@shared/ipc/contract';
import type { BilingualText } from './types';

export type PrintT = (key: string, values?: Record<string, unknown>) => string;
export type BilingualT = (key: string, values?: Record<string, unknown>) => BilingualText;

/**
 * The printed forms are bilingual whatever the UI language is, so their labels come from fixed
 * translators for each language rather than from the current one.
 */
export function usePrintT(language: UiLanguage): PrintT {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const fixed = i18n.getFixedT(language, 'print');
    return (key, values) => fixed(key, values ?? {});
  }, [i18n, language]);
}

/** Both languages' text for one key, for the parts printed once with "қазақша / по-русски" labels. */
export function useBilingualT(): BilingualT {
  const kk = usePrintT('kk');
  const ru = usePrintT('ru');
  return useMemo(() => (key, values) => ({ kk: kk(key, values), ru: ru(key, values) }), [kk, ru]);
}

/**
 * How the result goes to the applicant, from a delivery mode code as in the catalogue
 * (`mail`, `via_con`, …); a code this version does not know is printed as it is.
 */
export function deliveryModeText(mode: string, t: PrintT): string {
  return (DELIVERY_MODES as readonly string[]).includes(mode) ? t(`print:delivery.${mode}`) : mode;
}
