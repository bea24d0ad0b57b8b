import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import { foldForSearch } from '@shared/text/searchFold';
import { ApplicationTable } from '../../components/ApplicationTable';
import { DeskGate } from '../../components/DeskGate';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import type { Desk } from '../../data/desk';
import { PAGE_SIZE } from '../../data/inbox';
import type { ApplicationRow } from '../../data/readModel';

export function ApplicationsPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:applications')} />
      <DeskGate>{(desk, _user, catalogue) => <ApplicationList desk={desk} catalogue={catalogue} />}</DeskGate>
    </>
  );
}

/**
 * Newest first, the first `limit` rows through the `registeredAt` index, and how many there are
 * (counted on the index); a search looks up the folded words of number, applicant and IIN/BIN by
 * prefix and returns every hit.
 */
async function query(desk: Desk, text: string, limit: number): Promise<{ rows: ApplicationRow[]; total: number }> {
  const words = foldForSearch(text).split(' ').filter(Boolean);
  const first = words[0];
  if (!first) {
    const [rows, total] = await Promise.all([
      desk.model.applications.orderBy('registeredAt').reverse().limit(limit).toArray(),
      desk.model.applications.count(),
    ]);
    return { rows, total };
  }
  const hits = await desk.model.applications.where('searchWords').startsWith(first).distinct().toArray();
  const rows = hits
    .filter((a) => words.every((w) => a.searchWords.some((s) => s.startsWith(w))))
    .sort((a, b) => (b.registeredAt ?? 0) - (a.registeredAt ?? 0));
  return { rows, total: rows.length };
}

function ApplicationList({ desk, catalogue }: { desk: Desk; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(PAGE_SIZE);
  const found = useLiveQuery(() => query(desk, search, limit), [desk, search, limit]);
  const more = useCallback((loaded: number) => setLimit((l) => Math.max(l, loaded + PAGE_SIZE)), []);
  const rows = found?.rows;
  if (rows && rows.length === 0 && !search)
    return <EmptyState title={t('applications:empty.title')} description={t('applications:empty.description')} />;
  return (
    <section className="app-list" data-testid="application-list">
      <label className="field search">
        <span>{t('applications:search')}</span>
        <input
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setLimit(PAGE_SIZE);
          }}
          data-testid="application-search"
        />
      </label>
      <ApplicationTable
        rows={rows ?? []}
        total={found?.total}
        onMore={more}
        catalogue={catalogue}
        calendar={desk.calendar}
      />
    </section>
  );
}
