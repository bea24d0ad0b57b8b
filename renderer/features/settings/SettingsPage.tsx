import { useEffect, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { UI_LANGUAGES, type AppInfo } from '@shared/ipc/contract';
import { PageHeader } from '../../components/PageHeader';
import { getBridge } from '../../platform/bridge';
import { usePreferences } from '../../state/preferences';
import { PrintSettingsPanel } from '../../print/PrintSettingsPanel';
import { DeskSetup } from './DeskSetup';
import { FieldSettings } from './FieldSettings';
import { PurgeSettings } from './PurgeSettings';
import { HubSetup } from './HubSetup';
import { SyncSetup } from './SyncSetup';

export function SettingsPage(): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const setLanguage = usePreferences((s) => s.setLanguage);
  const [info, setInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    let live = true;
    void getBridge()
      .getAppInfo()
      .then((i) => {
        if (live) setInfo(i);
      });
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <PageHeader title={t('nav:settings')} />
      <DeskSetup />
      <SyncSetup />
      <FieldSettings />
      <PurgeSettings />
      <HubSetup />
      <PrintSettingsPanel />
      <section className="card">
        <h2>{t('settings:language.title')}</h2>
        <fieldset className="radio-group">
          <legend>{t('settings:language.legend')}</legend>
          {UI_LANGUAGES.map((lang) => (
            <label key={lang}>
              <input
                type="radio"
                name="language"
                value={lang}
                checked={language === lang}
                onChange={() => setLanguage(lang)}
              />
              <span lang={lang}>{t(`settings:language.name.${lang}`)}</span>
            </label>
          ))}
        </fieldset>
      </section>
      <section className="card">
        <h2>{t('settings:about.title')}</h2>
        {info && (
          <dl className="facts" data-testid="app-info">
            <dt>{t('settings:about.version')}</dt>
            <dd>{info.version}</dd>
            <dt>{t('settings:about.mode')}</dt>
            <dd>{t(`settings:about.platform.${info.platform}`)}</dd>
            <dt>{t('settings:about.os')}</dt>
            <dd>{info.os}</dd>
            {info.electronVersion && (
              <>
                <dt>Electron</dt>
                <dd>{info.electronVersion}</dd>
              </>
            )}
            {info.chromeVersion && (
              <>
                <dt>Chromium</dt>
                <dd>{info.chromeVersion}</dd>
              </>
            )}
          </dl>
        )}
      </section>
    </>
  );
}
