import Dexie from 'dexie';
import type { StaffRole } from '@shared/events';
import type { Desk } from '../desk';
import { isOpenStatus, type ApplicationRow, type QueueKeys, type ReadModel } from '../store/readModel';

/** Rows an inbox or list shows at first, and adds each time the end comes into view. */
export const PAGE_SIZE = 50;

/**
 * Whether an open application is past its overall or its step's deadline now. The read model's
 * flag is computed when an event is projected; time passing without events must show too.
 */
export function isLate(a: Pick<ApplicationRow, 'status' | 'dueAt' | 'stepDueAt'>, now: number): boolean {
  if (!isOpenStatus(a.status)) return false;
  return (a.dueAt !== null && now > a.dueAt) || (a.stepDueAt !== null && now > a.stepDueAt);
}

/**
 * The row as it stands now: an open application is overdue exactly when `isLate` says so (the
 * stored flags are frozen at projection time, in both directions: a deadline extended by an event
 * re-projects, but time passing does not). A closed one keeps its flag: it closed late or not.
 */
export function judgedNow<T extends ApplicationRow>(a: T, now: number): T {
  if (!isOpenStatus(a.status)) return a;
  const late = isLate(a, now);
  if (late === (a.overdue === 1)) return late && a.atRisk ? { ...a, atRisk: 0 } : a;
  return { ...a, overdue: late ? 1 : 0, atRisk: late ? 0 : a.atRisk };
}

export interface InboxUser {
  login: string;
  role: StaffRole;
}

/** Where the next page starts: after this row in (due, appId) order. */
export interface InboxCursor {
  due: number;
  appId: string;
}

export interface InboxPage {
  rows: ApplicationRow[];
  /** Pass back for the next page; null when this page reached the end. */
  next: InboxCursor | null;
}

/**
 * The queues an inbox reads: an executor sees what is assigned to them and executor steps no one
 * has been assigned to yet (services whose regulation has no resolution step before the
 * executor's work); the head, the clerk and the commission see everything waiting for their role.
 */
export function queuesOf(user: InboxUser): string[] {
  return user.role === 'executor' ? [`executor:${user.login}`, 'executor:'] : [`${user.role}:`];
}

type Stored = ApplicationRow & QueueKeys;

const due = (a: Stored): number => a.queueDue ?? a.dueAt ?? Infinity;

const order = (a: Stored, b: Stored): number => due(a) - due(b) || (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0);

/**
 * One page of what waits for this person, soonest due first and rows without a due date last,
 * read through the `[queue+queueDue+appId]` index: at most `limit` rows per queue are read, however
 * many the office holds. Overdue is judged against `now`, not as it was when projected.
 */
export async function inboxPage(
  model: ReadModel,
  user: InboxUser,
  opts: { limit?: number; after?: InboxCursor | null; now?: number } = {},
): Promise<InboxPage> {
  const limit = opts.limit ?? PAGE_SIZE;
  const now = opts.now ?? Date.now();
  const after = opts.after ?? null;
  const index = model.applications.where('[queue+queueDue+appId]');
  const perQueue = await Promise.all(
    queuesOf(user).map((q) =>
      index
        .between(
          after ? [q, after.due, after.appId] : [q, Dexie.minKey, Dexie.minKey],
          [q, Dexie.maxKey, Dexie.maxKey],
          !after,
          true,
        )
        .limit(limit)
        .toArray(),
    ),
  );
  // Each queue came sorted; their merge is too, and its first `limit` rows are the page.
  const merged = perQueue.length === 1 ? (perQueue[0] ?? []) : perQueue.flat().sort(order);
  const page = merged.slice(0, limit);
  const last = page[page.length - 1];
  const more = merged.length > limit || perQueue.some((rows) => rows.length === limit);
  return {
    rows: page.map((a) => judgedNow(a, now)),
    next: last && more ? { due: due(last), appId: last.appId } : null,
  };
}

/**
 * The first `limit` rows of an inbox (a list that grows as it scrolls asks for more each time):
 * see `inboxPage`.
 */
export async function inboxRows(
  desk: Pick<Desk, 'model'>,
  user: InboxUser,
  now: number = Date.now(),
  limit: number = PAGE_SIZE,
): Promise<ApplicationRow[]> {
  return (await inboxPage(desk.model, user, { limit, now })).rows;
}

/**
 * How much waits in an inbox and how much of it is late now, counted on the indexes alone
 * (IndexedDB counts keys without reading a row).
 */
export async function inboxCount(
  model: ReadModel,
  user: InboxUser,
  now: number = Date.now(),
): Promise<{ total: number; overdue: number }> {
  const index = () => model.applications.where('[queue+lateAt]');
  const counts = await Promise.all(
    queuesOf(user).map(async (q) => ({
      total: await index().between([q, Dexie.minKey], [q, Dexie.maxKey], true, true).count(),
      // Late when `now > lateAt`.
      overdue: await index().between([q, -Infinity], [q, now], true, false).count(),
    })),
  );
  return counts.reduce((a, b) => ({ total: a.total + b.total, overdue: a.overdue + b.overdue }), {
    total: 0,
    overdue: 0,
  });
}
