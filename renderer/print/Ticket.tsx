import type { JSX, ReactNode } from 'react';
import type { UiLanguage } from '@shared/ipc/contract';
import { formatPrintedDate, formatPrintedDateTime } from '../i18n/format';
import { useBilingualT, usePrintT, type PrintT } from './labels';
import { Both, CutLine, LanguageBlocks, RegQr, Sheet, SignatureLine } from './parts';
import { acceptedRows, headRows, officialRow, resultDueRow } from './slipRows';
import type { PaperFormat, TicketData } from './types';

function ticketRows(data: TicketData, lang: UiLanguage, t: PrintT): ReactNode[] {
  return [
    ...headRows(data, lang, t('print:ticket.title'), t),
    ...acceptedRows(data, lang, t),
    resultDueRow(data.resultDueAt, t, data.calendarMissingYear),
    officialRow(data.officialName, t),
  ];
}

/**
 * Талон: the acknowledgement that the documents were accepted, with a tear-off part (үзбелі талон /
 * отрывной талон) below a dashed cut line carrying the same number, dates and official.
 */
export function Ticket({ data, format }: { data: TicketData; format: PaperFormat }): JSX.Element {
  const kk = usePrintT('kk');
  const ru = usePrintT('ru');
  const b = useBilingualT();
  return (
    <Sheet doc="ticket" format={format}>
      <LanguageBlocks rows={{ kk: ticketRows(data, 'kk', kk), ru: ticketRows(data, 'ru', ru) }} />
      <div className="print-foot">
        <div className="print-signs">
          <SignatureLine
            label={b('print:sign.official')}
            name={data.officialName}
            caption={b('print:sign.signature')}
          />
        </div>
        <RegQr value={data.regNumber} />
      </div>
      <CutLine label={b('print:ticket.cutLine')} />
      <section className="print-tearoff" data-testid="print-tearoff">
        <Both text={b('print:ticket.tearOff')} className="print-tearoff-title" />
        <div className="print-tearoff-number">№ {data.regNumber}</div>
        <dl className="print-tearoff-fields">
          <div>
            <dt>
              <Both text={b('print:field.registeredAt')} />
            </dt>
            <dd>{formatPrintedDateTime(data.registeredAt)}</dd>
          </div>
          <div>
            <dt>
              <Both text={b('print:field.resultDue')} />
            </dt>
            <dd>
              {data.resultDueAt !== null ? (
                formatPrintedDate(data.resultDueAt)
              ) : data.calendarMissingYear ? (
                <Both text={b('print:field.calendarMissing', { year: String(data.calendarMissingYear) })} />
              ) : (
                '—'
              )}
            </dd>
          </div>
          <div>
            <dt>
              <Both text={b('print:field.official')} />
            </dt>
            <dd>{data.officialName}</dd>
          </div>
        </dl>
        <Both text={b('print:ticket.keep')} className="print-tearoff-keep" />
      </section>
    </Sheet>
  );
}
