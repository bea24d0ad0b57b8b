import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DeviceReport, Finding } from '@shared/audit';
import { parseEventId } from '@shared/events';
import { useDeviceDesks, type Desk } from '../../data';
import { formatPrintedDateTime } from '../../i18n/format';
import { useAudit } from './auditStore';
import './audit.css';

/** The "Integrity check" action: runs the checker over the local replica, with progress, and says what it found. */
export function IntegrityCheck({ desk, compact = false }: { desk: Desk; compact?: boolean }): JSX.Element {
  const { t } = useTranslation();
  const db = desk.office.name;
  const deskOf = useDeviceDesks(desk);
  const running = useAudit((s) => s.running);
  const result = useAudit((s) => s.results[db]);
  const failure = useAudit((s) => (s.failure?.db === db ? s.failure : null));
  const run = useAudit((s) => s.run);
  const mine = running?.db === db;

  return (
    <div className="integrity" data-testid="integrity">
      <div className="integrity-run">
        <button type="button" onClick={() => void run(desk)} disabled={running !== null} data-testid="integrity-run">
          {t('audit:check.run')}
        </button>
        {mine && (
          <span role="status" className="integrity-progress" data-testid="integrity-progress">
            <progress max={running.progress?.total || 1} value={running.progress?.done ?? 0} />
            {running.progress
              ? t('audit:check.progress', { done: running.progress.done, total: running.progress.total })
              : t('audit:check.starting')}
          </span>
        )}
      </div>
      {failure && (
        <p className="field-error" role="alert">
          {t('audit:check.failed', { detail: failure.message })}
        </p>
      )}
      {result && !mine && (
        <div
          className={`integrity-result ${result.report.ok ? 'good' : 'bad-result'}`}
          role="status"
          data-testid="integrity-result"
          data-ok={result.report.ok}
        >
          <p className="integrity-verdict">
            <strong>
              {result.report.ok
                ? t('audit:check.ok')
                : t('audit:check.found', { count: result.report.findings.length })}
            </strong>{' '}
            <small className="muted">
              {t('audit:check.summary', {
                events: result.report.events,
                devices: result.report.devices.length,
                when: formatPrintedDateTime(result.at),
              })}
            </small>
          </p>
          {!compact && <DeviceTable result={result.report.devices} deskOf={deskOf} />}
          {result.report.findings.length > 0 && (
            <ul className="audit-findings" data-testid="findings">
              {result.report.findings.map((f, i) => (
                <FindingItem key={i} finding={f} deskOf={deskOf} />
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function DeviceTable({ result, deskOf }: { result: DeviceReport[]; deskOf: (device: string) => string }): JSX.Element {
  const { t } = useTranslation();
  return (
    <table className="audit-table" data-testid="devices">
      <thead>
        <tr>
          <th>{t('audit:device.device')}</th>
          <th>{t('audit:device.status')}</th>
          <th>{t('audit:device.chained')}</th>
          <th>{t('audit:device.beforeChain')}</th>
          <th>{t('audit:device.anchored')}</th>
        </tr>
      </thead>
      <tbody>
        {result.map((d) => (
          <tr key={d.device}>
            <td className="mono" title={d.device} data-testid="device-desk">
              {deskOf(d.device)}
            </td>
            <td>
              <span className={`chain-badge ${d.status}`}>{t(`audit:device.statuses.${d.status}`)}</span>
            </td>
            <td>{d.chained}</td>
            <td>{d.beforeChain}</td>
            <td>{d.anchored ? t('audit:device.yes') : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An event id as a link to its application's card. */
function EventLink({ id }: { id: string }): JSX.Element {
  const parsed = parseEventId(id);
  return parsed ? (
    <Link to={`/applications/${parsed.appId}`} className="mono">
      {id}
    </Link>
  ) : (
    <span className="mono">{id}</span>
  );
}

function FindingItem({ finding: f, deskOf }: { finding: Finding; deskOf: (device: string) => string }): JSX.Element {
  const { t } = useTranslation();
  const seq =
    f.seqFrom === null ? '' : f.seqTo !== null && f.seqTo !== f.seqFrom ? `${f.seqFrom}–${f.seqTo}` : String(f.seqFrom);
  return (
    <li data-testid="finding" data-kind={f.kind}>
      <span className={`chain-badge tampered`}>{t(`audit:finding.kind.${f.kind}`)}</span>{' '}
      {t(`audit:finding.reason.${f.reason}`, { device: deskOf(f.device), seq })}
      {f.eventIds.length > 0 && (
        <ul>
          {f.eventIds.map((id) => (
            <li key={id}>
              <EventLink id={id} />
            </li>
          ))}
        </ul>
      )}
      {f.around.length > 0 && (
        <p className="muted">
          {t('audit:finding.around')}{' '}
          {f.around.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              <EventLink id={id} />
            </span>
          ))}
        </p>
      )}
    </li>
  );
}
