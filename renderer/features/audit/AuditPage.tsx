import { useState, type FormEvent, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fromLocal, toLocalDate } from '@shared/calendar';
import type { EventDoc } from '@shared/events';
import { DateInput } from '../../components/DateInput';
import { DeskGate } from '../../components/DeskGate';
import { PageHeader } from '../../components/PageHeader';
import { applicationById, useDeviceDesks, userActions, type Desk, type ScanProgress } from '../../data';
import { formatPrintedDate, formatPrintedDateTime } from '../../i18n/format';
import type { DeskUser } from '../../state/session';
import { useAudit } from './auditStore';
import { ChainBadge, eventAuditStatus } from './badges';
import { IntegrityCheck } from './IntegrityCheck';
import './audit.css';

export function AuditPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <div className="audit-page">
      <PageHeader title={t('audit:title')} />
      <DeskGate>
        {(desk, user) => (
          <>
            <section className="card" data-testid="audit-integrity">
              <h2>{t('audit:check.title')}</h2>
              <p className="muted">{t('audit:check.explain')}</p>
              <IntegrityCheck desk={desk} />
            </section>
            <UserActions desk={desk} user={user} />
          </>
        )}
      </DeskGate>
    </div>
  );
}

const DAY_MINUTES = 24 * 60;

interface Loaded {
  login: string;
  from: string;
  to: string;
  events: EventDoc[];
  regNumbers: Record<string, string | null>;
}

/** A staff member's recorded actions over a date range (Kazakhstan dates), from the office database. */
function UserActions({ desk, user }: { desk: Desk; user: DeskUser }): JSX.Element {
  const { t } = useTranslation();
  const [today] = useState(() => toLocalDate(Date.now()));
  const [login, setLogin] = useState(user.login);
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const result = useAudit((s) => s.results[desk.office.name]);
  const deskOf = useDeviceDesks(desk);
  const dates = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const problem = !login.trim() ? 'audit:user.loginRequired' : !dates || from > to ? 'audit:user.badRange' : null;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (problem) return setFailure(problem);
    setBusy(true);
    setFailure(null);
    setProgress(null);
    try {
      const who = login.trim();
      const events = await userActions(desk, who, fromLocal(from, 0), fromLocal(to, DAY_MINUTES), setProgress);
      const regNumbers: Record<string, string | null> = {};
      for (const ev of events)
        if (!(ev.appId in regNumbers))
          regNumbers[ev.appId] = (await applicationById(desk, ev.appId))?.regNumber ?? null;
      setLoaded({ login: who, from, to, events, regNumbers });
    } catch {
      setFailure('audit:user.failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" data-testid="user-actions">
      <h2>{t('audit:user.title')}</h2>
      <form className="user-actions-controls" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span>{t('audit:user.login')}</span>
          <input value={login} onChange={(e) => setLogin(e.target.value)} data-testid="user-login" autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('audit:user.from')}</span>
          <DateInput value={from} onChange={setFrom} testId="user-from" />
        </label>
        <label className="field">
          <span>{t('audit:user.to')}</span>
          <DateInput value={to} onChange={setTo} testId="user-to" />
        </label>
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="user-show">
            {t('audit:user.show')}
          </button>
        </div>
      </form>
      {busy && progress && (
        <p role="status">
          <progress max={progress.total || 1} value={progress.done} />{' '}
          {t('audit:check.progress', { done: progress.done, total: progress.total })}
        </p>
      )}
      {failure && (
        <p className="field-error" role="alert">
          {t(failure)}
        </p>
      )}
      {loaded && !busy && (
        <>
          <p className="muted" data-testid="user-count">
            {t('audit:user.count', {
              count: loaded.events.length,
              login: loaded.login,
              from: formatPrintedDate(fromLocal(loaded.from, 0)),
              to: formatPrintedDate(fromLocal(loaded.to, 0)),
            })}
          </p>
          {loaded.events.length > 0 && (
            <table className="audit-table" data-testid="user-table">
              <thead>
                <tr>
                  <th>{t('audit:col.when')}</th>
                  <th>{t('audit:col.action')}</th>
                  <th>{t('audit:col.application')}</th>
                  <th>{t('audit:col.role')}</th>
                  <th>{t('audit:col.device')}</th>
                  <th>{t('audit:col.chain')}</th>
                </tr>
              </thead>
              <tbody>
                {loaded.events.map((ev) => (
                  <tr key={ev._id} data-testid="user-row">
                    <td className="nowrap">{formatPrintedDateTime(Date.parse(ev.at))}</td>
                    <td>{t(`audit:kinds.${ev.kind}`)}</td>
                    <td>
                      <Link to={`/applications/${ev.appId}`} className="mono">
                        {loaded.regNumbers[ev.appId] ?? ev.appId}
                      </Link>
                    </td>
                    <td>{t(`settings:roles.${ev.actor.role}`)}</td>
                    <td className="mono" title={ev.device}>
                      {deskOf(ev.device)}
                    </td>
                    <td>
                      {ev.chain && <span className="mono">#{ev.chain.seq} </span>}
                      <ChainBadge status={eventAuditStatus(ev, result?.report ?? null)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
