import { maskitoDate } from '@maskito/kit';
import { useMaskito } from '@maskito/react';
import { useEffect, useRef, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A date typed as dd.MM.yyyy, the way every date in Kense is written (the browser's own date
 * input shows the system's mm/dd/yyyy). Maskito's date mask (zero-dependency, maintained by the
 * Taiga UI team) lets only digits in, puts the dots in, and refuses days and months that cannot
 * be; the value handed out is ISO yyyy-MM-dd once the date is complete, '' until then.
 */
const DATE_MASK = maskitoDate({ mode: 'dd/mm/yyyy', separator: '.' });

/** dd.MM.yyyy → yyyy-MM-dd, or null when the text is not a whole, real date. */
export function parseDisplayDate(text: string): string | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [, d, mo, y] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(mo) - 1) return null;
  return `${y}-${mo}-${d}`;
}

/** yyyy-MM-dd → dd.MM.yyyy ('' for anything else). */
export function displayDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : '';
}

export function DateInput({
  value,
  onChange,
  id,
  disabled,
  invalid,
  label,
  testId,
}: {
  /** ISO yyyy-MM-dd, or '' for none. */
  value: string;
  onChange: (iso: string) => void;
  id?: string;
  disabled?: boolean;
  invalid?: boolean;
  /** For an input without a visible label of its own. */
  label?: string;
  testId?: string;
}): JSX.Element {
  const { t } = useTranslation();
  const maskRef = useMaskito({ options: DATE_MASK });
  const [text, setText] = useState(() => displayDate(value));
  // What this input last handed out: a value from outside that differs replaces the text (a
  // cleared form, a suggested birth date); its own partial typing does not get reset.
  const emitted = useRef(value);
  useEffect(() => {
    if (value === emitted.current) return;
    emitted.current = value;
    setText(displayDate(value));
  }, [value]);
  return (
    <input
      ref={maskRef}
      id={id}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      className="date-input"
      maxLength={10}
      placeholder={t('common:datePlaceholder')}
      aria-label={label}
      aria-invalid={invalid || (text.length === 10 && parseDisplayDate(text) === null)}
      disabled={disabled}
      value={text}
      onInput={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        const iso = parseDisplayDate(next) ?? '';
        if (iso !== emitted.current) {
          emitted.current = iso;
          onChange(iso);
        }
      }}
      // React wants an onChange for a controlled input; Maskito's edits arrive through onInput.
      onChange={() => undefined}
      data-testid={testId}
    />
  );
}
