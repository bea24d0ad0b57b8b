import Dexie from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxCount, inboxPage, inboxRows, isLate, PAGE_SIZE, type InboxCursor, type InboxUser } from './inbox';
import { openReadModel, type ApplicationRow, type ReadModel } from '../store/readModel';
import { applicationRow } from '../../../tests/fixtures/applicationRow';

// A read model of 6,000 applications in real IndexedDB: the inbox must page through its indexes,
// never load a role's rows to sort them in memory.
const N = 6000;
const NOW = Date.UTC(2026, 10, 20, 6, 0);
const HOUR = 3_600_000;
const ROLES = ['clerk', 'head', 'executor', 'executor', 'executor', 'commission'] as const;
const EXECUTORS = ['exec1', 'exec2', 'exec3'];

/** Deterministic pseudo-random numbers (a fixed seed: the same rows on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeRows(): ApplicationRow[] {
  const r = rng(42);
  const rows: ApplicationRow[] = [];
  for (let i = 0; i < N; i++) {
    const closed = r() < 0.15;
    const role = closed ? null : (ROLES[Math.floor(r() * ROLES.length)] ?? null);
    const assignee = role === 'executor' ? (r() < 0.3 ? null : (EXECUTORS[Math.floor(r() * 3)] ?? null)) : null;
    // Some without a due date; many sharing one (ties are broken by appId); some late, some not yet.
    const dueAt = r() < 0.1 ? null : NOW + Math.round((r() - 0.3) * 200) * HOUR;
    const stepDueAt = dueAt === null ? null : r() < 0.2 ? NOW - HOUR : dueAt;
    const status = closed ? 'closed' : r() < 0.1 ? 'waiting_applicant' : 'in_progress';
    rows.push(
      applicationRow({
        appId: `app${String(i).padStart(5, '0')}`,
        regNumber: `ALM01-D01-${String(i + 1).padStart(6, '0')}`,
        serviceId: 's',
        serviceVersion: '1',
        status,
        stepId: role ? 'step' : null,
        role,
        assignee,
        stepDueAt,
        dueAt,
        // Frozen when projected long ago: nothing was late then (overdue 0).
        registeredAt: NOW - i * 1000,
        updatedAt: NOW - i * 1000,
        closedAt: closed ? NOW - HOUR : null,
      }),
    );
  }
  return rows;
}

/** What the inbox must show, worked out over all rows in memory (the specification). */
function expected(rows: ApplicationRow[], user: InboxUser): ApplicationRow[] {
  return rows
    .filter(
      (a) =>
        a.status !== 'closed' &&
        a.role === user.role &&
        (user.role !== 'executor' || a.assignee === user.login || a.assignee === null),
    )
    .sort(
      (a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0),
    );
}

let model: ReadModel;
let rows: ApplicationRow[];
/** Rows handed out by IndexedDB reads since the last reset (a reading hook sees every row read). */
let touched = 0;

beforeAll(async () => {
  model = openReadModel(`inbox-test-${crypto.randomUUID()}`);
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

const ids = (xs: ApplicationRow[]): string[] => xs.map((a) => a.appId);

describe('inbox paging at scale (real IndexedDB)', () => {
  it('the first page is the 50 soonest due, read without loading the rest', async () => {
    for (const user of [
      { login: 'head1', role: 'head' },
      { login: 'exec2', role: 'executor' },
    ] satisfies InboxUser[]) {
      const want = expected(rows, user);
      expect(want.length).toBeGreaterThan(500);
      touched = 0;
      const first = await inboxRows({ model }, user, NOW);
      expect(ids(first)).toEqual(ids(want.slice(0, PAGE_SIZE)));
      // Two queues for an executor (their own and the unassigned), at most a page from each (and
      // the hook does see the rows read).
      expect(touched).toBeGreaterThanOrEqual(PAGE_SIZE);
      expect(touched).toBeLessThanOrEqual(2 * PAGE_SIZE);
    }
  });

  it('pages to the end in due order: executor rule kept, rows without a due date last, none twice', async () => {
    const user: InboxUser = { login: 'exec1', role: 'executor' };
    const want = expected(rows, user);
    const got: ApplicationRow[] = [];
    let after: InboxCursor | null = null;
    let pages = 0;
    do {
      touched = 0;
      const page = await inboxPage(model, user, { after, now: NOW });
      expect(touched).toBeLessThanOrEqual(2 * PAGE_SIZE);
      got.push(...page.rows);
      after = page.next;
      pages++;
    } while (after && pages < 1000);
    expect(ids(got)).toEqual(ids(want));
    expect(got.every((a) => a.role === 'executor' && (a.assignee === 'exec1' || a.assignee === null))).toBe(true);
    const firstWithoutDue = got.findIndex((a) => a.dueAt === null);
    expect(firstWithoutDue).toBeGreaterThan(0);
    expect(got.slice(firstWithoutDue).every((a) => a.dueAt === null)).toBe(true);
  });

  it('marks lateness against the given now, not the stored flag', async () => {
    const page = await inboxRows({ model }, { login: 'head1', role: 'head' }, NOW, 500);
    expect(page.some((a) => a.overdue === 1)).toBe(true);
    for (const a of page) expect(a.overdue === 1).toBe(isLate(a, NOW));
  });

  it('counts the inbox and its late rows on the indexes, reading no row', async () => {
    for (const user of [
      { login: 'clerk1', role: 'clerk' },
      { login: 'exec3', role: 'executor' },
    ] satisfies InboxUser[]) {
      const want = expected(rows, user);
      touched = 0;
      const count = await inboxCount(model, user, NOW);
      expect(touched).toBe(0);
      expect(count).toEqual({ total: want.length, overdue: want.filter((a) => isLate(a, NOW)).length });
    }
  });

  it('keeps the queue keys in step when a row changes (assigned, then closed)', async () => {
    const user: InboxUser = { login: 'exec9', role: 'executor' };
    const row = rows.find((a) => a.role === 'executor' && a.assignee === null && a.dueAt !== null);
    if (!row) throw new Error('fixture');
    await model.applications.put({ ...row, assignee: 'exec9', dueAt: NOW - 1e9 });
    expect(ids(await inboxRows({ model }, user, NOW, 1))).toEqual([row.appId]);
    await model.applications.put({ ...row, status: 'closed', role: null });
    expect((await inboxCount(model, user, NOW)).total).toBe(
      expected(rows, user).filter((a) => a.appId !== row.appId).length,
    );
    await model.applications.put(row);
  });
});
