import { applicationsWithStatus, useHandover, useLiveQuery, useOfficeProfile, type Desk } from '../../data';
import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Catalogue } from '@shared/catalogue';
import { DeskGate } from '../../components/DeskGate';
import { dueText } from '../../components/dueText';
import { PageHeader } from '../../components/PageHeader';
import { formatNumber, formatPrintedDateTime } from '../../i18n/format';
import { PrintButtons } from '../../print/PrintButtons';
import { intakeJobs } from '../../print/printData';
import { useDeskPrinter } from '../../print/useDeskPrinter';
import { usePreferences } from '../../state/preferences';
import type { DeskUser } from '../../state/session';
import { pendingSummary, useSyncStatus } from '../../state/sync';
import { myVisits } from './visits';

/**
 * Field mode (issue 18): a home-visit worker's day. Her visits waiting (address, phone, what to
 * bring and check), the receipts still to hand over, and how much of her work has not reached
 * central yet and since when — all from this laptop's own data, offline for days.
 */
export function VisitsPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('visits:title')} />
      <DeskGate>
        {(desk, user, catalogue) => (
          <div className="visits">
            <Unsynced />
            <Handover desk={desk} />
            <Visits desk={desk} user={user} catalogue={catalogue} />
          </div>
        )}
      </DeskGate>
    </>
  );
}

function Unsynced(): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const state = useSyncStatus();
  const pending = pendingSummary(state).central;
  const last = state.snapshots.central?.lastSyncAt ?? null;
  return (
    <section className="card" data-testid="visits-unsynced">
      <h2>{t('visits:unsynced.title')}</h2>
      <p>
        {pending === null
          ? t('visits:unsynced.unknown')
          : pending === 0
            ? t('visits:unsynced.none')
            : t('visits:unsynced.count', { count: pending, countText: formatNumber(pending, language) })}
        {' · '}
        {last === null ? t('visits:unsynced.never') : t('visits:unsynced.since', { date: formatPrintedDateTime(last) })}
      </p>
    </section>
  );
}

function Handover({ desk }: { desk: Desk }): JSX.Element | null {
  const { t } = useTranslation();
  const entries = useHandover((s) => s.entries);
  const handedOver = useHandover((s) => s.handedOver);
  const printer = useDeskPrinter();
  const office = useOfficeProfile(desk.config.office)?.names ?? null;
  const states = useLiveQuery(() => Promise.all(entries.map((e) => desk.state(e.appId))), [desk, entries]);
  if (entries.length === 0) return null;
  return (
    <section className="card" data-testid="handover">
      <h2>{t('visits:handover.title', { count: entries.length })}</h2>
      <ul>
        {entries.map((e, i) => {
          const s = states?.[i];
          const jobs =
            s?.registered && s.service
              ? intakeJobs(s.registered, s.service, s.dueAt, s.calendarMissingYear, office)
              : {};
          return (
            <li key={e.appId} data-testid="handover-entry">
              <Link to={`/applications/${e.appId}`} className="mono">
                {e.regNumber}
              </Link>{' '}
              · {formatPrintedDateTime(e.at)}
              <PrintButtons jobs={{ receipt: jobs.receipt }} print={printer.print} autoDocs={[]} />
              <button type="button" onClick={() => handedOver(e.appId)} data-testid="handover-done">
                {t('visits:handover.done')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Visits({ desk, user, catalogue }: { desk: Desk; user: DeskUser; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  // The office's open applications at a visit step: few, so read whole and chosen here.
  const visits = useLiveQuery(async () => {
    const rows = await applicationsWithStatus(desk, 'in_progress');
    const mine = myVisits(rows, catalogue, user);
    // Address and phone from the registration (sealed in the read model, plain in the event).
    const regs = await Promise.all(mine.map((v) => desk.eventsOf(v.row.appId).then((es) => es[0])));
    return mine.map((v, i) => ({ ...v, reg: regs[i] }));
  }, [desk, catalogue, user]);
  return (
    <section className="card" data-testid="visits-list">
      <h2>{t('visits:list.title', { count: visits?.length ?? 0 })}</h2>
      {visits?.length === 0 && <p className="muted">{t('visits:list.none')}</p>}
      <ul className="visit-list">
        {visits?.map(({ row, step, reg }) => {
          const p = reg?.kind === 'registered' ? reg.payload : null;
          const service = catalogue.get(row.serviceId, row.serviceVersion);
          return (
            <li key={row.appId} data-testid="visit">
              <p>
                <Link to={`/applications/${row.appId}`} className="mono">
                  {row.regNumber}
                </Link>{' '}
                · {service?.names[language] ?? row.serviceId} ·{' '}
                <span className={row.overdue ? 'bad' : ''}>
                  {dueText(row.stepDueAt, row.calendarMissingYear ?? null, t, { time: true })}
                </span>
              </p>
              <dl className="facts">
                <dt>{t('visits:list.address')}</dt>
                <dd data-testid="visit-address">{p?.place ?? p?.applicant.address ?? '—'}</dd>
                <dt>{t('visits:list.phone')}</dt>
                <dd>{p?.applicant.phone ?? '—'}</dd>
                <dt>{t('visits:list.bring')}</dt>
                <dd>
                  {step.act?.title[language]}
                  {service && service.documents.items.length > 0 && (
                    <> · {service.documents.items.map((d) => d.name[language]).join('; ')}</>
                  )}
                </dd>
                <dt>{t('visits:list.check')}</dt>
                <dd>{step.act?.fields.map((f) => f.label[language]).join('; ')}</dd>
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
