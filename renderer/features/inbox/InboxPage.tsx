import { useLiveQuery } from 'dexie-react-hooks';
import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue } from '@shared/catalogue';
import { DeskGate } from '../../components/DeskGate';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import type { Desk } from '../../data/desk';
import type { ApplicationRow } from '../../data/readModel';
import type { DeskUser } from '../../state/session';
import { ApplicationTable, isLate } from '../applications/ApplicationsPage';
import { useMinuteClock } from '../../components/useMinuteClock';
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

/**
 * What waits for this person, soonest due first: an executor sees what is assigned to them and
 * executor steps no one has been assigned to yet (services whose regulation has no resolution
 * step before the executor's work); the head, the clerk and the commission see everything
 * waiting for their role. Overdue is judged against `now`, not only as it was when projected.
 */
export async function inboxRows(desk: Desk, user: DeskUser, now: number = Date.now()): Promise<ApplicationRow[]> {
  const table = desk.model.applications;
  const forRole = async (): Promise<ApplicationRow[]> => [
    ...(await table.where('[role+dueAt]').between([user.role, -Infinity], [user.role, Infinity]).toArray()),
    // Rows without a due date (the regulation gives none) are indexed apart; they come last.
    ...(await table
      .where('role')
      .equals(user.role)
      .filter((a) => a.dueAt === null)
      .toArray()),
  ];
  const rows =
    user.role === 'executor'
      ? [
          ...(await table.where('[assignee+dueAt]').between([user.login, -Infinity], [user.login, Infinity]).toArray()),
          ...(await table
            .where('assignee')
            .equals(user.login)
            .filter((a) => a.dueAt === null)
            .toArray()),
          ...(await forRole()).filter((a) => a.assignee === null),
        ].sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity))
      : await forRole();
  return rows
    .filter((a) => a.role === user.role && a.status !== 'closed')
    .map((a) => (isLate(a, now) && !a.overdue ? { ...a, overdue: 1 as const, atRisk: 0 as const } : a));
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
      <ApplicationTable rows={rows ?? []} catalogue={catalogue} calendar={desk.calendar} />
    </section>
  );
}
