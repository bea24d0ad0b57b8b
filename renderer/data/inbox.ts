import type { StaffRole } from '@shared/events';
import type { Desk } from './desk';
import type { ApplicationRow } from './readModel';

/**
 * Whether an open application is past its overall or its step's deadline now. The read model's
 * flag is computed when an event is projected; time passing without events must show too.
 */
export function isLate(a: Pick<ApplicationRow, 'status' | 'dueAt' | 'stepDueAt'>, now: number): boolean {
  if (a.status !== 'in_progress' && a.status !== 'waiting_applicant') return false;
  return (a.dueAt !== null && now > a.dueAt) || (a.stepDueAt !== null && now > a.stepDueAt);
}

/**
 * What waits for this person, soonest due first: an executor sees what is assigned to them and
 * executor steps no one has been assigned to yet (services whose regulation has no resolution
 * step before the executor's work); the head, the clerk and the commission see everything
 * waiting for their role. Overdue is judged against `now`, not only as it was when projected.
 */
export async function inboxRows(
  desk: Desk,
  user: { login: string; role: StaffRole },
  now: number = Date.now(),
): Promise<ApplicationRow[]> {
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
