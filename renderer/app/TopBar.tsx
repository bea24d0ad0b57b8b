import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { useSession } from '../state/session';
import { LanguageSwitch } from './LanguageSwitch';

export function TopBar(): JSX.Element {
  const { t } = useTranslation();
  const { office, desk, user } = useSession();
  const notSet = t('common:notConfigured');
  return (
    <header className="topbar">
      <div className="brand" aria-label="Kense">
        <span className="brand-mark" aria-hidden="true">
          K
        </span>
        <span className="brand-name">Kense</span>
      </div>
      <dl className="topbar-facts">
        <div>
          <dt>{t('common:office')}</dt>
          <dd data-testid="topbar-office">{office ?? notSet}</dd>
        </div>
        <div>
          <dt>{t('common:desk')}</dt>
          <dd data-testid="topbar-desk">{desk ?? notSet}</dd>
        </div>
        <div>
          <dt>{t('common:user')}</dt>
          <dd data-testid="topbar-user">{user?.displayName ?? t('common:notSignedIn')}</dd>
        </div>
      </dl>
      <div className="topbar-end">
        <SyncIndicator />
        <LanguageSwitch />
      </div>
    </header>
  );
}
