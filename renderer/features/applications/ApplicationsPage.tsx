import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import { foldForSearch } from '@shared/text/searchFold';
import { ApplicationTable } from '../../components/ApplicationTable';
import { DeskGate } from '../../components/DeskGate';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import type { Desk } from '../../data/desk';
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

/** Newest first; a search looks up the folded words of number, applicant and IIN/BIN by prefix. */
async function query(desk: Desk, text: string): Promise<ApplicationRow[]> {
  const words = foldForSearch(text).split(' ').filter(Boolean);
  const first = words[0];
  if (!first) return desk.model.applications.orderBy('registeredAt').reverse().limit(5000).toArray();
  const hits = await desk.model.applications.where('searchWords').startsWith(first).distinct().toArray();
  return hits
    .filter((a) => words.every((w) => a.searchWords.some((s) => s.startsWith(w))))
    .sort((a, b) => (b.registeredAt ?? 0) - (a.registeredAt ?? 0));
}

function ApplicationList({ desk, catalogue }: { desk: Desk; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const rows = useLiveQuery(() => query(desk, search), [desk, search]);
  if (rows && rows.length === 0 && !search)
    return <EmptyState title={t('applications:empty.title')} description={t('applications:empty.description')} />;
  return (
    <section className="app-list" data-testid="application-list">
      <label className="field search">
        <span>{t('applications:search')}</span>
        <input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="application-search"
        />
      </label>
      <ApplicationTable rows={rows ?? []} catalogue={catalogue} calendar={desk.calendar} />
    </section>
  );
}
