import { hasNoApplications, listPage, queryWords, useLiveQuery, useSearchTerms, type Desk } from '../../data';
import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import { ApplicationTable } from '../../components/ApplicationTable';
import { DeskGate } from '../../components/DeskGate';
import { EmptyState } from '../../components/EmptyState';
import { ListControls } from '../../components/ListControls';
import { PageHeader } from '../../components/PageHeader';
import { useMinuteClock } from '../../components/useMinuteClock';
import { usePaging } from '../../components/usePaging';
import { useListFilters } from '../../state/listFilters';

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
 * Every application of the office, newest first by default, filtered and sorted as chosen and read
 * a page at a time through the index of that order (lists.ts); a search looks up the folded
 * prefixes of number (any tail of it), applicant and IIN/BIN (the whole IIN/BIN) in the blind
 * index. Words shorter than MIN_PREFIX have no token: until one is long enough the list stays
 * unfiltered and says so.
 */
function ApplicationList({ desk, catalogue }: { desk: Desk; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const now = useMinuteClock();
  const view = useListFilters((s) => s.views.applications);
  const words = queryWords(view.search);
  const terms = useSearchTerms(desk.keys, words);
  const signature = JSON.stringify([view.query, words]);
  const [limit, more] = usePaging(signature);
  const found = useLiveQuery(
    () => (terms ? listPage(desk, 'all', view.query, { limit, now, terms }) : undefined),
    [desk, signature, limit, now, terms?.map((x) => `${x.word}:${x.token}`).join(' ')],
  );
  const empty = useLiveQuery(() => hasNoApplications(desk), [desk]);
  if (empty)
    return <EmptyState title={t('applications:empty.title')} description={t('applications:empty.description')} />;
  return (
    <section className="app-list" data-testid="application-list">
      <ListControls list="applications" desk={desk} catalogue={catalogue} />
      <ApplicationTable
        rows={found?.rows ?? []}
        total={found?.total}
        onMore={more}
        catalogue={catalogue}
        calendar={desk.calendar}
        keys={desk.keys}
      />
    </section>
  );
}
