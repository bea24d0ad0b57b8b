import {
  DEFAULT_INBOX_QUERY,
  hasFilters,
  inboxCount,
  inboxRows,
  listPage,
  queryWords,
  useLiveQuery,
  useSearchTerms,
  type Desk,
} from '../../data';
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
import type { DeskUser } from '../../state/session';
import { CommissionQueue } from './CommissionQueue';

export function InboxPage(): JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav:inbox')} />
      <DeskGate>{(desk, user, catalogue) => <Inbox desk={desk} user={user} catalogue={catalogue} />}</DeskGate>
    </>
  );
}

function Inbox({ desk, user, catalogue }: { desk: Desk; user: DeskUser; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const now = useMinuteClock();
  const view = useListFilters((s) => s.views.inbox);
  const words = queryWords(view.search);
  const terms = useSearchTerms(desk.keys, words);
  const plain =
    words.length === 0 &&
    !hasFilters(view.query.filters) &&
    view.query.sort === DEFAULT_INBOX_QUERY.sort &&
    view.query.desc === DEFAULT_INBOX_QUERY.desc;
  const [limit, more] = usePaging(JSON.stringify([view.query, words]));
  // Unfiltered: the first page sorted by due date, the total counted on the index (inbox.ts);
  // filtered, sorted otherwise or searched: the same queues through lists.ts. Either way a page
  // more each time the end of the list comes into view.
  const found = useLiveQuery(async () => {
    if (!terms) return undefined;
    if (plain) {
      const [rows, count] = await Promise.all([inboxRows(desk, user, now, limit), inboxCount(desk, user, now)]);
      return { rows, total: count.total };
    }
    return listPage(desk, { inbox: user }, view.query, { limit, now, terms });
  }, [desk, user, now, limit, plain, JSON.stringify(view.query), terms?.map((x) => `${x.word}:${x.token}`).join(' ')]);
  const rows = found?.rows;
  const controls = <ListControls list="inbox" desk={desk} catalogue={catalogue} />;
  // The commission's queue stays mounted when its last row is decided, so the result stays in view.
  if (user.role === 'commission')
    return (
      <>
        {controls}
        <CommissionQueue
          desk={desk}
          user={user}
          catalogue={catalogue}
          rows={rows ?? []}
          total={found?.total ?? rows?.length ?? 0}
          filtered={!plain}
          onMore={more}
        />
      </>
    );
  if (rows && rows.length === 0 && plain)
    return <EmptyState title={t('inbox:empty.title')} description={t('inbox:empty.description')} />;
  return (
    <section className="app-list" data-testid="inbox-list">
      {controls}
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
