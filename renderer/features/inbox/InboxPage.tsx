import { useLiveQuery } from 'dexie-react-hooks';
import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import { ApplicationTable } from '../../components/ApplicationTable';
import { DeskGate } from '../../components/DeskGate';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useMinuteClock } from '../../components/useMinuteClock';
import type { Desk } from '../../data/desk';
import { inboxRows } from '../../data/inbox';
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
  const rows = useLiveQuery(() => inboxRows(desk, user, now), [desk, user, now]);
  // The commission's queue stays mounted when its last row is decided, so the result stays in view.
  if (user.role === 'commission')
    return <CommissionQueue desk={desk} user={user} catalogue={catalogue} rows={rows ?? []} />;
  if (rows && rows.length === 0)
    return <EmptyState title={t('inbox:empty.title')} description={t('inbox:empty.description')} />;
  return (
    <section className="app-list" data-testid="inbox-list">
      <ApplicationTable rows={rows ?? []} catalogue={catalogue} calendar={desk.calendar} keys={desk.keys} />
    </section>
  );
}
