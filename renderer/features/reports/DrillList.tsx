import { PAGE_SIZE, rowsByIds, useLiveQuery, type Desk } from '../../data';
import { useCallback, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import { ApplicationTable } from '../../components/ApplicationTable';

/**
 * The applications behind a figure, in the application list everyone knows (each row opens the
 * card). Rows are read a page at a time by id: a year's registrations can be tens of thousands.
 */
export function DrillList({
  desk,
  catalogue,
  ids,
  title,
  onClose,
}: {
  desk: Desk;
  catalogue: Catalogue;
  ids: string[];
  title: string;
  onClose: () => void;
}): JSX.Element {
  const { t } = useTranslation();
  const [limit, setLimit] = useState(PAGE_SIZE);
  const rows = useLiveQuery(() => rowsByIds(desk, ids.slice(0, limit)), [desk, ids, limit]);
  const more = useCallback((loaded: number) => setLimit((l) => Math.max(l, loaded + PAGE_SIZE)), []);
  return (
    <section className="app-list report-drill" data-testid="report-drill-list">
      <div className="report-drill-head">
        <button type="button" onClick={onClose} data-testid="report-drill-close">
          ‹ {t('reports:backToReport')}
        </button>
        <h2>{title}</h2>
      </div>
      <ApplicationTable
        rows={rows ?? []}
        total={ids.length}
        onMore={more}
        catalogue={catalogue}
        calendar={desk.calendar}
        keys={desk.keys}
      />
    </section>
  );
}
