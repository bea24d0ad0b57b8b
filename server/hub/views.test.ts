import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import leveldown from 'leveldown';
import createAbstractMapReduce from 'pouchdb-abstract-mapreduce';
import PouchDB from 'pouchdb-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { APPS_VIEW, appsMap, appsReduce, deskViewsDocument, type AppEventValue } from '../../shared/couch';
import { HUB_ADAPTER, leveldbAdapter } from './storage';
import { hubViews, viewsPlugin } from './views';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-hub-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const Pouch = PouchDB.plugin(leveldbAdapter).plugin(hubViews);
let n = 0;
interface ViewRow {
  id: string;
  key: unknown;
  value: unknown;
}
/** What the plugin adds (PouchDB's typings for it are not installed: only the hub queries views). */
type Viewed = PouchDB.Database & {
  query: (view: string, opts?: Record<string, unknown>) => Promise<{ rows: ViewRow[] }>;
};
const db = (): Viewed => new Pouch(path.join(dir, `db${++n}`), { adapter: HUB_ADAPTER }) as unknown as Viewed;

/** Events as desks write them, some with a scan, one in conflict. */
function events(): Record<string, unknown>[] {
  const ev = (
    app: string,
    i: number,
    kind: string,
    payload: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    _id: `evt:${app}:${String(i).padStart(3, '0')}:DESK1`,
    type: 'event',
    appId: app,
    hlc: `00000000000${i}-0000`,
    device: 'DESK1',
    kind,
    payload,
  });
  return [
    ev('A1', 1, 'registered', { serviceId: 'svc-1', serviceVersion: 2, variantId: 'main', regNumber: 'ALM01-1' }),
    ev('A1', 2, 'step_completed', { stepId: 'review' }),
    {
      ...ev('A1', 3, 'attachment_added'),
      _attachments: { 'scan.jpg': { content_type: 'image/jpeg', data: Buffer.alloc(300, 1).toString('base64') } },
    },
    ev('A2', 4, 'registered', { serviceId: 'svc-2', serviceVersion: 1, variantId: 'main', regNumber: 'ALM01-2' }),
    ev('A2', 5, 'issued', { outgoingNumber: 'OUT-7' }),
    { _id: 'staff:aigerim', type: 'staff' },
  ];
}

describe('the hub’s views', () => {
  it('index the desks’ view as its own functions say, row for row', async () => {
    const d = db();
    await d.put(deskViewsDocument('test'));
    await d.bulkDocs(events());
    const rows = (await d.query(APPS_VIEW, { reduce: false })).rows;
    // The same functions run here in this realm, over the stored documents (with their revisions).
    const expected: { id: string; key: unknown; value: unknown }[] = [];
    const all = await d.allDocs({ include_docs: true, conflicts: true });
    for (const r of all.rows) {
      if (r.id.startsWith('_design/')) continue;
      const emit = (key: unknown, value: unknown): void => void expected.push({ id: r.id, key, value });
      (globalThis as { emit?: unknown }).emit = emit;
      try {
        appsMap(r.doc as unknown as Record<string, unknown>);
      } finally {
        delete (globalThis as { emit?: unknown }).emit;
      }
    }
    expect(rows.map((r) => ({ id: r.id, key: r.key, value: r.value }))).toEqual(expected);
    expect((rows.find((r) => r.id.includes(':003:'))?.value as AppEventValue).a).toBeGreaterThan(0);
    // group=true: the view's own reduce, per application.
    const grouped = (await d.query(APPS_VIEW, { group: true })).rows;
    const byApp = (app: string): AppEventValue[] =>
      expected.filter((e) => e.key === app).map((e) => e.value as AppEventValue);
    expect(grouped).toEqual([
      { key: 'A1', value: appsReduce(null, byApp('A1'), false) },
      { key: 'A2', value: appsReduce(null, byApp('A2'), false) },
    ]);
  });

  it('compile each function once, not once per document', async () => {
    const d = db();
    await d.put({
      _id: '_design/once',
      views: { v: { map: 'function (doc) { if (doc.n) emit(doc.n, null); }' } },
    });
    await d.bulkDocs(Array.from({ length: 120 }, (_, i) => ({ _id: `d${String(i).padStart(3, '0')}`, n: i + 1 })));
    // pouchdb-mapreduce made a context per document (runInNewContext).
    const contexts = vi.spyOn(vm, 'createContext');
    const perCall = vi.spyOn(vm, 'runInNewContext');
    try {
      const rows = (await d.query('once/v')).rows;
      expect(rows).toHaveLength(120);
      expect(contexts.mock.calls.length + perCall.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      contexts.mockRestore();
      perCall.mockRestore();
    }
  });

  it('run in a sandbox: no Node globals, and a map that alters its document alters no other view’s', async () => {
    const d = db();
    await d.put({
      _id: '_design/sandbox',
      views: {
        globals: { map: 'function (doc) { emit([typeof process, typeof require, typeof globalThis.Buffer], null); }' },
        alters: { map: 'function (doc) { doc.n = -1; emit(doc._id, doc.n); }' },
        reads: { map: 'function (doc) { emit(doc._id, doc.n); }' },
      },
    });
    await d.put({ _id: 'x', n: 7 });
    expect((await d.query('sandbox/globals')).rows[0]?.key).toEqual(['undefined', 'undefined', 'undefined']);
    expect((await d.query('sandbox/alters')).rows[0]?.value).toBe(-1);
    expect((await d.query('sandbox/reads')).rows[0]?.value).toBe(7);
  });

  it('reduce with CouchDB’s built-ins and with a function of the design document', async () => {
    const d = db();
    await d.put({
      _id: '_design/r',
      views: {
        count: { map: 'function (doc) { emit(doc.g, doc.n); }', reduce: '_count' },
        sum: { map: 'function (doc) { emit(doc.g, doc.n); }', reduce: '_sum' },
        stats: { map: 'function (doc) { emit(doc.g, doc.n); }', reduce: '_stats' },
        custom: {
          map: 'function (doc) { emit(doc.g, doc.n); }',
          reduce: 'function (keys, values, rereduce) { return sum(values) * 10; }',
        },
      },
    });
    await d.bulkDocs([
      { _id: 'a', g: 'x', n: 2 },
      { _id: 'b', g: 'x', n: 3 },
      { _id: 'c', g: 'y', n: 4 },
    ]);
    const q = async (v: string): Promise<unknown[]> =>
      (await d.query(`r/${v}`, { group: true })).rows.map((r) => [r.key, r.value]);
    expect(await q('count')).toEqual([
      ['x', 2],
      ['y', 1],
    ]);
    expect(await q('sum')).toEqual([
      ['x', 5],
      ['y', 4],
    ]);
    expect(await q('stats')).toEqual([
      ['x', { sum: 5, min: 2, max: 3, count: 2, sumsqr: 13 }],
      ['y', { sum: 4, min: 4, max: 4, count: 1, sumsqr: 16 }],
    ]);
    expect(await q('custom')).toEqual([
      ['x', 50],
      ['y', 40],
    ]);
  });

  it('keep the index up to date as documents change', async () => {
    const d = db();
    await d.put({ _id: '_design/u', views: { v: { map: 'function (doc) { emit(doc.n, null); }' } } });
    const put = await d.put({ _id: 'k', n: 1 });
    expect((await d.query('u/v')).rows.map((r) => r.key)).toEqual([1]);
    await d.put({ _id: 'k', _rev: put.rev, n: 2 });
    await d.put({ _id: 'm', n: 3 });
    expect((await d.query('u/v')).rows.map((r) => r.key)).toEqual([2, 3]);
  });
});

/** Whether this process can open the LevelDB at `location`: not while a handle of it is open (its lock). */
function canOpen(location: string): Promise<boolean> {
  const down = leveldown(location) as unknown as {
    open: (o: { createIfMissing: boolean }, cb: (err?: Error | null) => void) => void;
    close: (cb: () => void) => void;
  };
  return new Promise((resolve) =>
    down.open({ createIfMissing: false }, (err) => (err ? resolve(false) : down.close(() => resolve(true)))),
  );
}
async function closedWithin(location: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await canOpen(location)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

describe('the hub’s view indexes, closed when idle', () => {
  const Idle = PouchDB.plugin(leveldbAdapter).plugin(viewsPlugin(createAbstractMapReduce, { closeIdleAfterMs: 30 }));
  const idleDb = (name: string): Viewed =>
    new Idle(path.join(dir, name), { adapter: HUB_ADAPTER }) as unknown as Viewed;
  const viewDir = (name: string): string => {
    const found = readdirSync(dir).find((f) => f.startsWith(`${name}-mrview-`));
    if (!found) throw new Error(`no view index for ${name}`);
    return path.join(dir, found);
  };

  it('close a view’s LevelDB after its last query (its tables unmapped), and open it again for the next', async () => {
    const d = idleDb('idle1');
    await d.put(deskViewsDocument('test'));
    await d.bulkDocs(events());
    const before = (await d.query(APPS_VIEW, { reduce: false })).rows;
    expect(before.length).toBeGreaterThan(0);
    const index = viewDir('idle1');
    // Held open by the hub: a second handle cannot take its lock.
    expect(await canOpen(index)).toBe(false);
    expect(await closedWithin(index, 5_000)).toBe(true);
    // Opened again, and up to date with what came meanwhile.
    await d.put({
      _id: 'evt:A3:009:DESK1',
      type: 'event',
      appId: 'A3',
      hlc: '000000000009-0000',
      device: 'DESK1',
      kind: 'registered',
      payload: {},
    });
    const after = (await d.query(APPS_VIEW, { reduce: false })).rows;
    expect(after.map((r) => r.id)).toEqual([...before.map((r) => r.id), 'evt:A3:009:DESK1']);
    expect(await canOpen(index)).toBe(false);
  });

  it('answer every query while closes come and go between them, and update after a stale=update_after answer without ending the process', async () => {
    const d = idleDb('idle2');
    await d.put({ _id: '_design/u', views: { v: { map: 'function (doc) { emit(doc.n, null); }' } } });
    await d.bulkDocs(Array.from({ length: 50 }, (_, i) => ({ _id: `k${String(i).padStart(2, '0')}`, n: i })));
    const keys = async (opts: Record<string, unknown> = {}): Promise<unknown[]> =>
      (await d.query('u/v', opts)).rows.map((r) => r.key);
    const all = Array.from({ length: 50 }, (_, i) => i);
    // Queries at random moments around the 30 ms after each: some land in a close, some after it.
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, (i * 13) % 97));
        return keys();
      }),
    );
    for (const a of answers) expect(a).toEqual(all);
    // New documents, asked for with update_after: the old index answers, then it is brought up to date.
    await d.bulkDocs([
      { _id: 'k50', n: 50 },
      { _id: 'k51', n: 51 },
    ]);
    expect(await keys({ stale: 'update_after' })).toEqual(all);
    const deadline = Date.now() + 5_000;
    let seen = await keys({ stale: 'ok' });
    while (seen.length < 52 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      seen = await keys({ stale: 'ok' });
    }
    expect(seen).toEqual([...all, 50, 51]);
    // And closed once it is all done.
    expect(await closedWithin(viewDir('idle2'), 5_000)).toBe(true);
  });

  it('answer through a callback as express-pouchdb asks', async () => {
    const d = idleDb('idle3');
    await d.put({ _id: '_design/u', views: { v: { map: 'function (doc) { emit(doc.n, null); }' } } });
    await d.put({ _id: 'a', n: 1 });
    const rows = await new Promise<unknown>((resolve, reject) =>
      (d as unknown as { query: (v: string, o: object, cb: (e: Error | null, r?: unknown) => void) => void }).query(
        'u/v',
        {},
        (e, r) => (e ? reject(e) : resolve(r)),
      ),
    );
    expect(rows).toMatchObject({ rows: [{ key: 1 }] });
  });
});
