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
import type { DownloadProgress } from '../../data';

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
            {/* A first download counts applications, exactly; the live replication's catch-up only documents, roughly. */}
            {download.apps
              ? t('sync:downloadAppsShort', { haveText: num(download.apps.have), totalText: num(download.apps.total) })
              : t('sync:download', { haveText: num(download.have), totalText: num(download.total) })}
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
      {snap?.download?.apps ? (
        <FirstDownloadDetails name={name} download={{ ...snap.download, apps: snap.download.apps }} />
      ) : (
        snap?.download && (
          <p data-testid={`sync-target-${name}-download`}>
            {t('sync:downloadLong', {
              have: snap.download.have,
              haveText: formatNumber(snap.download.have, language),
              totalText: formatNumber(snap.download.total, language),
            })}
          </p>
        )
      )}
      {snap && snap.refused.length > 0 && (
        <p className="field-error" data-testid="sync-refused">
          {t('sync:refused', { count: snap.refused.length })}
        </p>
      )}
    </section>
  );
}

/**
 * A desk's own first download, as a clerk needs it: first whether the inbox is ready (the open
 * applications come first), then the history's applications and the time left, then the documents.
 */
function FirstDownloadDetails({
  name,
  download,
}: {
  name: SyncTargetName;
  download: DownloadProgress & { apps: { have: number; total: number } };
}): JSX.Element {
  const { t, i18n } = useTranslation();
  const num = (n: number): string => formatNumber(n, i18n.language === 'ru' ? 'ru' : 'kk');
  const apps = { haveText: num(download.apps.have), totalText: num(download.apps.total) };
  return (
    <>
      <p className={download.openDone ? 'sync-ready' : undefined} data-testid={`sync-target-${name}-download-open`}>
        {t(download.openDone ? 'sync:downloadOpenDone' : 'sync:downloadOpenComing')}
      </p>
      <p data-testid={`sync-target-${name}-download-apps`}>
        {/* No estimate before the first batch has landed: no time is said rather than a made-up one. */}
        {download.etaMs === null || download.etaMs === undefined
          ? t('sync:downloadAppsNoEta', apps)
          : t('sync:downloadApps', { ...apps, minutes: Math.max(1, Math.ceil(download.etaMs / 60_000)) })}
      </p>
      <p data-testid={`sync-target-${name}-download`}>
        {t('sync:downloadDocs', { haveText: num(download.have), totalText: num(download.total) })}
      </p>
    </>
  );
}
