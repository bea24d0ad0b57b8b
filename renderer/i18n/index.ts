import i18next, { type i18n } from 'i18next';
import ICU from 'i18next-icu';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, type UiLanguage } from '@shared/ipc/contract';
import { loadResources, namespaces } from './resources';

/**
 * i18next with ICU MessageFormat: plural categories come from CLDR through Intl.PluralRules
 * (Kazakh one/other, Russian one/few/many/other) inside one message, so both languages keep
 * identical keys.
 */
export async function createI18n(language: UiLanguage = DEFAULT_LANGUAGE, withReact = true): Promise<i18n> {
  const resources = loadResources();
  const instance = i18next.createInstance();
  instance.use(ICU);
  if (withReact) instance.use(initReactI18next);
  await instance.init({
    resources,
    lng: language,
    fallbackLng: false,
    supportedLngs: ['kk', 'ru'],
    ns: namespaces(resources),
    defaultNS: 'common',
    nsSeparator: ':',
    keySeparator: '.',
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
  });
  return instance;
}

/** BCP 47 locale used for Intl formatting. */
export function intlLocale(language: UiLanguage): string {
  return language === 'kk' ? 'kk-KZ' : 'ru-KZ';
}
