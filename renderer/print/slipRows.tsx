import type { ReactNode } from 'react';
import type { UiLanguage } from '@shared/ipc/contract';
import { formatPrintedDate, formatPrintedDateTime } from '../i18n/format';
import type { PrintT } from './labels';
import { Field, printedIsoDate } from './parts';
import type { IntakeSlip } from './types';

/** The head of every form: provider (and the accepting office, from its profile), title, registration number. */
export function headRows(
  slip: Pick<IntakeSlip, 'provider' | 'regNumber' | 'office'>,
  lang: UiLanguage,
  title: string,
  t: PrintT,
): ReactNode[] {
  return [
    <div key="provider" className="pr print-provider" data-testid="print-provider">
      {slip.provider[lang]}
      {slip.office && slip.office[lang] !== slip.provider[lang] && (
        <span className="pf-sub" data-testid="print-office">
          {slip.office[lang]}
        </span>
      )}
    </div>,
    <div key="title" className="pr print-title">
      {title}
    </div>,
    <div key="number" className="pr print-number">
      <span className="pf-label">{t('print:field.number')}</span>
      <strong className="print-number-value">№ {slip.regNumber}</strong>
    </div>,
  ];
}

/** When, and for which service. */
export function acceptedRows(
  slip: Pick<IntakeSlip, 'registeredAt' | 'service' | 'variant'>,
  lang: UiLanguage,
  t: PrintT,
): ReactNode[] {
  return [
    <Field key="registeredAt" id="registeredAt" label={t('print:field.registeredAt')}>
      {formatPrintedDateTime(slip.registeredAt)}
    </Field>,
    <Field key="service" id="service" label={t('print:field.service')}>
      {slip.service[lang]}
      {slip.variant && (
        <span className="pf-sub">
          {t('print:field.variant')}: {slip.variant[lang]}
        </span>
      )}
    </Field>,
  ];
}

/** Who applied: the applicant with the IIN/BIN, the representative with the power of attorney, the phone. */
export function applicantRows(
  slip: Pick<IntakeSlip, 'applicantName' | 'applicantId' | 'representative' | 'phone'>,
  t: PrintT,
): ReactNode[] {
  const rows: ReactNode[] = [
    <Field key="applicant" id="applicant" label={t('print:field.applicant')}>
      {slip.applicantName}
      <span className="pf-sub">
        {t('print:field.applicantId')}: {slip.applicantId}
      </span>
    </Field>,
  ];
  if (slip.representative) {
    rows.push(
      <Field key="representative" id="representative" label={t('print:field.representative')}>
        {slip.representative.fullName}
        <span className="pf-sub">
          {t('print:field.poa', {
            number: slip.representative.poaNumber,
            date: printedIsoDate(slip.representative.poaDate),
          })}
        </span>
      </Field>,
    );
  }
  if (slip.phone) {
    rows.push(
      <Field key="phone" id="phone" label={t('print:field.phone')}>
        {slip.phone}
      </Field>,
    );
  }
  return rows;
}

export function resultDueRow(resultDueAt: number | null, t: PrintT, calendarMissingYear?: number | null): ReactNode {
  return (
    <Field key="resultDue" id="resultDue" label={t('print:field.resultDue')}>
      {resultDueAt !== null ? (
        <strong>{formatPrintedDate(resultDueAt)}</strong>
      ) : calendarMissingYear ? (
        // No date is guessed: the year's working calendar is not published yet.
        t('print:field.calendarMissing', { year: String(calendarMissingYear) })
      ) : (
        t('print:field.resultDueUnknown')
      )}
    </Field>
  );
}

export function officialRow(officialName: string, t: PrintT): ReactNode {
  return (
    <Field key="official" id="official" label={t('print:field.official')}>
      {officialName}
    </Field>
  );
}
