import type { JSX, ReactNode } from 'react';
import type { UiLanguage } from '@shared/ipc/contract';
import { usePrintT, type PrintT } from './labels';
import { SignedSlip } from './parts';
import { acceptedRows, applicantRows, headRows, officialRow, resultDueRow } from './slipRows';
import type { PaperFormat, ReceiptData } from './types';

function receiptRows(data: ReceiptData, lang: UiLanguage, t: PrintT): ReactNode[] {
  return [
    ...headRows(data, lang, t('print:receipt.title'), t),
    ...acceptedRows(data, lang, t),
    ...applicantRows(data, t),
    <div key="docs-title" className="pr print-subtitle">
      {t('print:documents.title')}
    </div>,
    ...data.documents.map((d, i) => (
      <div key={`doc-${i}`} className="pr print-item" data-testid="print-doc-line">
        <span className="print-item-n">{i + 1}.</span>
        <span className="print-item-text">
          {d.name[lang]}
          {d.original && <span className="print-item-mark">{t('print:documents.original')}</span>}
        </span>
      </div>
    )),
    <div key="docs-total" className="pr print-total" data-testid="print-doc-total">
      {t('print:documents.total', { count: data.documents.length })}
    </div>,
    resultDueRow(data.resultDueAt, t, data.calendarMissingYear),
    officialRow(data.officialName, t),
  ];
}

/**
 * Расписка / қолхат: the ticket's details plus who applied, the numbered list and the count of the
 * accepted documents (with the originals that were checked and handed back), and signatures.
 */
export function Receipt({ data, format }: { data: ReceiptData; format: PaperFormat }): JSX.Element {
  const kk = usePrintT('kk');
  const ru = usePrintT('ru');
  return (
    <SignedSlip
      doc="receipt"
      format={format}
      rows={{ kk: receiptRows(data, 'kk', kk), ru: receiptRows(data, 'ru', ru) }}
      slip={data}
    />
  );
}
