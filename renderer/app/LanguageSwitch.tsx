import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { UI_LANGUAGES } from '@shared/ipc/contract';
import { usePreferences } from '../state/preferences';

/** Қаз / Рус toggle; each language is named in itself so anyone can find their own. */
export function LanguageSwitch(): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const setLanguage = usePreferences((s) => s.setLanguage);
  return (
    <div className="lang-switch" role="group" aria-label={t('common:language')}>
      {UI_LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          aria-pressed={language === lang}
          data-testid={`lang-${lang}`}
          onClick={() => setLanguage(lang)}
        >
          {t(`common:languageShort.${lang}`)}
        </button>
      ))}
    </div>
  );
}
