import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';

/** One of a report's filters: "all", or one of `values` shown by `name`. */
export function FilterSelect({
  label,
  value,
  values,
  name,
  onChange,
  testId,
}: {
  label: string;
  value: string | null | undefined;
  values: readonly string[];
  name: (value: string) => string;
  onChange: (value: string | null) => void;
  testId?: string;
}): JSX.Element {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} data-testid={testId}>
        <option value="">{t('reports:all')}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {name(v)}
          </option>
        ))}
      </select>
    </label>
  );
}
