import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import { ApplicationTable } from '../../components/ApplicationTable';
import { DeskGate } from '../../components/DeskGate';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import type { Desk } from '../../data/desk';
import { MIN_PREFIX, queryWords } from '../../data/blindIndex';
import { PAGE_SIZE } from '../../data/inbox';
import type { ApplicationRow } from '../../data/readModel';
import { searchApplications, useSearchTerms, type SearchTerm } from '../../data/sealedRows';

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
 * (counted on the index); a search looks up numbers by their folded prefix and the folded prefixes
 * of names and the whole IIN/BIN in the blind index (sealedRows.ts) and returns every hit. Words shorter than MIN_PREFIX have
 * no token: until one is long enough the list stays unfiltered and says so.
 */
async function query(
  desk: Desk,
  terms: readonly SearchTerm[],
  limit: number,
): Promise<{ rows: ApplicationRow[]; total: number }> {
  if (terms.length > 0) {
    const rows = await searchApplications(desk.model, desk.keys, terms);
    return { rows, total: rows.length };
  }
  const [rows, total] = await Promise.all([
    desk.model.applications.orderBy('registeredAt').reverse().limit(limit).toArray(),
    desk.model.applications.count(),
  ]);
  return { rows, total };
}

function ApplicationList({ desk, catalogue }: { desk: Desk; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const words = queryWords(search);
  const terms = useSearchTerms(desk.keys, words);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const found = useLiveQuery(
    () => (terms ? query(desk, terms, limit) : undefined),
    [desk, terms?.map((t) => `${t.word}:${t.token}`).join(' '), limit],
  );
  const more = useCallback((loaded: number) => setLimit((l) => Math.max(l, loaded + PAGE_SIZE)), []);
  const rows = found?.rows;
  const tooShort = search.trim() !== '' && words.length === 0;
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
      {tooShort && (
        <p className="hint" data-testid="search-too-short">
          {t('applications:searchTooShort', { count: MIN_PREFIX })}
        </p>
      )}
      <ApplicationTable
        rows={rows ?? []}
        total={found?.total}
        onMore={more}
        catalogue={catalogue}
        calendar={desk.calendar}
        keys={desk.keys}
      />
    </section>
  );
}
