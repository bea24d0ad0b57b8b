import { useEffect, useMemo, useRef, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceDefinition } from '@shared/catalogue';
import type { EventDoc } from '@shared/events';
import { receiptWaits, useHandover, useOfficeProfile, type Desk } from '../../data';
import { formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';
import type { DeskUser } from '../../state/session';
import { intakeJobs, keepPdfCopy } from '../../print/printData';
import { PrintButtons } from '../../print/PrintButtons';
import { useDeskPrinter } from '../../print/useDeskPrinter';
import { dueText } from '../../components/dueText';
import { resultDue } from './intake';
import { usePrintSettings } from '../../print/settings';

/** What the clerk sees once the application is registered (or refused): the number, and the paper. */
export function IntakeDone({
  done,
  desk,
  onNext,
}: {
  done: { event: EventDoc<'registered'> | EventDoc<'intake_refused'>; service: ServiceDefinition };
  desk: Desk;
  user: DeskUser;
  onNext: () => void;
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const { event, service } = done;
  const officeName = useOfficeProfile(desk.config.office)?.names ?? null;
  const variant = service.variants.find((v) => v.id === event.payload.variantId);
  const { at: due, calendarMissingYear } =
    variant && event.kind === 'registered'
      ? resultDue(service, variant, desk.calendar, Date.parse(event.at))
      : { at: null, calendarMissingYear: null };
  const jobs = useMemo(
    () => intakeJobs(event, service, due, calendarMissingYear, officeName),
    [event, service, due, calendarMissingYear, officeName],
  );
  const printer = useDeskPrinter();
  // Taken at home with no printer set up on this laptop: the receipt waits in the list of those
  // to hand over (Visits), printed later; with a (portable 58 mm) printer it prints here as usual.
  const printerConfigured = usePrintSettings((s) => s.deviceName !== null);
  const waits = event.kind === 'registered' && receiptWaits(event.payload.channel, printerConfigured);
  const addHandover = useHandover((s) => s.add);
  useEffect(() => {
    if (waits) addHandover({ appId: event.appId, regNumber: event.payload.regNumber, at: Date.parse(event.at) });
  }, [waits, addHandover, event]);
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  // The PDF copy of the receipt (or refusal) goes into the application's file, once.
  const kept = useRef(false);
  useEffect(() => {
    const job = jobs.receipt ?? jobs.refusal;
    if (kept.current || !job) return;
    kept.current = true;
    void keepPdfCopy(desk, event, job, event.actor);
  }, [desk, event, jobs]);
  const refused = event.kind === 'intake_refused';
  return (
    <section
      className={`card intake-done ${refused ? 'refused' : 'registered'}`}
      role="status"
      data-testid="intake-done"
    >
      <h2>{refused ? t('reception:done.refusedTitle') : t('reception:done.registeredTitle')}</h2>
      <p className="reg-number" data-testid="reg-number">
        {event.payload.regNumber}
      </p>
      <dl className="facts">
        <dt>{t('reception:done.service')}</dt>
        <dd>{service.names[language]}</dd>
        <dt>{t('reception:done.registeredAt')}</dt>
        <dd>{formatPrintedDateTime(Date.parse(event.at))}</dd>
        {!refused && (
          <>
            <dt>{t('reception:done.dueAt')}</dt>
            <dd data-testid="done-due">
              {dueText(due, calendarMissingYear, t, { time: true, none: t('reception:due.notStated') })}
            </dd>
          </>
        )}
      </dl>
      {waits && (
        <p className="note" data-testid="receipt-waits">
          {t('reception:home.receiptWaits')}
        </p>
      )}
      <PrintButtons
        jobs={jobs}
        print={printer.print}
        autoDocs={refused ? ['refusal'] : waits ? [] : printer.autoDocs}
      />
      <div className="actions">
        <button ref={next} type="button" className="primary" onClick={onNext} data-testid="next-application">
          {t('reception:done.next')}
        </button>
      </div>
    </section>
  );
}
