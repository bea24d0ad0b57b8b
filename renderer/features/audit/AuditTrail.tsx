import { storedEventsOf, useDeviceDesks, useLiveQuery, type Desk, type StoredEvent } from '../../data';
import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { compareEvents } from '@shared/events';
import { formatPrintedDateTime } from '../../i18n/format';
import { useAudit } from './auditStore';
import { ChainBadge, eventAuditStatus, EVENT_KINDS_SHOWN } from './badges';
import { IntegrityCheck } from './IntegrityCheck';
import './audit.css';

/**
 * The application's audit trail on its card: every stored event with who recorded it, in which
 * role, on which device and when, its place in the device's chain, and what the last integrity
 * check said about it. Raw documents are shown, so that an event the fold ignores is listed too.
 */
export function AuditTrail({
  desk,
  appId,
  eventCount,
}: {
  desk: Desk;
  appId: string;
  eventCount: number;
}): JSX.Element {
  const { t } = useTranslation();
  const events = useLiveQuery(() => storedEventsOf(desk, appId), [desk, appId, eventCount]);
  const result = useAudit((s) => s.results[desk.office.name]);
  const deskOf = useDeviceDesks(desk);
  const sorted = [...(events ?? [])].sort(compareEvents);
  return (
    <section className="card audit-trail" data-testid="audit-trail">
      <h2>{t('audit:trail.title')}</h2>
      <table className="audit-table">
        <thead>
          <tr>
            <th>{t('audit:col.when')}</th>
            <th>{t('audit:col.action')}</th>
            <th>{t('audit:col.who')}</th>
            <th>{t('audit:col.device')}</th>
            <th>{t('audit:col.chain')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((e) => (
            <TrailRow
              key={e._id}
              event={e}
              deskCode={deskOf(e.device)}
              status={eventAuditStatus(e, result?.report ?? null)}
            />
          ))}
        </tbody>
      </table>
      <IntegrityCheck desk={desk} compact />
    </section>
  );
}

function TrailRow({
  event: e,
  deskCode,
  status,
}: {
  /** The desk the event was recorded at (D01), or the device id when this desk cannot tell. */
  deskCode: string;
  event: StoredEvent;
  status: ReturnType<typeof eventAuditStatus>;
}): JSX.Element {
  const { t } = useTranslation();
  const actor = (e['actor'] ?? {}) as { login?: unknown; role?: unknown; name?: unknown };
  const login = typeof actor.login === 'string' ? actor.login : '?';
  const at = Date.parse(String(e['at']));
  const chain = e['chain'] as { seq?: unknown } | undefined;
  const role = typeof actor.role === 'string' ? actor.role : '';
  return (
    <tr data-testid="audit-row" data-status={status}>
      <td className="nowrap">{Number.isFinite(at) ? formatPrintedDateTime(at) : '—'}</td>
      <td>{EVENT_KINDS_SHOWN.has(e.kind) ? t(`audit:kinds.${e.kind}`) : e.kind}</td>
      <td>
        {typeof actor.name === 'string' ? actor.name : login}{' '}
        <small className="muted">
          <span className="mono">{login}</span>
          {role && ` · ${t(`settings:roles.${role}`, { defaultValue: role })}`}
        </small>
      </td>
      <td className="mono" title={e.device} data-testid="audit-desk">
        {deskCode}
      </td>
      <td>
        {chain && typeof chain.seq === 'number' && <span className="mono">#{chain.seq} </span>}
        <ChainBadge status={status} />
      </td>
    </tr>
  );
}
