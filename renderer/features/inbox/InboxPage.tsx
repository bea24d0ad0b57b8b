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
import { ApplicationTable } from '../applications/ApplicationsPage';
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
 * What waits for this person, soonest due first: an executor sees what is assigned to them; the
 * head, the clerk and the commission see everything waiting for their role.
 */
export async function inboxRows(desk: Desk, user: Pick<DeskUser, 'login' | 'role'>): Promise<ApplicationRow[]> {
  const rows =
    user.role === 'executor'
      ? await desk.model.applications
          .where('[assignee+dueAt]')
          .between([user.login, -Infinity], [user.login, Infinity])
          .toArray()
      : await desk.model.applications
          .where('[role+dueAt]')
          .between([user.role, -Infinity], [user.role, Infinity])
          .toArray();
  // Rows without a due date (the regulation gives none) are indexed apart; they come last.
  const undated =
    user.role === 'executor'
      ? await desk.model.applications
          .where('assignee')
          .equals(user.login)
          .filter((a) => a.dueAt === null)
          .toArray()
      : await desk.model.applications
          .where('role')
          .equals(user.role)
          .filter((a) => a.dueAt === null)
          .toArray();
  return [...rows, ...undated].filter((a) => a.role === user.role && a.status !== 'closed');
}

function Inbox({ desk, user, catalogue }: { desk: Desk; user: DeskUser; catalogue: Catalogue }): JSX.Element {
  const { t } = useTranslation();
  const rows = useLiveQuery(() => inboxRows(desk, user), [desk, user]);
  // The commission's queue stays on screen when its last rows are decided: it shows the batch's result.
  if (rows && rows.length === 0 && user.role !== 'commission')
    return <EmptyState title={t('inbox:empty.title')} description={t('inbox:empty.description')} />;
  if (user.role === 'commission')
    return <CommissionQueue desk={desk} user={user} catalogue={catalogue} rows={rows ?? []} />;
  return (
    <section className="app-list" data-testid="inbox-list">
      <ApplicationTable rows={rows ?? []} catalogue={catalogue} calendar={desk.calendar} />
    </section>
  );
}
