import Dexie, { type Collection, type InsertType } from 'dexie';
import { addDays, fromLocal } from '@shared/calendar';
import { isLate, queuesOf, type InboxUser } from './inbox';
import type { ApplicationRow, QueueKeys, ReadModel } from '../store/readModel';
import type { DeskKeys } from '../seal/deskKeys';
import { searchApplications, type SearchTerm } from '../seal/sealedRows';

/**
 * The Inbox and Applications lists with filters and a chosen order, still read page by page
 * through the read model's indexes: the index of the chosen order is walked (within the person's
 * queues for an inbox, within the date range when sorted by registration date), the filters are
 * applied to the rows as they come, and reading stops once the page is full.
 */

export const LIST_SORTS = ['due', 'registered', 'number'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export interface ListFilters {
  status?: string;
  serviceId?: string;
  /** The kind of step the application waits at (assign, review, sign, issue…), whatever the service. */
  stepKind?: string;
  /** The executor the application is assigned to (login). */
  executor?: string;
  channel?: string;
  /** Only applications late now. */
  overdue?: boolean;
  /** Registered on or after / on or before these days (yyyy-MM-dd, Kazakhstan time). */
  from?: string;
  to?: string;
}

export interface ListQuery {
  filters: ListFilters;
  sort: ListSort;
  /** Descending: the latest due, the newest registration, the highest number first. */
  desc: boolean;
}

export const DEFAULT_INBOX_QUERY: ListQuery = { filters: {}, sort: 'due', desc: false };
export const DEFAULT_APPLICATIONS_QUERY: ListQuery = { filters: {}, sort: 'registered', desc: true };

type Stored = ApplicationRow & QueueKeys;
type Rows = Collection<Stored, string, InsertType<Stored, 'appId'>>;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The registration-time range of the date filter, as instants: [start, end). */
export function dateRange(filters: ListFilters): { start: number; end: number } {
  return {
    start: filters.from && ISO_DAY.test(filters.from) ? fromLocal(filters.from, 0) : -Infinity,
    end: filters.to && ISO_DAY.test(filters.to) ? fromLocal(addDays(filters.to, 1), 0) : Infinity,
  };
}

export function hasFilters(filters: ListFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined && v !== '' && v !== false);
}

/** Whether a row passes every filter, judged now. */
export function matchesFilters(row: ApplicationRow, filters: ListFilters, now: number): boolean {
  if (filters.status && row.status !== filters.status) return false;
  if (filters.serviceId && row.serviceId !== filters.serviceId) return false;
  if (filters.stepKind && row.stepKind !== filters.stepKind) return false;
  if (filters.executor && row.assignee !== filters.executor) return false;
  if (filters.channel && row.channel !== filters.channel) return false;
  if (filters.overdue && !isLate(row, now)) return false;
  const { start, end } = dateRange(filters);
  if (start !== -Infinity || end !== Infinity) {
    const at = row.registeredAt;
    if (at === null || at < start || at >= end) return false;
  }
  return true;
}

/** The key a row sorts by, and the comparator of the chosen order (ties by application id). */
function sortKey(row: Stored, sort: ListSort): number | string {
  if (sort === 'due') return row.queueDue ?? row.dueAt ?? Infinity;
  if (sort === 'registered') return row.registeredAt ?? -Infinity;
  return row.regNumber ?? '';
}

export function compareRows(sort: ListSort, desc: boolean): (a: Stored, b: Stored) => number {
  return (a, b) => {
    const ka = sortKey(a, sort);
    const kb = sortKey(b, sort);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0;
    return desc ? -c : c;
  };
}

/** The rows of one queue (or of the whole office with `queue` null) in the chosen order, as an index walk. */
function walk(model: ReadModel, queue: string | null, query: ListQuery): Rows {
  const t = model.applications;
  const { start, end } = dateRange(query.filters);
  const lo = Dexie.minKey;
  const hi = Dexie.maxKey;
  let c: Rows;
  if (queue === null) {
    if (query.sort === 'due') c = t.where('[queueDue+appId]').between([lo, lo], [hi, hi]);
    else if (query.sort === 'registered')
      c = t.where('registeredAt').between(start === -Infinity ? lo : start, end === Infinity ? hi : end, true, false);
    else c = t.orderBy('regNumber');
  } else if (query.sort === 'due') c = t.where('[queue+queueDue+appId]').between([queue, lo, lo], [queue, hi, hi]);
  else if (query.sort === 'registered')
    c = t
      .where('[queue+registeredAt+appId]')
      .between([queue, start === -Infinity ? lo : start, lo], [queue, end === Infinity ? hi : end, lo], true, false);
  else c = t.where('[queue+regNumber]').between([queue, lo], [queue, hi]);
  return query.desc ? c.reverse() : c;
}

/** Where a list reads: a person's inbox (their queues), or every application of the office. */
export type ListScope = { inbox: InboxUser } | 'all';

const queuesIn = (scope: ListScope): (string | null)[] => (scope === 'all' ? [null] : queuesOf(scope.inbox));

export interface ListPage {
  rows: ApplicationRow[];
  /** How many rows pass the filters in all. */
  total: number;
}

/**
 * The first `limit` rows of a list in the chosen order, and how many there are. With search
 * terms (numbers in clear, names by the blind index: sealedRows.ts) the hits are taken from the search index instead and
 * sorted in memory: a search finds few rows.
 */
export async function listPage(
  model: ReadModel,
  scope: ListScope,
  query: ListQuery,
  opts: { limit: number; now: number; terms?: readonly SearchTerm[]; keys?: DeskKeys },
): Promise<ListPage> {
  const { limit, now } = opts;
  const pass = (a: ApplicationRow): boolean => matchesFilters(a, query.filters, now);
  if (opts.terms && opts.terms.length > 0 && opts.keys) {
    const queues = scope === 'all' ? null : new Set(queuesOf(scope.inbox));
    const hits = (await searchApplications(model, opts.keys, opts.terms)) as Stored[];
    const rows = hits
      .filter((a) => (queues === null || (a.queue !== undefined && queues.has(a.queue))) && pass(a))
      .sort(compareRows(query.sort, query.desc));
    return { rows: rows.slice(0, limit), total: rows.length };
  }
  const queues = queuesIn(scope);
  const filtered = hasFilters(query.filters);
  // Unfiltered, a page is one bounded index read and the count the index's own (as inboxPage);
  // filtered, the rows in range are tested as the cursor passes them.
  const rowsOf = (q: string | null): Rows => (filtered ? walk(model, q, query).filter(pass) : walk(model, q, query));
  const [perQueue, totals] = await Promise.all([
    Promise.all(queues.map((q) => rowsOf(q).limit(limit).toArray())),
    Promise.all(queues.map((q) => rowsOf(q).count())),
  ]);
  // Each queue came in order; their merge is too, and its first `limit` rows are the page.
  const rows = perQueue.length === 1 ? (perQueue[0] ?? []) : perQueue.flat().sort(compareRows(query.sort, query.desc));
  return { rows: rows.slice(0, limit), total: totals.reduce((a, b) => a + b, 0) };
}
