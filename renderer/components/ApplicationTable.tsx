import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type JSX } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { workingMinutesBetween, type OfficeHours, type WorkCalendar } from '@shared/calendar';
import type { Catalogue } from '@shared/catalogue';
import { officeHoursOf } from '@shared/workflow';
import { isOpenStatus, judgedNow, useApplicationPersonal, type ApplicationRow, type DeskKeys } from '../data';
import { formatPrintedDate, formatPrintedDateTime } from '../i18n/format';
import { usePreferences } from '../state/preferences';
import { dueText } from './dueText';
import { useMinuteClock } from './useMinuteClock';

/**
 * The list of applications shared by the applications page and the inboxes (moved here from
 * features/applications so that features do not import each other).
 */
const ROW_HEIGHT = 56;

/** Working time left on the current step against its norm, or how far past it. */
function timeLeft(calendar: WorkCalendar, hours: OfficeHours, now: number, due: number, t: TFunction): string {
  let minutes: number;
  try {
    minutes = Math.abs(
      due >= now ? workingMinutesBetween(calendar, hours, now, due) : workingMinutesBetween(calendar, hours, due, now),
    );
  } catch {
    return '';
  }
  const amount =
    minutes < 60
      ? t('card:duration.minutes', { count: Math.round(minutes) })
      : minutes < 480
        ? t('card:duration.hours', { count: Math.round(minutes / 6) / 10 })
        : t('card:duration.days', { count: Math.round(minutes / 48) / 10 });
  return due >= now ? t('applications:stepLeft', { amount }) : t('applications:stepLate', { amount });
}

/**
 * Applications as a virtualised table: smooth with a hundred thousand rows. Each row opens the card.
 * The caller loads rows page by page: `total` is how many there are (counted on an index), and
 * `onMore` asks for the next page when the end of the loaded rows comes into view.
 */
export function ApplicationTable({
  rows,
  total,
  onMore,
  catalogue,
  calendar,
  keys,
}: {
  rows: ApplicationRow[];
  total?: number;
  onMore?: (loaded: number) => void;
  catalogue: Catalogue;
  calendar: WorkCalendar;
  /** The applicants' names are sealed: opened only for the rows in view. */
  keys: DeskKeys;
}): JSX.Element {
  const now = useMinuteClock();
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- fine without the React Compiler, which we do not use
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const personal = useApplicationPersonal(
    keys,
    items.flatMap((i) => rows[i.index] ?? []),
  );
  const lastShown = items[items.length - 1]?.index ?? -1;
  const more = total !== undefined && rows.length < total;
  useEffect(() => {
    // Within a screenful of the end of what is loaded: the next page, before it is needed.
    if (more && onMore && lastShown >= rows.length - 20) onMore(rows.length);
  }, [more, onMore, lastShown, rows.length]);
  return (
    <>
      <div className="app-list-head" aria-hidden="true">
        <span>{t('applications:columns.number')}</span>
        <span>{t('applications:columns.applicant')}</span>
        <span>{t('applications:columns.service')}</span>
        <span>{t('applications:columns.status')}</span>
        <span>{t('applications:columns.due')}</span>
      </div>
      <div ref={scroller} className="app-list-body" role="list" aria-label={t('nav:applications')}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            // Lateness as of now, not as of the last projection.
            const a = judgedNow(row, now);
            const service = catalogue.get(a.serviceId, a.serviceVersion);
            // The row stands out when the step or the whole application is late; the due column
            // says "overdue" only for the application's own deadline (the step's lateness is shown
            // under the status).
            const open = isOpenStatus(a.status);
            const overdue = a.overdue === 1;
            const pastDue = open ? a.dueAt !== null && now > a.dueAt : a.overdue === 1;
            return (
              <Link
                key={a.appId}
                to={`/applications/${a.appId}`}
                role="listitem"
                className={`app-row${overdue ? ' overdue' : a.atRisk ? ' at-risk' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-testid="application-row"
              >
                <span className="mono">
                  {a.regNumber}
                  <small>{a.registeredAt ? formatPrintedDate(a.registeredAt) : ''}</small>
                </span>
                <ApplicantName personal={personal(a)} />
                <span className="ellipsis" title={service?.names[language]}>
                  {service?.names[language] ?? a.serviceId}
                </span>
                <span>
                  {t(`applications:status.${a.status}`)}
                  {a.role && <small>{t(`settings:roles.${a.role}`)}</small>}
                  {a.assigneeUnknown === 1 && (
                    <small className="bad" data-testid="row-executor-unknown">
                      {t('applications:executorUnknown', { login: a.assignee ?? '' })}
                    </small>
                  )}
                  {service && a.stepDueAt !== null && (
                    <small className={a.stepDueAt < now ? 'bad' : ''} data-testid="time-left">
                      {timeLeft(calendar, officeHoursOf(service), now, a.stepDueAt, t)}
                    </small>
                  )}
                </span>
                <span>
                  {a.dueAt !== null ? (
                    formatPrintedDateTime(a.dueAt)
                  ) : a.calendarMissingYear ? (
                    <small className="warn" data-testid="row-calendar-missing">
                      {dueText(null, a.calendarMissingYear, t)}
                    </small>
                  ) : (
                    '—'
                  )}
                  {pastDue ? (
                    <small className="bad" data-testid="row-overdue">
                      {t('applications:overdue')}
                    </small>
                  ) : null}
                  {!overdue && a.atRisk ? <small className="warn">{t('applications:atRisk')}</small> : null}
                </span>
              </Link>
            );
          })}
        </div>
      </div>
      {total === 0 && rows.length === 0 && (
        <p className="nothing-found" role="status" data-testid="nothing-found">
          {t('applications:nothingFound')}
        </p>
      )}
      <p className="muted" data-testid="applications-count">
        {t('common:applicationsCount', { count: total ?? rows.length })}
      </p>
    </>
  );
}

/** A sealed name: nothing while it opens, a note when it cannot be opened (another desk's key). */
export function ApplicantName({ personal }: { personal: { applicantName: string } | null | undefined }): JSX.Element {
  const { t } = useTranslation();
  if (personal === undefined) return <span />;
  if (personal === null) return <span className="muted">{t('common:unreadable')}</span>;
  return <span>{personal.applicantName}</span>;
}
