import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { parseDate } from '@shared/calendar';
import { isValidPeriod, periodOf, PERIOD_KINDS, shiftPeriod, type Period, type PeriodKind } from '@shared/reports';
import { formatDay } from './tables';

/** 'dd.MM.yyyy' typed by a person → 'YYYY-MM-DD', or null when it is no real date. */
export function parseTypedDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${(m[2] ?? '').padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`;
  try {
    parseDate(iso);
    return iso;
  } catch {
    return null;
  }
}

/** A date typed as dd.MM.yyyy (as printed everywhere), checked when it is left. */
function DateField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
  testId: string;
}): JSX.Element {
  const { t } = useTranslation();
  const [text, setText] = useState(formatDay(value));
  const [bad, setBad] = useState(false);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(formatDay(value));
  }
  const commit = (): void => {
    const iso = parseTypedDate(text);
    setBad(iso === null);
    if (iso) onChange(iso);
  };
  return (
    <label className={`field${bad ? ' invalid' : ''}`}>
      <span>{label}</span>
      <input
        value={text}
        inputMode="numeric"
        placeholder={t('reports:datePlaceholder')}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        data-testid={testId}
      />
      {bad && <span className="field-error">{t('reports:badDate')}</span>}
    </label>
  );
}

/** Day, week, month, quarter, year (with ‹ › to step through them) or any range of days. */
export function PeriodControls({
  kind,
  period,
  today,
  onChange,
}: {
  kind: PeriodKind;
  period: Period;
  today: string;
  onChange: (kind: PeriodKind, period: Period) => void;
}): JSX.Element {
  const { t } = useTranslation();
  const [rangeError, setRangeError] = useState(false);
  return (
    <div className="report-period">
      <label className="field">
        <span>{t('reports:period.label')}</span>
        <select
          value={kind}
          onChange={(e) => {
            const k = e.target.value as PeriodKind;
            onChange(
              k,
              k === 'range' ? period : periodOf(k, period.from <= today && today <= period.to ? today : period.from),
            );
          }}
          data-testid="report-period-kind"
        >
          {PERIOD_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`reports:period.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {kind === 'range' ? (
        <>
          <DateField
            label={t('reports:period.from')}
            value={period.from}
            testId="report-from"
            onChange={(from) => {
              const ok = isValidPeriod({ from, to: period.to });
              setRangeError(!ok);
              if (ok) onChange(kind, { from, to: period.to });
            }}
          />
          <DateField
            label={t('reports:period.to')}
            value={period.to}
            testId="report-to"
            onChange={(to) => {
              const ok = isValidPeriod({ from: period.from, to });
              setRangeError(!ok);
              if (ok) onChange(kind, { from: period.from, to });
            }}
          />
          {rangeError && <p className="field-error">{t('reports:badRange')}</p>}
        </>
      ) : (
        <div className="period-step">
          <button
            type="button"
            aria-label={t('reports:period.previous')}
            onClick={() => onChange(kind, shiftPeriod(kind, period, -1))}
            data-testid="report-prev"
          >
            ‹
          </button>
          <span className="period-label" data-testid="report-period">
            {period.from === period.to ? formatDay(period.from) : `${formatDay(period.from)} — ${formatDay(period.to)}`}
          </span>
          <button
            type="button"
            aria-label={t('reports:period.next')}
            onClick={() => onChange(kind, shiftPeriod(kind, period, 1))}
            data-testid="report-next"
          >
            ›
          </button>
        </div>
      )}
    </div>
  );
}
