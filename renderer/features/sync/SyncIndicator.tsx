import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPrintedDateTime } from '../../i18n/format';
import { syncStatusOf, useSyncStatus } from '../../state/sync';

/**
 * Says plainly whether this desk's work has reached the server: the state, how many local events
 * the server does not have yet (counted against the server, never assumed), when it last synced,
 * and what went wrong, with a "sync now" button.
 */
export function SyncIndicator(): JSX.Element {
  const { t } = useTranslation();
  const state = useSyncStatus();
  const status = syncStatusOf(state);
  const snap = state.snapshot;
  const [open, setOpen] = useState(false);
  const pending = snap?.pendingLocal;
  return (
    <div className="sync-wrap">
      <button
        type="button"
        className={`sync-indicator sync-${status}`}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="sync-indicator"
      >
        <span className="sync-dot" aria-hidden="true" />
        <span role="status">{t(`sync:status.${status}`)}</span>
        {pending !== null && pending !== undefined && pending > 0 && (
          <span className="sync-pending" data-testid="sync-pending">
            {pending}
          </span>
        )}
      </button>
      {open && (
        <div className="sync-details card" data-testid="sync-details">
          {snap?.error && <p className="field-error">{t(`sync:error.${snap.error.replace('sync.', '')}`)}</p>}
          {pending !== null && pending !== undefined && <p>{t('sync:pending', { count: pending })}</p>}
          {snap?.lastSyncAt && <p>{t('sync:lastSync', { time: formatPrintedDateTime(snap.lastSyncAt) })}</p>}
          {snap && snap.refused.length > 0 && (
            <p className="field-error" data-testid="sync-refused">
              {t('sync:refused', { count: snap.refused.length })}
            </p>
          )}
          {status === 'notConfigured' && <p>{t('sync:hint.notConfigured')}</p>}
          {status === 'needsPassword' && <p>{t('sync:hint.needsPassword')}</p>}
          {state.syncNow && (
            <button type="button" className="primary" onClick={() => void state.syncNow?.()} data-testid="sync-now">
              {t('sync:syncNow')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
