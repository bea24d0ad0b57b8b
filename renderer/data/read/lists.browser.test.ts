import Dexie from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromLocal } from '@shared/calendar';
import { applicationRow } from '../../../tests/fixtures/applicationRow';
import { isLate, type InboxUser } from './inbox';
import {
  compareRows,
  DEFAULT_APPLICATIONS_QUERY,
  DEFAULT_INBOX_QUERY,
  listPage,
  matchesFilters,
  type ListQuery,
  type ListScope,
} from './lists';
import { openReadModel, queueOf, type ApplicationRow, type ReadModel } from '../store/readModel';

// 4,000 applications in real IndexedDB: each list, filtered and sorted, must be what the same
// filter and order give over all rows in memory, and an unfiltered page must stay one index read.
const N = 4000;
const NOW = Date.UTC(2026, 10, 20, 6, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROLES = ['clerk', 'head', 'executor', 'executor', 'commission'] as const;
const SERVICES = ['svc-a', 'svc-b', 'svc-c'];
const STEPS = ['assign', 'review', 'sign'];
const CHANNELS = ['provider_office', 'con', 'portal'];
const STATUSES = ['in_progress', 'in_progress', 'waiting_applicant', 'closed', 'refused_at_intake'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function makeRows(): ApplicationRow[] {
  const r = rng(7);
  return Array.from({ length: N }, (_, i) => {
    const status = pick(r, STATUSES);
    const open = status === 'in_progress' || status === 'waiting_applicant';
    const role = open ? pick(r, ROLES) : null;
    const dueAt = r() < 0.1 ? null : NOW + Math.round((r() - 0.3) * 300) * HOUR;
    return applicationRow({
      appId: `app${String(i).padStart(5, '0')}`,
      // Numbers from three desks, out of registration order.
      regNumber: `ALM01-D0${1 + (i % 3)}-${String(N - i).padStart(6, '0')}`,
      serviceId: pick(r, SERVICES),
      stepKind: role ? pick(r, STEPS) : null,
      channel: pick(r, CHANNELS),
      status,
      role,
      assignee: role === 'executor' ? (r() < 0.3 ? null : pick(r, ['exec1', 'exec2'])) : null,
      dueAt,
      stepDueAt: dueAt,
      // Registered over 60 days, some at the same moment.
      registeredAt: NOW - Math.floor(r() * 60) * DAY - Math.floor(r() * 8) * HOUR,
    });
  });
}

let model: ReadModel;
let rows: ApplicationRow[];
let touched = 0;

beforeAll(async () => {
  model = openReadModel(`lists-test-${crypto.randomUUID()}`);
  rows = makeRows();
  await model.applications.bulkPut(rows);
  model.applications.hook('reading', (row) => {
    touched++;
    return row;
  });
});

afterAll(async () => {
  model.close();
  await Dexie.delete(model.name);
});

/** The specification: every row of the scope, filtered and sorted in memory. */
function expected(scope: ListScope, query: ListQuery): string[] {
  const inScope = (a: ApplicationRow): boolean => {
    if (scope === 'all') return true;
    const q = queueOf(a);
    const u = scope.inbox;
    return u.role === 'executor' ? q === `executor:${u.login}` || q === 'executor:' : q === `${u.role}:`;
  };
  const withKeys = rows.map((a) => ({ ...a, queueDue: a.dueAt ?? Infinity }));
  return withKeys
    .filter((a) => inScope(a) && matchesFilters(a, query.filters, NOW))
    .sort(compareRows(query.sort, query.desc))
    .map((a) => a.appId);
}

const head: ListScope = { inbox: { login: 'head1', role: 'head' } satisfies InboxUser };
const exec1: ListScope = { inbox: { login: 'exec1', role: 'executor' } satisfies InboxUser };
const day = (ms: number): string => new Date(ms + 5 * HOUR).toISOString().slice(0, 10);

const QUERIES: ListQuery[] = [
  DEFAULT_INBOX_QUERY,
  { filters: {}, sort: 'registered', desc: true },
  { filters: {}, sort: 'number', desc: false },
  { filters: { serviceId: 'svc-b' }, sort: 'due', desc: true },
  { filters: { overdue: true }, sort: 'due', desc: false },
  { filters: { serviceId: 'svc-a', stepKind: 'review' }, sort: 'registered', desc: false },
  { filters: { channel: 'con', status: 'waiting_applicant' }, sort: 'number', desc: true },
  { filters: { executor: 'exec2' }, sort: 'due', desc: false },
  { filters: { from: day(NOW - 20 * DAY), to: day(NOW - 10 * DAY) }, sort: 'registered', desc: true },
  { filters: { from: day(NOW - 20 * DAY), to: day(NOW - 10 * DAY), overdue: true }, sort: 'due', desc: false },
  { filters: { status: 'closed' }, sort: 'registered', desc: true },
];

describe('filtered and sorted lists through the indexes (real IndexedDB)', () => {
  it('gives exactly the filtered rows in the chosen order, and their count, for every scope', async () => {
    for (const scope of ['all', head, exec1] as ListScope[]) {
      for (const query of QUERIES) {
        const want = expected(scope, query);
        const page = await listPage(model, scope, query, { limit: 50, now: NOW });
        expect({ query, ids: page.rows.map((a) => a.appId) }).toEqual({ query, ids: want.slice(0, 50) });
        expect(page.total).toBe(want.length);
        // A longer page continues the same order.
        const more = await listPage(model, scope, query, { limit: 150, now: NOW });
        expect(more.rows.map((a) => a.appId)).toEqual(want.slice(0, 150));
      }
    }
  });

  it('sorts the whole office by registration date by default, newest first', async () => {
    const page = await listPage(model, 'all', DEFAULT_APPLICATIONS_QUERY, { limit: 50, now: NOW });
    const at = page.rows.map((a) => a.registeredAt ?? 0);
    expect(at).toEqual([...at].sort((a, b) => b - a));
    expect(page.total).toBe(N);
  });

  it('reads one page, not the list, when nothing is filtered', async () => {
    for (const query of QUERIES.slice(0, 3)) {
      touched = 0;
      await listPage(model, 'all', query, { limit: 50, now: NOW });
      expect(touched).toBe(50);
    }
  });

  it('judges "overdue" against now and the date range in Kazakhstan days', async () => {
    const late = await listPage(
      model,
      head,
      { filters: { overdue: true }, sort: 'due', desc: false },
      {
        limit: 1000,
        now: NOW,
      },
    );
    expect(late.rows.length).toBeGreaterThan(0);
    expect(late.rows.every((a) => isLate(a, NOW))).toBe(true);
    const from = day(NOW - 5 * DAY);
    const page = await listPage(
      model,
      'all',
      { filters: { from, to: from }, sort: 'registered', desc: false },
      {
        limit: 1000,
        now: NOW,
      },
    );
    expect(page.rows.length).toBeGreaterThan(0);
    for (const a of page.rows) {
      expect(a.registeredAt).toBeGreaterThanOrEqual(fromLocal(from, 0));
      expect(a.registeredAt).toBeLessThan(fromLocal(from, 24 * 60));
    }
  });
});
