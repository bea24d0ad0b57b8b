import type { JSX } from 'react';
import { formatPrintedDate } from '../i18n/format';
import { usePrintT } from './labels';
import { printedIsoDate, Sheet } from './parts';
import type { AgendaData } from './types';

/**
 * The commission's agenda for one sitting, on A4 in the language of the desk that prints it: the
 * office and the providers, the protocol number and date (blank lines to fill in by hand when not
 * yet known), the applications in order, and the members' and the secretary's signatures. Plain
 * text throughout: numbers are not links on paper.
 */
export function CommissionAgenda({ data }: { data: AgendaData }): JSX.Element {
  const t = usePrintT(data.language);
  const blank = <span className="print-blank agenda-blank" />;
  return (
    <Sheet doc="agenda" format="A4">
      <div className="agenda" lang={data.language} data-lang={data.language}>
        <p className="print-provider" data-field="office">
          {data.providers.length > 0 && (
            <>
              {data.providers.join('; ')}
              <br />
            </>
          )}
          {t('print:agenda.office', { office: data.office })}
        </p>
        <h1 className="print-title agenda-title">{t('print:agenda.title')}</h1>
        <div className="agenda-facts">
          <div data-field="minutesNo">
            <span className="pf-label">{t('print:agenda.minutesNo')}</span>
            {data.minutesNo ? <strong>№ {data.minutesNo}</strong> : blank}
          </div>
          <div data-field="meetingDate">
            <span className="pf-label">{t('print:agenda.meetingDate')}</span>
            {data.meetingDate ? <strong>{printedIsoDate(data.meetingDate)}</strong> : blank}
          </div>
        </div>
        <table className="agenda-table">
          <thead>
            <tr>
              <th>{t('print:agenda.no')}</th>
              <th>{t('print:agenda.regNumber')}</th>
              <th>{t('print:agenda.applicant')}</th>
              <th>{t('print:agenda.service')}</th>
              <th>{t('print:agenda.due')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item, i) => (
              <tr key={item.regNumber} data-testid="agenda-item">
                <td>{i + 1}</td>
                <td className="agenda-number">{item.regNumber}</td>
                <td>{item.applicant}</td>
                <td>{item.service}</td>
                <td className="agenda-number">{item.dueAt !== null ? formatPrintedDate(item.dueAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="print-small">{t('print:agenda.total', { count: data.items.length })}</p>
        <section className="agenda-signs" data-field="members">
          <h2 className="pf-label">{t('print:agenda.members')}</h2>
          {(data.members.length > 0 ? data.members : ['', '', '']).map((name, i) => (
            <AgendaSign key={`${name}-${i}`} name={name} caption={t('print:sign.signature')} />
          ))}
          <h2 className="pf-label">{t('print:agenda.secretary')}</h2>
          <AgendaSign name={data.secretary} caption={t('print:sign.signature')} />
        </section>
      </div>
    </Sheet>
  );
}

function AgendaSign({ name, caption }: { name: string; caption: string }): JSX.Element {
  return (
    <div className="print-sign-row agenda-sign" data-testid="agenda-sign">
      <div className="print-sign-name">{name}</div>
      <div className="print-sign-line">
        <span className="print-sign-caption">{caption}</span>
      </div>
    </div>
  );
}
