import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { deskViewsDocument, fieldSelector, widening } from '@shared/couch';
import { contentEventId } from '@shared/events';
import { fieldPull, readField, refreshFieldScope, widenFieldScope } from './field';
import { openOfficeDb, type OfficeDb } from '../store/officeDb';
import { PouchDB } from '../store/pouch';
import { startSync } from './sync';

/**
 * A field laptop against a real CouchDB-protocol server (the dev central on loopback) into a real
 * IndexedDB replica: it holds the open applications assigned to its worker and her recent ones,
 * not a colleague's nor her old closed ones; an assignment written on the server later brings that
 * application with its whole history; a colleague's new work never arrives.
 */
const central = inject('central');
const auth = { username: central.user, password: central.password };
const adminHeaders = {
  authorization: 'Basic ' + btoa(`${central.user}:${central.password}`),
  'content-type': 'application/json',
};
const DAY = 86_400_000;
const RECENT = { recentDays: 30 };
const NOW = Date.now();

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

const people = {
  clerk: { login: 'aigerim', role: 'clerk' },
  head: { login: 'bolat', role: 'head' },
  dana: { login: 'dana', role: 'executor' },
  erlan: { login: 'erlan', role: 'executor' },
} as const;

let seq = 0;
let regs = 0;
function event(
  appId: string,
  kind: string,
  actor: { login: string; role: string },
  daysAgo: number,
  payload: Record<string, unknown> = {},
): Record<string, unknown> {
  seq++;
  const at = NOW - daysAgo * DAY + seq;
  const content = {
    type: 'event',
    v: 1,
    appId,
    hlc: `${String(at).padStart(15, '0')}-0000`,
    device: 'D1',
    kind,
    office: 'ALM01',
    at: new Date(at).toISOString(),
    actor,
    payload,
  };
  return { _id: contentEventId(content), ...content };
}
const registered = (appId: string, daysAgo: number): Record<string, unknown> =>
  event(appId, 'registered', people.clerk, daysAgo, {
    serviceId: 's',
    serviceVersion: '1',
    variantId: 'v',
    regNumber: `ALM01-D01-${String(++regs).padStart(6, '0')}`,
  });
const assigned = (appId: string, to: string, daysAgo: number): Record<string, unknown> =>
  event(appId, 'resolution', people.head, daysAgo, { stepId: 's2', executor: to, executorName: to });

/** The office on the server: four applications as the issue describes them, a directory entry. */
async function serverOffice(): Promise<{ remote: PouchDB.Database; url: string }> {
  const name = `kense_field_${Math.random().toString(36).slice(2, 10)}`;
  const url = `${central.url}/${name}`;
  expect((await fetch(url, { method: 'PUT', headers: adminHeaders })).status).toBe(201);
  cleanup.push(async () => void (await fetch(url, { method: 'DELETE', headers: adminHeaders })));
  const remote = new PouchDB(url, { adapter: 'http', auth, skip_setup: true });
  cleanup.push(() => remote.close());
  await remote.put(deskViewsDocument('test'));
  await remote.bulkDocs([
    // Open, assigned to her three weeks ago... (open: held, however old)
    registered('MINE_OPEN', 60),
    assigned('MINE_OPEN', 'dana', 59),
    // ...a colleague's, open (not hers)...
    registered('COLLEAGUE_OPEN', 10),
    assigned('COLLEAGUE_OPEN', 'erlan', 9),
    // ...hers, closed long ago (not held)...
    registered('MINE_OLD', 200),
    assigned('MINE_OLD', 'dana', 199),
    event('MINE_OLD', 'step_done', people.dana, 198, { stepId: 's2' }),
    event('MINE_OLD', 'issued', people.clerk, 190, { stepId: 's4' }),
    // ...hers, closed last week (her recent work: held).
    registered('MINE_RECENT', 20),
    assigned('MINE_RECENT', 'dana', 19),
    event('MINE_RECENT', 'step_done', people.dana, 8, { stepId: 's2' }),
    event('MINE_RECENT', 'issued', people.clerk, 7, { stepId: 's4' }),
    { _id: 'staff:dana', login: 'dana', fullName: 'Омарова Дана' },
  ] as PouchDB.Core.PutDocument<object>[]);
  return { remote, url };
}

async function fieldLaptop(): Promise<OfficeDb> {
  const office = await openOfficeDb('ALM01', { name: `field_${Math.random().toString(36).slice(2, 8)}` });
  cleanup.push(() => office.db.destroy());
  return office;
}

/** The applications whose events this replica holds. */
async function appsHeld(db: PouchDB.Database): Promise<string[]> {
  const all = await db.allDocs({ include_docs: true, startkey: 'evt:', endkey: 'evt:\ufff0' });
  return [...new Set(all.rows.map((r) => (r.doc as unknown as { appId: string }).appId))].sort();
}
async function eventsOf(db: PouchDB.Database, appId: string): Promise<string[]> {
  const all = await db.allDocs({ include_docs: true, startkey: 'evt:', endkey: 'evt:\ufff0' });
  return all.rows
    .filter((r) => (r.doc as unknown as { appId: string }).appId === appId)
    .map((r) => r.id)
    .sort();
}

describe('a field laptop (real server, real IndexedDB)', () => {
  it('holds the open applications assigned to her and her recent ones, with the staff directory', async () => {
    const { remote } = await serverOffice();
    const office = await fieldLaptop();
    const state = await refreshFieldScope(office, remote, people.dana, RECENT, { now: () => NOW });
    expect(state.scope).toEqual(['MINE_OPEN', 'MINE_RECENT']);
    expect(await appsHeld(office.db)).toEqual(['MINE_OPEN', 'MINE_RECENT']);
    // Each held application whole, as on the server.
    const onServer = await appsHeld(remote);
    expect(onServer).toEqual(['COLLEAGUE_OPEN', 'MINE_OLD', 'MINE_OPEN', 'MINE_RECENT']);
    expect(await eventsOf(office.db, 'MINE_RECENT')).toEqual(await eventsOf(remote, 'MINE_RECENT'));
    expect((await office.db.get('staff:dana')) as object).toMatchObject({ login: 'dana' });
    // Where the live pull starts, and who the scope is for, are kept on the laptop.
    expect(await readField(office.db)).toMatchObject({ login: 'dana', scope: state.scope });
    expect(state.since).not.toBeNull();
    // A clerk's field laptop holds every open application of the office (each may reach her step).
    const clerks = await fieldLaptop();
    const told: string[] = [];
    const clerkState = await refreshFieldScope(clerks, remote, people.clerk, RECENT, {
      now: () => NOW,
      onNumbers: (given) => void told.push(...given),
    });
    expect(clerkState.scope).toEqual(['COLLEAGUE_OPEN', 'MINE_OPEN', 'MINE_RECENT']);
    // Every number the office's registrations gave out, held here or not: a reused desk code
    // numbers after them.
    const numbers = (await remote.allDocs({ include_docs: true })).rows
      .map((r) => (r.doc as { payload?: { regNumber?: string } }).payload?.regNumber)
      .filter((n): n is string => typeof n === 'string');
    expect(told.sort()).toEqual(numbers.sort());
    expect(told).toHaveLength(4);
  });

  it('the live pull brings her applications’ new events and a new assignment with its history, nothing of a colleague’s', async () => {
    const { remote } = await serverOffice();
    const office = await fieldLaptop();
    let state = await refreshFieldScope(office, remote, people.dana, RECENT, { now: () => NOW });
    const scope = new Set(state.scope);
    const widened: string[][] = [];
    const handle = startSync(office.db, remote, {
      target: 'central',
      onChange: () => undefined,
      pull: fieldPull(state, people.dana),
      onPulled: (docs) => {
        const added = widening(scope, docs);
        for (const id of added) scope.add(id);
        if (added.length > 0) widened.push(added);
      },
      heartbeatMs: 200,
    });
    cleanup.push(() => handle.stop());
    // Written on the server after the scope was decided.
    const later = [
      event('MINE_OPEN', 'step_done', people.dana, 0, { stepId: 's2' }), // on her application, from another desk
      event('COLLEAGUE_OPEN', 'step_done', people.erlan, 0, { stepId: 's2' }), // a colleague's work
      registered('NEW_COLLEAGUE', 0), // a new application, not given to her
      registered('GIVEN', 3), // an application registered before...
      assigned('GIVEN', 'dana', 0), // ...and now given to her
    ];
    await remote.bulkDocs(later as PouchDB.Core.PutDocument<object>[]);
    await vi.waitFor(
      async () => {
        expect(await eventsOf(office.db, 'MINE_OPEN')).toEqual(await eventsOf(remote, 'MINE_OPEN'));
        expect(widened).toEqual([['GIVEN']]);
      },
      { timeout: 20_000, interval: 100 },
    );
    // The assignment came through the selector; the application's earlier events come by id.
    expect(await eventsOf(office.db, 'GIVEN')).toEqual([String(later[4]?.['_id'])]);
    state = await widenFieldScope(office, remote, ['GIVEN']);
    expect(state.scope).toEqual(['GIVEN', 'MINE_OPEN', 'MINE_RECENT']);
    expect(await eventsOf(office.db, 'GIVEN')).toEqual(await eventsOf(remote, 'GIVEN'));
    await handle.stop();
    expect(await appsHeld(office.db)).toEqual(['GIVEN', 'MINE_OPEN', 'MINE_RECENT']);
  });

  it('asks the server exactly as CouchDB 3 documents it: POST _changes?filter=_selector', async () => {
    const { url } = await serverOffice();
    const res = await fetch(`${url}/_changes?filter=_selector`, {
      method: 'POST',
      headers: { ...adminHeaders },
      body: JSON.stringify({ selector: fieldSelector(['MINE_OPEN'], 'dana', 'executor') }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { id: string }[] };
    const ids = results.map((r) => r.id);
    // The design document, the directory; her application's events; events she wrote or that name her.
    expect(ids).toContain('_design/kense_desk');
    expect(ids).toContain('staff:dana');
    const byApp = new Map<string, number>();
    for (const id of ids.filter((i) => i.startsWith('evt:'))) {
      const app = id.split(':')[1] ?? '';
      byApp.set(app, (byApp.get(app) ?? 0) + 1);
    }
    // MINE_OPEN whole (2); MINE_OLD and MINE_RECENT: only the events naming her or hers (2 each).
    expect(Object.fromEntries(byApp)).toEqual({ MINE_OPEN: 2, MINE_OLD: 2, MINE_RECENT: 2 });
  });
});
