import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatPrintedDateTime } from '../../i18n/format';
import {
  configuredTargets,
  pendingSummary,
  syncStatusOf,
  targetStatusOf,
  useSyncStatus,
  type SyncTargetName,
} from '../../state/sync';

/**
 * Says plainly whether this desk's work has reached central and the office hub: per server, whether
 * it is reached, when it last synced, how many of this desk's events it does not have yet (counted
 * against that server, never assumed) and what went wrong; a first download's progress; "sync now".
 */
export function SyncIndicator(): JSX.Element {
  const { t, i18n } = useTranslation();
  // Numbers are formatted here, not by the message's `#`: see formatNumber.
  const num = (n: number): string => formatNumber(n, i18n.language === 'ru' ? 'ru' : 'kk');
  const state = useSyncStatus();
  const status = syncStatusOf(state);
  const [open, setOpen] = useState(false);
  const pending = pendingSummary(state);
  const targets = configuredTargets(state.targets);
  const download = targets.map((x) => state.snapshots[x.name]?.download).find((d) => d) ?? null;
  // While events are moving: how many are left and how fast, rather than a bare spinner.
  const progress = targets.map((x) => state.snapshots[x.name]?.progress).find((p) => p) ?? null;
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
        {download && (
          <span className="sync-download" data-testid="sync-download">
            {t('sync:download', { haveText: num(download.have), totalText: num(download.total) })}
          </span>
        )}
        {progress && !download && (
          <span className="sync-progress" data-testid="sync-progress">
            {progress.perMinute === null
              ? t('sync:progress.left', { left: progress.left, leftText: num(progress.left) })
              : t('sync:progress.rate', {
                  left: progress.left,
                  leftText: num(progress.left),
                  rateText: num(progress.perMinute),
                })}
          </span>
        )}
        {/* While events go up, the line above says how many are left; the badge would repeat it. */}
        {pending.central !== null && pending.central > 0 && progress?.direction !== 'up' && (
          <span
            className="sync-pending"
            data-testid="sync-pending"
            title={t('sync:pending.central', { count: pending.central })}
          >
            {num(pending.central)}
          </span>
        )}
      </button>
      {open && (
        <div className="sync-details card" data-testid="sync-details">
          {status === 'notConfigured' && <p>{t('sync:hint.notConfigured')}</p>}
          {status === 'needsPassword' && <p>{t('sync:hint.needsPassword')}</p>}
          {pending.safeOnHub && (
            <p data-testid="sync-safe-on-hub">{t('sync:safeOnHub', { count: pending.central ?? 0 })}</p>
          )}
          {targets.map(({ name }) => (
            <TargetDetails key={name} name={name} />
          ))}
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

function TargetDetails({ name }: { name: SyncTargetName }): JSX.Element {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'ru' ? 'ru' : 'kk';
  const state = useSyncStatus();
  const snap = state.snapshots[name];
  const status = targetStatusOf(state, name);
  const pending = snap?.pendingLocal;
  return (
    <section className={`sync-target sync-${status}`} data-testid={`sync-target-${name}`}>
      <h3>
        <span className="sync-dot" aria-hidden="true" />
        {t(`sync:target.${name}`)}:<span data-testid={`sync-target-${name}-status`}>{t(`sync:status.${status}`)}</span>
      </h3>
      {snap?.error && <p className="field-error">{t(`sync:error.${snap.error.replace('sync.', '')}`)}</p>}
      {pending !== null && pending !== undefined && (
        <p data-testid={`sync-target-${name}-pending`}>{t(`sync:pending.${name}`, { count: pending })}</p>
      )}
      <p>
        {snap?.lastSyncAt
          ? t('sync:lastSync', { time: formatPrintedDateTime(snap.lastSyncAt) })
          : t('sync:neverSynced')}
      </p>
      {snap?.download && (
        <p data-testid={`sync-target-${name}-download`}>
          {t('sync:downloadLong', {
            haveText: formatNumber(snap.download.have, language),
            totalText: formatNumber(snap.download.total, language),
          })}
        </p>
      )}
      {snap?.download?.apps && (
        <p data-testid={`sync-target-${name}-download-apps`}>
          {t('sync:downloadApps', {
            haveText: formatNumber(snap.download.apps.have, language),
            totalText: formatNumber(snap.download.apps.total, language),
            minutes: Math.max(1, Math.ceil((snap.download.etaMs ?? 0) / 60_000)),
          })}
          {snap.download.openDone && ` ${t('sync:downloadOpenDone')}`}
        </p>
      )}
      {snap && snap.refused.length > 0 && (
        <p className="field-error" data-testid="sync-refused">
          {t('sync:refused', { count: snap.refused.length })}
        </p>
      )}
    </section>
  );
}
