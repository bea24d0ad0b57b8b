import { staffDirectory, useApplicationPersonal, useLiveQuery, type ApplicationRow, type Desk } from '../../data';
import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import type { PrintResult } from '@shared/ipc/contract';
import { Link } from 'react-router';
import { dueText } from '../../components/dueText';
import { ApplicantName } from '../../components/ApplicationTable';
import { DateInput } from '../../components/DateInput';
import { EmptyState } from '../../components/EmptyState';
import { formatPrintedDate } from '../../i18n/format';
import { useDeskPrinter } from '../../print/useDeskPrinter';
import type { AgendaData } from '../../print/types';
import { usePreferences } from '../../state/preferences';
import type { DeskUser } from '../../state/session';

/**
 * The commission secretary's queue: choose the applications for a sitting (the agenda, printable),
 * then record the commission's decision for all of them at once from the minutes.
 */
export function CommissionQueue({
  desk,
  user,
  catalogue,
  rows,
  total,
  filtered,
  onMore,
}: {
  desk: Desk;
  user: DeskUser;
  catalogue: Catalogue;
  rows: ApplicationRow[];
  /** How many wait in all (the queue loads a page at a time), and how to load the next page. */
  total: number;
  /** The rows are filtered or searched: none means nothing matched, not an empty queue. */
  filtered: boolean;
  onMore: (loaded: number) => void;
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [meetingDate, setMeetingDate] = useState('');
  const [minutesNo, setMinutesNo] = useState('');
  const [ground, setGround] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: number; failed: string[] } | null>(null);
  const chosen = rows.filter((r) => selected.has(r.appId));
  // A queue for one sitting is short: every name is opened.
  const personal = useApplicationPersonal(desk.keys, rows);
  const ready = chosen.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(meetingDate) && minutesNo.trim().length > 0;
  const printer = useDeskPrinter();
  const [printed, setPrinted] = useState<PrintResult | null>(null);
  // The commission's members, from the office's staff directory: each gets a signature line.
  const members = useLiveQuery(
    async () =>
      (await staffDirectory(desk)).filter((s) => s.active && s.roles.includes('commission')).map((s) => s.fullName),
    [desk],
  );
  const agenda = (): AgendaData => {
    const services = chosen.map((r) => catalogue.get(r.serviceId, r.serviceVersion));
    return {
      language,
      office: desk.config.office,
      providers: [...new Set(services.flatMap((sv) => (sv ? [sv.provider[language]] : [])))],
      meetingDate: meetingDate || null,
      minutesNo: minutesNo.trim() || null,
      items: chosen.map((r, i) => ({
        regNumber: r.regNumber ?? r.appId,
        applicant: personal(r)?.applicantName ?? '',
        service: services[i]?.names[language] ?? r.serviceId,
        dueAt: r.dueAt,
      })),
      members: members ?? [],
      secretary: user.displayName,
    };
  };

  const record = async (decision: 'approved' | 'refused'): Promise<void> => {
    setBusy(true);
    let ok = 0;
    const failed: string[] = [];
    const actor = { login: user.login, role: user.role, name: user.displayName };
    // One event per application: each is checked by the workflow on its own, and one that moved
    // on meanwhile (another desk acted) is reported rather than blocking the rest.
    for (const r of chosen) {
      try {
        await desk.append(r.appId, 'commission_decision', actor, {
          stepId: r.stepId ?? '',
          decision,
          meetingDate,
          minutesNo: minutesNo.trim(),
          ground: decision === 'refused' ? ground.trim() : undefined,
        });
        ok++;
      } catch {
        failed.push(r.regNumber ?? r.appId);
      }
    }
    setResult({ ok, failed });
    setSelected(new Set());
    setBusy(false);
  };

  const outcome = result && (
    <p role="status" className={result.failed.length > 0 ? 'field-error' : ''} data-testid="batch-result">
      {t('inbox:commission.recorded', { count: result.ok })}
      {result.failed.length > 0 && ` ${t('inbox:commission.failed', { list: result.failed.join(', ') })}`}
    </p>
  );
  if (rows.length === 0)
    return (
      <section className="commission" data-testid="commission-queue">
        {outcome}
        {filtered ? (
          <p className="nothing-found" role="status" data-testid="nothing-found">
            {t('applications:nothingFound')}
          </p>
        ) : (
          <EmptyState title={t('inbox:empty.title')} description={t('inbox:empty.description')} />
        )}
      </section>
    );

  return (
    <section className="commission" data-testid="commission-queue">
      <table className="journal-table commission-agenda">
        <caption className="journal-title">
          {t('inbox:commission.agenda', { date: meetingDate ? formatPrintedDate(Date.parse(meetingDate)) : '—' })}
        </caption>
        <thead>
          <tr>
            <th className="no-print">
              <input
                type="checkbox"
                aria-label={t('inbox:commission.selectAll')}
                checked={rows.length > 0 && selected.size === rows.length}
                onChange={(e) => setSelected(new Set(e.target.checked ? rows.map((r) => r.appId) : []))}
              />
            </th>
            <th>{t('applications:columns.number')}</th>
            <th>{t('applications:columns.applicant')}</th>
            <th>{t('applications:columns.service')}</th>
            <th>{t('applications:columns.due')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.appId}>
              <td className="no-print">
                <input
                  type="checkbox"
                  checked={selected.has(r.appId)}
                  onChange={(e) => {
                    const next = new Set(selected);
                    if (e.target.checked) next.add(r.appId);
                    else next.delete(r.appId);
                    setSelected(next);
                  }}
                  data-testid="commission-select"
                />
              </td>
              <td>
                <Link to={`/applications/${r.appId}`}>{r.regNumber}</Link>
              </td>
              <td>
                <ApplicantName personal={personal(r)} />
              </td>
              <td>{catalogue.get(r.serviceId, r.serviceVersion)?.names[language] ?? r.serviceId}</td>
              <td>{dueText(r.dueAt, r.calendarMissingYear, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length < total && (
        <button type="button" className="no-print" onClick={() => onMore(rows.length)} data-testid="commission-more">
          {t('inbox:showMore', { shown: rows.length, total })}
        </button>
      )}
      <div className="card no-print">
        <h2>{t('inbox:commission.record', { count: chosen.length })}</h2>
        <div className="grid-3">
          <label className="field">
            <span>{t('card:actions.meetingDate')}</span>
            <DateInput value={meetingDate} onChange={setMeetingDate} testId="batch-date" />
          </label>
          <label className="field">
            <span>{t('card:actions.minutesNo')}</span>
            <input value={minutesNo} onChange={(e) => setMinutesNo(e.target.value)} data-testid="batch-minutes" />
          </label>
          <label className="field">
            <span>{t('card:actions.ground')}</span>
            <input value={ground} onChange={(e) => setGround(e.target.value)} />
          </label>
        </div>
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setPrinted(null);
              void printer.print({ doc: 'agenda', data: agenda() }).then(setPrinted);
            }}
            disabled={chosen.length === 0}
            data-testid="print-agenda"
          >
            {t('inbox:commission.printAgenda')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || !ready}
            onClick={() => void record('approved')}
            data-testid="batch-approve"
          >
            {t('card:actions.commission.approved')}
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy || !ready || !ground.trim()}
            onClick={() => void record('refused')}
          >
            {t('card:actions.commission.refused')}
          </button>
        </div>
        {printed && (
          <p role="status" className={printed.ok ? 'muted' : 'field-error'} data-testid="agenda-printed">
            {printed.ok ? t('reception:print.printed') : t('reception:print.failed', { code: printed.code })}
          </p>
        )}
        {outcome}
      </div>
    </section>
  );
}
