import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import { ApplicationTable } from '../../components/ApplicationTable';
import { DeskGate } from '../../components/DeskGate';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useMinuteClock } from '../../components/useMinuteClock';
import type { Desk } from '../../data/desk';
import { inboxCount, inboxRows, PAGE_SIZE } from '../../data/inbox';
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
  // The first page sorted by due date, a page more each time the end of the list comes into view;
  // the total is counted on the index, never by loading every row.
  const [limit, setLimit] = useState(PAGE_SIZE);
  const rows = useLiveQuery(() => inboxRows(desk, user, now, limit), [desk, user, now, limit]);
  const count = useLiveQuery(() => inboxCount(desk.model, user, now), [desk, user, now]);
  const more = useCallback((loaded: number) => setLimit((l) => Math.max(l, loaded + PAGE_SIZE)), []);
  // The commission's queue stays mounted when its last row is decided, so the result stays in view.
  if (user.role === 'commission')
    return (
      <CommissionQueue
        desk={desk}
        user={user}
        catalogue={catalogue}
        rows={rows ?? []}
        total={count?.total ?? rows?.length ?? 0}
        onMore={more}
      />
    );
  if (rows && rows.length === 0)
    return <EmptyState title={t('inbox:empty.title')} description={t('inbox:empty.description')} />;
  return (
    <section className="app-list" data-testid="inbox-list">
      <ApplicationTable
        rows={rows ?? []}
        total={count?.total}
        onMore={more}
        catalogue={catalogue}
        calendar={desk.calendar}
        keys={desk.keys}
      />
    </section>
  );
}
