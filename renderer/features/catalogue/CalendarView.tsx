import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { nonWorkingDays, statutoryHolidays, workingWeekendDays, type Holiday, type YearData } from '@shared/calendar';
import { CatalogWriteError, publishCatalogDoc, useCatalog } from '../../data';
import { useSession } from '../../state/session';
import { isoDateText, parseTypedDate } from './dates';
import { issueLines, refusalText, type IssueLine } from './issues';

/**
 * The working calendar by year: the holidays (estimated dates marked), the transfers with the
 * decree that made them, the weekend days made working days, and every resulting non-working
 * day. A catalogue administrator adds a year or corrects one; a year not published is said so.
 */
export function CalendarView({ year, today }: { year: number | null; today: string }): JSX.Element {
  const { t } = useTranslation();
  const years = useCatalog((s) => s.state.calendar.years);
  const isAdmin = useSession((s) => s.user?.role === 'catalog_admin');
  const [editing, setEditing] = useState<YearData | null>(null);
  const published = Object.keys(years)
    .map(Number)
    .sort((a, b) => a - b);
  const thisYear = Number(today.slice(0, 4));
  const shown = year ?? (published.includes(thisYear) ? thisYear : (published[published.length - 1] ?? thisYear));
  const data = years[shown];
  const next = Math.max(thisYear, ...published) + 1;
  return (
    <div className="catalogue-layout">
      <section className="card catalogue-filters">
        <h2>{t('catalogue:calendar.years')}</h2>
        <ul className="catalogue-list" data-testid="calendar-years">
          {published.map((y) => (
            <li key={y}>
              <Link to={`/catalogue/calendar/${y}`} className={y === shown ? 'active' : undefined}>
                {t('catalogue:calendar.year', { year: String(y) })}
              </Link>
            </li>
          ))}
        </ul>
        {isAdmin && (
          <button
            type="button"
            onClick={() => setEditing({ year: next, holidays: statutoryHolidays(next), transfers: [] })}
            data-testid="calendar-new-year"
          >
            {t('catalogue:admin.newYear')} ({next})
          </button>
        )}
      </section>
      <section className="card" data-testid="calendar-year">
        {editing ? (
          <CalendarEditor initial={editing} onDone={() => setEditing(null)} />
        ) : data ? (
          <YearTable data={data} onEdit={isAdmin ? () => setEditing(structuredClone(data)) : null} />
        ) : (
          <p className="field-error" data-testid="calendar-missing">
            {t('catalogue:calendar.missing', { year: String(shown) })}
          </p>
        )}
      </section>
    </div>
  );
}

function YearTable({ data, onEdit }: { data: YearData; onEdit: (() => void) | null }): JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  return (
    <>
      <h2>
        {t('catalogue:calendar.year', { year: String(data.year) })}
        {onEdit && (
          <button type="button" className="link" onClick={onEdit} data-testid="calendar-edit">
            {t('catalogue:admin.editYear', { year: String(data.year) })}
          </button>
        )}
      </h2>
      <h3>{t('catalogue:calendar.holidays')}</h3>
      <table className="catalogue-table">
        <thead>
          <tr>
            <th>{t('catalogue:calendar.date')}</th>
            <th>{t('catalogue:calendar.name')}</th>
            <th>{t('catalogue:calendar.transferable')}</th>
            <th>{t('catalogue:calendar.estimated')}</th>
          </tr>
        </thead>
        <tbody>
          {data.holidays.map((h) => (
            <tr key={`${h.date}-${h.key}`}>
              <td>{isoDateText(h.date)}</td>
              <td>{h.names[lang]}</td>
              <td>{h.transferable ? '✓' : ''}</td>
              <td>{h.estimated ? '≈' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('catalogue:calendar.transfers')}</h3>
      {data.transfers.length === 0 ? (
        <p className="muted">{t('catalogue:calendar.none')}</p>
      ) : (
        <table className="catalogue-table">
          <thead>
            <tr>
              <th>{t('catalogue:calendar.daysOff')}</th>
              <th>{t('catalogue:calendar.workingDays')}</th>
              <th>{t('catalogue:calendar.source')}</th>
            </tr>
          </thead>
          <tbody>
            {data.transfers.map((x, i) => (
              <tr key={i}>
                <td>{x.daysOff.map(isoDateText).join(', ')}</td>
                <td>{x.workingDays.map(isoDateText).join(', ')}</td>
                <td>{x.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <strong>{t('catalogue:calendar.nonWorking')}:</strong>{' '}
        <span data-testid="non-working-days">{nonWorkingDays(data).map(isoDateText).join(', ')}</span>
      </p>
      {workingWeekendDays(data).length > 0 && (
        <p>
          <strong>{t('catalogue:calendar.workingDays')}:</strong> {workingWeekendDays(data).map(isoDateText).join(', ')}
        </p>
      )}
      {data.note && (
        <p className="note" lang="en">
          {data.note}
        </p>
      )}
    </>
  );
}

interface HolidayRow {
  date: string;
  key: string;
  kk: string;
  ru: string;
  transferable: boolean;
  estimated: boolean;
}
interface TransferRow {
  daysOff: string;
  workingDays: string;
  source: string;
}

const typed = (iso: string): string => iso.split('-').reverse().join('.');

/** A calendar year as a form: dates typed dd.MM.yyyy, checked by the calendar schema before publishing. */
function CalendarEditor({ initial, onDone }: { initial: YearData; onDone: () => void }): JSX.Element {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const db = useCatalog((s) => s.db);
  const user = useSession((s) => s.user);
  const [year, setYear] = useState(String(initial.year));
  const [holidays, setHolidays] = useState<HolidayRow[]>(
    initial.holidays.map((h) => ({
      date: typed(h.date),
      key: h.key,
      kk: h.names.kk,
      ru: h.names.ru,
      transferable: h.transferable,
      estimated: h.estimated ?? false,
    })),
  );
  const [transfers, setTransfers] = useState<TransferRow[]>(
    initial.transfers.map((x) => ({
      daysOff: x.daysOff.map(typed).join(', '),
      workingDays: x.workingDays.map(typed).join(', '),
      source: x.source,
    })),
  );
  const [note, setNote] = useState(initial.note ?? '');
  const [problems, setProblems] = useState<IssueLine[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const dates = (text: string): string[] =>
    text
      .split(/[,;\s]+/)
      .filter(Boolean)
      .map((d) => parseTypedDate(d) ?? d);
  const data = (): YearData => ({
    year: Number(year),
    holidays: holidays
      .map((h): Holiday => ({
        date: parseTypedDate(h.date) ?? h.date,
        key: h.key,
        names: { kk: h.kk, ru: h.ru },
        transferable: h.transferable,
        ...(h.estimated ? { estimated: true } : {}),
      }))
      // In date order, as published calendars list them.
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    transfers: transfers.map((x) => ({
      daysOff: dates(x.daysOff),
      workingDays: dates(x.workingDays),
      source: x.source,
    })),
    ...(note.trim() ? { note: note.trim() } : {}),
  });
  const publish = async (): Promise<void> => {
    if (!db || !user) return;
    setProblems([]);
    setRefusal(null);
    const d = data();
    try {
      await publishCatalogDoc(db, { login: user.login, roles: user.roles }, { type: 'calendar', data: d }, Date.now());
      onDone();
      void navigate(`/catalogue/calendar/${d.year}`);
    } catch (e) {
      if (e instanceof CatalogWriteError && e.issues.length) setProblems(issueLines(e.issues, { data: d }, t));
      else setRefusal(e instanceof CatalogWriteError ? refusalText(e.reason, d, t) : String(e));
    }
  };
  const setH = (i: number, patch: Partial<HolidayRow>): void =>
    setHolidays((hs) => hs.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  const setX = (i: number, patch: Partial<TransferRow>): void =>
    setTransfers((xs) => xs.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <form
      className="calendar-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void publish();
      }}
      data-testid="calendar-editor"
    >
      <label className="field">
        <span>{t('catalogue:admin.yearLabel')}</span>
        <input
          value={year}
          onChange={(e) => setYear(e.target.value)}
          inputMode="numeric"
          data-testid="calendar-year-input"
        />
      </label>
      <button
        type="button"
        className="link"
        onClick={() =>
          setHolidays(
            statutoryHolidays(Number(year)).map((h) => ({
              date: typed(h.date),
              key: h.key,
              kk: h.names.kk,
              ru: h.names.ru,
              transferable: h.transferable,
              estimated: false,
            })),
          )
        }
      >
        {t('catalogue:admin.fromStatute')}
      </button>
      <h3>{t('catalogue:calendar.holidays')}</h3>
      <table className="catalogue-table">
        <thead>
          <tr>
            <th>{t('catalogue:calendar.date')}</th>
            <th>{t('catalogue:calendar.key')}</th>
            <th>{t('common:languageShort.kk')}</th>
            <th>{t('common:languageShort.ru')}</th>
            <th>{t('catalogue:calendar.transferable')}</th>
            <th>{t('catalogue:calendar.estimated')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {holidays.map((h, i) => (
            <tr key={i} data-testid="holiday-row">
              <td>
                <input
                  value={h.date}
                  onChange={(e) => setH(i, { date: e.target.value })}
                  size={10}
                  placeholder={t('catalogue:admin.datePlaceholder')}
                />
              </td>
              <td>
                <input value={h.key} onChange={(e) => setH(i, { key: e.target.value })} size={14} />
              </td>
              <td>
                <input value={h.kk} onChange={(e) => setH(i, { kk: e.target.value })} lang="kk" />
              </td>
              <td>
                <input value={h.ru} onChange={(e) => setH(i, { ru: e.target.value })} lang="ru" />
              </td>
              <td>
                <input
                  type="checkbox"
                  checked={h.transferable}
                  onChange={(e) => setH(i, { transferable: e.target.checked })}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  checked={h.estimated}
                  onChange={(e) => setH(i, { estimated: e.target.checked })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => setHolidays((hs) => hs.filter((_, j) => j !== i))}
                >
                  {t('catalogue:admin.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() =>
          setHolidays((hs) => [...hs, { date: '', key: '', kk: '', ru: '', transferable: true, estimated: true }])
        }
        data-testid="add-holiday"
      >
        {t('catalogue:admin.addHoliday')}
      </button>
      <h3>{t('catalogue:calendar.transfers')}</h3>
      <p className="hint">{t('catalogue:admin.datesHint')}</p>
      {transfers.map((x, i) => (
        <fieldset key={i} className="grid-3" data-testid="transfer-row">
          <label className="field">
            <span>{t('catalogue:calendar.daysOff')}</span>
            <input
              value={x.daysOff}
              onChange={(e) => setX(i, { daysOff: e.target.value })}
              data-testid="transfer-days-off"
            />
          </label>
          <label className="field">
            <span>{t('catalogue:calendar.workingDays')}</span>
            <input
              value={x.workingDays}
              onChange={(e) => setX(i, { workingDays: e.target.value })}
              data-testid="transfer-working-days"
            />
          </label>
          <label className="field">
            <span>{t('catalogue:calendar.source')}</span>
            <input
              value={x.source}
              onChange={(e) => setX(i, { source: e.target.value })}
              data-testid="transfer-source"
            />
          </label>
          <button type="button" className="link" onClick={() => setTransfers((xs) => xs.filter((_, j) => j !== i))}>
            {t('catalogue:admin.remove')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => setTransfers((xs) => [...xs, { daysOff: '', workingDays: '', source: '' }])}
        data-testid="add-transfer"
      >
        {t('catalogue:admin.addTransfer')}
      </button>
      <label className="field wide">
        <span>{t('catalogue:calendar.note')}</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {problems.length > 0 && <IssueList lines={problems} />}
      {refusal && (
        <p className="field-error" role="alert">
          {t('catalogue:admin.refused', { reason: refusal })}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={!db || !user} data-testid="calendar-publish">
          {t('catalogue:admin.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('catalogue:admin.cancel')}
        </button>
      </div>
      <p className="hint">{t('catalogue:admin.syncNote')}</p>
    </form>
  );
}

export function IssueList({ lines }: { lines: IssueLine[] }): JSX.Element {
  const { t } = useTranslation();
  return (
    <div className="issue-list" role="alert" data-testid="issue-list">
      <strong>{t('catalogue:admin.issues', { count: lines.length })}</strong>
      <ul>
        {lines.map((l, i) => (
          <li key={i}>
            <code>{l.where}</code>: {l.what}
          </li>
        ))}
      </ul>
    </div>
  );
}
