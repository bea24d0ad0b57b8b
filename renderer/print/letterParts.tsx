import type { ReactNode } from 'react';
import type { UiLanguage } from '@shared/ipc/contract';
import { formatPrintedDate } from '../i18n/format';
import type { PrintT } from './labels';
import type { BilingualText } from './types';

/**
 * The head of a letter (notification, cover letter), one row per part so that the Kazakh and the
 * Russian column line up: the provider as a letterhead, then the date and the outgoing number.
 */
export function letterheadRows(
  letter: { provider: BilingualText; issuedAt: number; outgoingNumber: string | null },
  lang: UiLanguage,
  t: PrintT,
): ReactNode[] {
  const date = formatPrintedDate(letter.issuedAt);
  return [
    <div key="letterhead" className="pr print-letterhead">
      {letter.provider[lang]}
    </div>,
    <div key="regline" className="pr print-regline" data-field="regline">
      {letter.outgoingNumber !== null
        ? t('print:letter.outgoing', { number: letter.outgoingNumber, date })
        : t('print:letter.dated', { date })}
    </div>,
  ];
}

/** Whom the letter goes to: on the right, as on a letter, with the IIN/BIN and the address when known. */
export function addresseeRow(
  to: { applicantName: string; applicantId?: string; applicantAddress: string | null },
  t: PrintT,
): ReactNode {
  return (
    <div key="addressee" className="pr print-addressee" data-field="addressee">
      <div className="pf-label">{t('print:letter.addressee')}</div>
      <div className="print-addressee-name">{to.applicantName}</div>
      {to.applicantId !== undefined && (
        <div className="pf-sub">
          {t('print:field.applicantId')}: {to.applicantId}
        </div>
      )}
      {to.applicantAddress !== null && (
        <div className="pf-sub">
          {t('print:letter.address')}: {to.applicantAddress}
        </div>
      )}
    </div>
  );
}

/** The letter's title in capitals, with its lower-case subtitle ("о принятом решении") under it. */
export function letterTitleRow(title: string, subtitle: string | null): ReactNode {
  return (
    <div key="title" className="pr print-title print-letter-title">
      {title}
      {subtitle !== null && <span className="print-title-sub">{subtitle}</span>}
    </div>
  );
}
