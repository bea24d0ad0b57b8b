import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubHealth } from '@shared/hub/health';
import { formatNumber, formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/**
 * The running hub's health, as its status endpoint reports it (GET /_kense/status, the same JSON
 * the office's IT person reads): where it serves, the desks it saw in the last hour, whether central
 * is reached, events waiting for central and since when, its disk, its last error.
 */
export function HubHealthPanel({ health }: { health: HubHealth }): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  // Whole numbers: megabytes below 10 GB, gigabytes above.
  const size = (bytes: number): string =>
    bytes >= 10 * GB
      ? t('settings:hub.health.gigabytes', { value: formatNumber(Math.round(bytes / GB), language) })
      : t('settings:hub.health.megabytes', { value: formatNumber(Math.ceil(bytes / MB), language) });
  const { serving, central, waiting, disk, lastError } = health;
  const addresses = serving.addresses.length > 0 ? serving.addresses : [serving.host];
  const rows: { id: string; label: string; value: string; bad?: boolean }[] = [
    {
      id: 'serving',
      label: t('settings:hub.health.serving'),
      value: addresses.map((a) => `${a}:${serving.port}`).join(', '),
    },
    {
      id: 'desks',
      label: t('settings:hub.health.desks'),
      value: t('settings:hub.health.desksCount', { count: health.desksLastHour }),
    },
    {
      id: 'central',
      label: t('settings:hub.health.central'),
      value:
        central.reached === null
          ? t('settings:hub.health.centralUnknown')
          : central.reached
            ? t('settings:hub.health.centralReached')
            : central.lastReachedAt
              ? t('settings:hub.health.centralLost', { at: formatPrintedDateTime(central.lastReachedAt) })
              : t('settings:hub.health.centralNever'),
      bad: central.reached === false,
    },
    {
      id: 'waiting',
      label: t('settings:hub.health.waiting'),
      value:
        waiting.events === 0
          ? t('settings:hub.health.waitingNone')
          : t('settings:hub.health.waitingSince', {
              count: waiting.events,
              since: waiting.since ? formatPrintedDateTime(waiting.since) : '—',
            }),
      bad: waiting.events > 0,
    },
    {
      id: 'disk',
      label: t('settings:hub.health.disk'),
      value:
        disk.freeBytes === null
          ? t('settings:hub.health.diskUsed', { used: size(disk.usedBytes) })
          : t('settings:hub.health.diskUsedFree', { used: size(disk.usedBytes), free: size(disk.freeBytes) }),
      bad: lastError?.code === 'diskFull',
    },
    {
      id: 'error',
      label: t('settings:hub.health.lastError'),
      value: lastError
        ? t('settings:hub.health.errorAt', {
            error: t(`settings:hub.health.error.${lastError.code}`),
            at: formatPrintedDateTime(lastError.at),
          })
        : t('settings:hub.health.noError'),
      bad: lastError !== null,
    },
  ];
  return (
    <div className="wide" data-testid="hub-health">
      <h3>{t('settings:hub.health.title')}</h3>
      <dl className="hub-health">
        {rows.map((r) => (
          <div key={r.id} className={r.bad ? 'bad' : undefined} data-testid={`hub-health-${r.id}`}>
            <dt>{r.label}</dt>
            <dd>{r.value}</dd>
          </div>
        ))}
      </dl>
      <p className="note">
        {t('settings:hub.health.endpoint', {
          url: `http://${addresses[0] ?? serving.host}:${serving.port}/_kense/status`,
        })}
      </p>
    </div>
  );
}
