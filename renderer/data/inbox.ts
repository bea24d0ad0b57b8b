import type { StaffRole } from '@shared/events';
import type { Desk } from './desk';
import type { ApplicationRow } from './readModel';

/**
 * What waits for this person, soonest due first: an executor sees what is assigned to them; the
 * head, the clerk and the commission see everything waiting for their role.
 */
export async function inboxRows(desk: Desk, user: { login: string; role: StaffRole }): Promise<ApplicationRow[]> {
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
