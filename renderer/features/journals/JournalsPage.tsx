import { useLiveQuery, type Desk } from '../../data';
import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { toLocalDate } from '@shared/calendar';
import type { Catalogue } from '@shared/catalogue';
import { DateInput, displayDate } from '../../components/DateInput';
import { DeskGate } from '../../components/DeskGate';
import { PageHeader } from '../../components/PageHeader';
import { useMinuteClock } from '../../components/useMinuteClock';
import { printScreen } from '../../print/printJob';
import { A4_LANDSCAPE_RULE, usePageRule } from '../../print/usePageRule';
import { usePreferences } from '../../state/preferences';
import { download } from '../../components/download';
import { journalTable, loadJournal, toCsv, toXlsx, type JournalKind } from './journal';

export function JournalsPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:journals')} />
      <DeskGate>{(desk, _user, catalogue) => <Journals desk={desk} catalogue={catalogue} />}</DeskGate>
    </>
  );
}

function monthStart(today: string): string {
  return `${today.slice(0, 8)}01`;
}

function Journals({ desk, catalogue }: { desk: Desk; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const [kind, setKind] = useState<JournalKind>('registration');
  const [today] = useState(() => toLocalDate(Date.now()));
  const [from, setFrom] = useState(() => monthStart(today));
  const [to, setTo] = useState(today);
  const [failure, setFailure] = useState<string | null>(null);
  // On paper a journal is A4 landscape, one page after another, nothing else.
  usePageRule(A4_LANDSCAPE_RULE);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const entries = useLiveQuery(
    () => (valid ? loadJournal(desk, kind, from, to) : Promise.resolve([])),
    [desk, kind, from, to, valid],
  );
  const now = useMinuteClock();
  const table = journalTable(kind, entries ?? [], catalogue, language, t, now);
  const title = `${t(`journals:title.${kind}`)} ${displayDate(from)} — ${displayDate(to)}`;
  const file = `${kind}-${desk.config.office}-${from}-${to}`;

  return (
    <section className="journal" data-testid="journal">
      <div className="journal-controls no-print">
        <fieldset className="radio-group">
          <legend>{t('journals:choose')}</legend>
          {(['registration', 'outgoing'] as const).map((k) => (
            <label key={k}>
              <input
                type="radio"
                name="journal"
                checked={kind === k}
                onChange={() => setKind(k)}
                data-testid={`journal-${k}`}
              />
              <span>{t(`journals:title.${k}`)}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('journals:from')}</span>
          <DateInput value={from} onChange={setFrom} testId="journal-from" />
        </label>
        <label className="field">
          <span>{t('journals:to')}</span>
          <DateInput value={to} onChange={setTo} testId="journal-to" />
        </label>
        <div className="actions">
          <button type="button" onClick={() => void printScreen()} data-testid="journal-print">
            {t('journals:print')}
          </button>
          <button
            type="button"
            onClick={() => download(`${file}.csv`, toCsv(table), 'text/csv;charset=utf-8')}
            data-testid="journal-csv"
          >
            CSV
          </button>
          <button
            type="button"
            onClick={() => {
              setFailure(null);
              toXlsx(table, title).then(
                (bytes) =>
                  download(`${file}.xlsx`, bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
                () => setFailure('journals:exportFailed'),
              );
            }}
            data-testid="journal-xlsx"
          >
            XLSX
          </button>
        </div>
      </div>
      {!valid && <p className="field-error">{t('journals:badRange')}</p>}
      {failure && <p className="field-error">{t(failure)}</p>}
      <h2 className="journal-title">{title}</h2>
      <table className="journal-table" data-testid="journal-table">
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) => (
                <td key={j}>{v}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length === 0 && <p className="muted">{t('journals:empty.description')}</p>}
    </section>
  );
}
