import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../../state/sync';

/** Says plainly whether this desk's work has reached the server. Driven by the data layer (to come). */
export function SyncIndicator(): JSX.Element {
  const { t } = useTranslation();
  const status = useSyncStatus((s) => s.status);
  return (
    <div className={`sync-indicator sync-${status}`} role="status" data-testid="sync-indicator">
      <span className="sync-dot" aria-hidden="true" />
      <span>{t(`sync:status.${status}`)}</span>
    </div>
  );
}
