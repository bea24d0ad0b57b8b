import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';

/** How the figures are counted: printed with the report, so a reader on paper knows too. */
export const LEGEND_ITEMS = [
  'days',
  'volumes',
  'deadline',
  'steps',
  'percentiles',
  'versions',
  'rework',
  'extended',
  'executor',
  'now',
] as const;

export function Legend({ items = LEGEND_ITEMS }: { items?: readonly string[] }): JSX.Element {
  const { t } = useTranslation();
  return (
    <section className="card report-legend" data-testid="report-legend">
      <h2>{t('reports:legend.title')}</h2>
      <ul>
        {items.map((k) => (
          <li key={k}>{t(`reports:legend.${k}`)}</li>
        ))}
      </ul>
    </section>
  );
}
