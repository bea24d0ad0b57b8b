import {
  applicationById,
  applicantDisplayName,
  applicantKey,
  executorStanding,
  loadDirectory,
  useLiveQuery,
  useOfficeProfile,
  type Desk,
  type ExecutorStanding,
} from '../../data';
import type { JSX, ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { EventDoc } from '@shared/events';
import { allowedActions, type ApplicationState, type HistoryEntry } from '@shared/workflow';
import { DeskGate } from '../../components/DeskGate';
import { dueText } from '../../components/dueText';
import { PageHeader } from '../../components/PageHeader';
import { useMinuteClock } from '../../components/useMinuteClock';
import { formatPrintedDate, formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';
import type { DeskUser } from '../../state/session';
import { ActionPanel } from './ActionPanel';
import { ApplicationPath } from './ApplicationPath';
import { Attachments } from './Attachments';
import { InspectionActPanel } from './InspectionAct';
import { normText } from './norm';
import { LettersAndExtensions } from './TermsAndLetters';
import { PrintButtons } from '../../print/PrintButtons';
import { decisionJobs, intakeJobs } from '../../print/printData';
import { useDeskPrinter } from '../../print/useDeskPrinter';

/** What another feature shows under the card (the audit trail), given by the app shell: features do not import each other. */
export type CardExtra = (props: { desk: Desk; appId: string; eventCount: number }) => ReactNode;

export function ApplicationCardPage({ extra }: { extra?: CardExtra }): JSX.Element {
  const { t } = useTranslation();
  const { appId } = useParams();
  return (
    <>
      <PageHeader title={t('card:title')}>
        <Link to="/applications">{t('card:back')}</Link>
      </PageHeader>
      <DeskGate>{(desk, user) => <Card desk={desk} user={user} appId={appId ?? ''} extra={extra} />}</DeskGate>
    </>
  );
}

/**
 * What the action recorded beyond who and when: the executor named, the commission's minutes,
 * the legal ground of a refusal, to whom and how the result went, and the note.
 */
function EventDetails({ event: e, t }: { event: EventDoc | undefined; t: TFunction }): JSX.Element | null {
  if (!e) return null;
  const parts: string[] = [];
  switch (e.kind) {
    case 'resolution':
      parts.push(t('card:detail.executor', { name: e.payload.executorName || e.payload.executor }));
      break;
    case 'commission_decision':
      parts.push(
        t('card:detail.minutes', {
          date: formatPrintedDate(Date.parse(e.payload.meetingDate)),
          number: e.payload.minutesNo,
        }),
      );
      if (e.payload.ground) parts.push(t('card:detail.ground', { ground: e.payload.ground }));
      break;
    case 'step_done':
      if (e.payload.ground) parts.push(t('card:detail.ground', { ground: e.payload.ground }));
      break;
    case 'issued': {
      parts.push(t(`card:delivery.${e.payload.mode}`));
      if (e.payload.tracking) parts.push(t('card:trackingNo', { number: e.payload.tracking }));
      const proxy = e.payload.proxy;
      if (proxy)
        parts.push(
          `${t('card:proxyTook', { name: proxy.fullName, iin: proxy.iin })}, ${t('card:poa', {
            number: proxy.poaNumber,
            date: formatPrintedDate(Date.parse(proxy.poaDate)),
          })}`,
        );
      break;
    }
    default:
      break;
  }
  if ('note' in e.payload && e.payload.note) parts.push(t('card:detail.note', { note: e.payload.note }));
  if (parts.length === 0) return null;
  return (
    <small className="detail" data-testid={`timeline-${e.kind}`}>
      {parts.join(' · ')}
    </small>
  );
}

/**
 * An application waiting on someone who is no active executor of the office (typed on an older
 * desk, or deactivated since): it sits in the head's inbox until it is routed again.
 */
function ExecutorWarning({ standing, login }: { standing: ExecutorStanding; login: string }): JSX.Element | null {
  const { t } = useTranslation();
  if (standing !== 'unknown' && standing !== 'inactive') return null;
  return (
    <strong className="bad executor-unknown" data-testid="executor-unknown">
      {t(`card:executor.${standing}`, { login })}
    </strong>
  );
}

/** Working minutes as "2 h 15 min" or days of 8 hours. */
function duration(minutes: number | null, t: TFunction): string {
  if (minutes === null) return '—';
  minutes = Math.round(minutes);
  if (minutes < 60) return t('card:duration.minutes', { count: minutes });
  if (minutes < 480) return t('card:duration.hours', { count: Math.round(minutes / 6) / 10 });
  return t('card:duration.days', { count: Math.round(minutes / 48) / 10 });
}

function Card({
  desk,
  user,
  appId,
  extra,
}: {
  desk: Desk;
  user: DeskUser;
  appId: string;
  extra: CardExtra | undefined;
}): JSX.Element {
  const { t, i18n } = useTranslation();
  const language = usePreferences((s) => s.language);
  const now = useMinuteClock();
  const printer = useDeskPrinter();
  const officeName = useOfficeProfile(desk.config.office)?.names ?? null;
  // The read-model row changes whenever a new event for this application is projected (local or
  // replicated); the card then folds the events again for the full history.
  const row = useLiveQuery(() => applicationById(desk, appId), [desk, appId]);
  const loaded = useLiveQuery(
    async (): Promise<{ state: ApplicationState; events: Map<string, EventDoc> } | null> =>
      row
        ? {
            state: await desk.state(appId),
            events: new Map((await desk.eventsOf(appId)).map((e) => [e._id, e])),
          }
        : null,
    [desk, appId, row?.eventCount, now],
  );
  const directory = useLiveQuery(() => loadDirectory(desk), [desk]);
  const state = loaded === undefined ? undefined : (loaded?.state ?? null);
  if (row === undefined && state === undefined) return <p className="muted">{t('card:loading')}</p>;
  if (!row || !state?.registered || !state.service || !state.variant)
    return <p className="field-error">{t('card:notFound')}</p>;
  const service = state.service;
  const p = state.registered.payload;
  const actor = { login: user.login, role: user.role, name: user.displayName };
  const actions = allowedActions(state, user.role);
  const stepName = (id: string): string => {
    const s = state.variant?.steps.find((x) => x.id === id);
    return s ? `${s.n}. ${s.action[language]}` : id;
  };
  return (
    <div className="card-layout" data-testid="application-card">
      <section className="card">
        <p className="reg-number mono" data-testid="card-number">
          {p.regNumber}
        </p>
        <dl className="facts">
          <dt>{t('card:applicant')}</dt>
          <dd>
            {applicantDisplayName(p.applicant)} · <span className="mono">{applicantKey(p.applicant)}</span>
          </dd>
          {p.representative && (
            <>
              <dt>{t('card:representative')}</dt>
              <dd>
                {p.representative.fullName} (
                {t('card:poa', { number: p.representative.poaNumber, date: p.representative.poaDate })})
              </dd>
            </>
          )}
          <dt>{t('card:service')}</dt>
          <dd>{service.names[language]}</dd>
          <dt>{t('card:variant')}</dt>
          <dd>{state.variant.label[language]}</dd>
          <dt>{t('card:channel')}</dt>
          <dd>{t(`reception:channel.${p.channel}`)}</dd>
          <dt>{t('card:status')}</dt>
          <dd data-testid="card-status">
            {t(`applications:status.${state.status}`)}
            {state.outcome && ` · ${t(`card:outcome.${state.outcome}`)}`}
          </dd>
          {state.outcome === 'refused' && state.refusalGround && (
            <>
              <dt>{t('card:ground')}</dt>
              <dd data-testid="card-ground">{state.refusalGround}</dd>
            </>
          )}
          {state.step && (
            <>
              <dt>{t('card:currentStep')}</dt>
              <dd data-testid="card-step">
                {stepName(state.step.id)}
                <small className="muted">
                  {' · '}
                  {t(`settings:roles.${state.role ?? 'clerk'}`)}
                  {/* The assignee is named on the executor's own steps only: the commission, the
                      head's signature and the clerk's issue are someone else's. */}
                  {state.role === 'executor' && state.assignee && ` · ${state.assignee.name || state.assignee.login}`}
                </small>
                {state.role === 'executor' && state.assignee && directory && (
                  <ExecutorWarning
                    standing={executorStanding(directory, row.office, state.assignee.login)}
                    login={state.assignee.login}
                  />
                )}
              </dd>
              <dt>{t('card:stepDue')}</dt>
              <dd className={state.stepOverdue ? 'bad' : ''} data-testid="card-step-due">
                {dueText(state.stepDueAt, state.step.norm ? state.calendarMissingYear : null, t, {
                  time: true,
                  none: t('card:noNorm'),
                })}
                {state.stepOverdue && ` · ${t('applications:overdue')}`}
              </dd>
            </>
          )}
          <dt>{t('card:due')}</dt>
          <dd className={state.overdue ? 'bad' : state.atRisk ? 'warn' : ''} data-testid="card-due">
            {dueText(state.dueAt, state.variant.deadline ? state.calendarMissingYear : null, t, {
              time: true,
              none: t('card:noNorm'),
            })}
            {state.overdue && ` · ${t('applications:overdue')}`}
            {!state.overdue && state.atRisk && ` · ${t('applications:atRisk')}`}
          </dd>
          <LettersAndExtensions state={state} />
          {state.calendarMissingYear !== null && (
            <>
              <dt>{t('card:warning')}</dt>
              <dd className="bad" data-testid="card-calendar-missing">
                {t('card:calendarMissing', { year: String(state.calendarMissingYear) })}
              </dd>
            </>
          )}
        </dl>
      </section>

      <ActionPanel desk={desk} state={state} service={service} actor={actor} actions={actions} now={now} />

      <section className="card" data-testid="reprint">
        <h2>{t('card:reprint')}</h2>
        <PrintButtons
          jobs={{
            ...intakeJobs(state.registered, service, state.dueAt, state.calendarMissingYear, officeName),
            ...decisionJobs(
              state,
              {
                name: user.displayName,
                position: {
                  kk: i18n.getFixedT('kk')(`settings:roles.${user.role}`),
                  ru: i18n.getFixedT('ru')(`settings:roles.${user.role}`),
                },
              },
              now,
            ),
          }}
          print={printer.print}
          autoDocs={[]}
        />
      </section>

      <InspectionActPanel desk={desk} state={state} actor={actor} role={user.role} print={printer.print} />

      <Attachments desk={desk} appId={appId} actor={actor} attachments={state.attachments} />

      <section className="card">
        <h2>{t('card:timeline')}</h2>
        <ul className="timeline" data-testid="timeline">
          {state.history.map((h: HistoryEntry, i) => (
            <li key={`${h.stepId}-${i}`} className={h.overNorm ? 'over' : ''}>
              <span className="when">{formatPrintedDateTime(h.doneAt)}</span>
              <span className="what">
                {stepName(h.stepId)}
                <small className="muted">
                  {' · '}
                  {h.by ? (h.by.name ?? h.by.login) : t('card:automatic')} · {t(`card:historyOutcome.${h.outcome}`)}
                  {h.workingMinutes !== null && h.by !== null && ` · ${duration(h.workingMinutes, t)}`}
                  {h.norm && ` · ${t('card:norm', { norm: normText(h.norm, t) })}`}
                  {h.overNorm && ` · ${t('card:overNorm')}`}
                </small>
                {h.eventId && <EventDetails event={loaded?.events.get(h.eventId)} t={t} />}
              </span>
            </li>
          ))}
        </ul>
        {state.superseded.length > 0 && (
          <div className="superseded" data-testid="superseded">
            <h3>{t('card:superseded')}</h3>
            <ul>
              {state.superseded.map((s) => (
                <li key={s.eventId}>
                  {formatPrintedDateTime(Date.parse(s.at))} · {s.actor.name ?? s.actor.login} ·{' '}
                  {t(`card:kinds.${s.kind}`)} — {t(`data:append.${s.reason}`)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <ApplicationPath state={state} language={language} />

      {extra?.({ desk, appId, eventCount: row.eventCount })}
    </div>
  );
}
