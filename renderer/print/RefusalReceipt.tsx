import type { JSX, ReactNode } from 'react';
import type { UiLanguage } from '@shared/ipc/contract';
import { usePrintT, type PrintT } from './labels';
import { Field, SignedSlip } from './parts';
import { acceptedRows, applicantRows, headRows, officialRow } from './slipRows';
import type { PaperFormat, RefusalReceiptData } from './types';

function refusalRows(data: RefusalReceiptData, lang: UiLanguage, t: PrintT): ReactNode[] {
  const rows: ReactNode[] = [
    ...headRows(data, lang, t('print:refusal.title'), t),
    ...acceptedRows(data, lang, t),
    ...applicantRows(data, t),
    <div key="statement" className="pr print-statement">
      {t('print:refusal.statement')}
    </div>,
    <Field key="reason" id="reason" label={t('print:refusal.reasonTitle')}>
      {t(`print:reason.${data.reason}`)}
    </Field>,
    <div key="missing-title" className="pr print-subtitle">
      {t('print:refusal.missingTitle')}
    </div>,
    ...data.missing.map((m, i) => (
      <div key={`missing-${i}`} className="pr print-item" data-testid="print-missing-line">
        <span className="print-item-n">{i + 1}.</span>
        <span className="print-item-text">{m[lang]}</span>
      </div>
    )),
  ];
  if (data.note) {
    rows.push(
      <Field key="note" id="note" label={t('print:field.note')}>
        {data.note}
      </Field>,
    );
  }
  rows.push(
    officialRow(data.officialName, t),
    <div key="copies" className="pr print-small">
      {t('print:refusal.copies')}
    </div>,
  );
  return rows;
}

/**
 * Расписка об отказе в приеме документов / құжаттарды қабылдаудан бас тарту туралы қолхат: what is
 * missing or expired and why, signed by the official and the applicant, one copy each.
 */
export function RefusalReceipt({ data, format }: { data: RefusalReceiptData; format: PaperFormat }): JSX.Element {
  const kk = usePrintT('kk');
  const ru = usePrintT('ru');
  return (
    <SignedSlip
      doc="refusal"
      format={format}
      rows={{ kk: refusalRows(data, 'kk', kk), ru: refusalRows(data, 'ru', ru) }}
      slip={data}
    />
  );
}
