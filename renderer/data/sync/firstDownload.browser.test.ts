import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { deskViewsDocument, isProbablyOpen, type AppSummary } from '@shared/couch';
import { contentEventId } from '@shared/events';
import { adminHeaders as adminHeadersOf, eventFactory } from '../../../tests/fixtures/centralEvents';
import {
  FIRST_DOWNLOAD_LINE,
  firstDownload,
  forgetHandOver,
  isFirstDownloadDone,
  pullSinceAfterDownload,
  pushSinceAfterDownload,
  needsFirstDownload,
  queryDeskView,
  readServerEvents,
  SCANS_PER_REQUEST,
  type FirstDownloadProgress,
  type ServerEvents,
} from './firstDownload';
import { planBatches, SCANS_PER_BATCH } from './downloadPlan';
import { docsOfAnswers } from '../store/bulkGet';
import { openOfficeDb, REPLICATED_SLICE_DOCS, type OfficeDb } from '../store/officeDb';
import { PouchDB } from '../store/pouch';
import { throwawayDeskKeys } from '../seal/deskKeys';
import { openRemote, startSync, type SyncSnapshot } from './sync';
import { inlineViewPages, openViewPages, type ViewPages } from './viewPages';

/**
 * The first download against a real CouchDB-protocol server (the dev central on loopback), into a
 * real IndexedDB replica: open applications first, in large `_bulk_get` batches, every revision
 * and conflict as on the server, resumable, and nothing fetched again by the live replication after.
 */
const central = inject('central');
const auth = { username: central.user, password: central.password };
const adminHeaders = adminHeadersOf(central);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

const event = eventFactory('D1');

/** A server database of its own with the desks' view: two closed applications, three open, a directory entry, a conflict. */
async function serverOffice(): Promise<{ remote: PouchDB.Database; open: string[]; closed: string[] }> {
  const name = `kense_fd_${Math.random().toString(36).slice(2, 10)}`;
  const url = `${central.url}/${name}`;
  expect((await fetch(url, { method: 'PUT', headers: adminHeaders })).status).toBe(201);
  cleanup.push(async () => void (await fetch(url, { method: 'DELETE', headers: adminHeaders })));
  const remote = new PouchDB(url, { adapter: 'http', auth, skip_setup: true });
  cleanup.push(() => remote.close());
  await remote.put(deskViewsDocument('test'));
  const closed = ['CLOSED1', 'CLOSED2'];
  const open = ['OPEN1', 'OPEN2', 'OPEN3'];
  const docs: Record<string, unknown>[] = [];
  // The closed applications were registered at desk D1, which sent a letter for the second.
  for (const [i, appId] of closed.entries())
    docs.push(
      event(appId, 'registered', {
        serviceId: 's',
        serviceVersion: '1',
        variantId: 'v',
        regNumber: `ALM01-D1-00000${String(i + 7)}`,
      }),
      event(appId, 'step_done', { stepId: 's1' }),
      event(appId, 'issued', { stepId: 's2', ...(i === 1 ? { outgoingNumber: 'ALM01-D1/000003' } : {}) }),
    );
  for (const appId of open)
    docs.push(
      event(appId, 'registered', { serviceId: 's', serviceVersion: '1', variantId: 'v' }),
      event(appId, 'step_done', { stepId: 's1' }),
    );
  docs.push({ _id: 'staff:dana', login: 'dana', fullName: 'Дана' });
  await remote.bulkDocs(docs as PouchDB.Core.PutDocument<object>[]);
  // A conflicting revision of one open application's event, as another desk's replication leaves one.
  const target = docs.find((d) => d['appId'] === 'OPEN2') as { _id: string };
  await remote.bulkDocs(
    [{ ...target, note: 'other', _rev: '1-ffffffffffffffffffffffffffffffff', _revisions: undefined }],
    { new_edits: false },
  );
  return { remote, open, closed };
}

/** `n` closed applications of four events each (`<prefix>000`…), as the server takes them. */
function closedOfFour(prefix: string, n: number): PouchDB.Core.PutDocument<object>[] {
  const docs: PouchDB.Core.PutDocument<object>[] = [];
  for (let i = 0; i < n; i++) {
    const appId = `${prefix}${String(i).padStart(3, '0')}`;
    docs.push(
      event(appId, 'registered', { serviceId: 's', serviceVersion: '1', variantId: 'v' }),
      event(appId, 'step_done', { stepId: 's1' }),
      event(appId, 'step_done', { stepId: 's2' }),
      event(appId, 'issued', { stepId: 's3' }),
    );
  }
  return docs;
}

/** `n` closed applications of three events each (PAST000…), after the open ones in the view's order. */
async function addHistory(remote: PouchDB.Database, n: number): Promise<void> {
  const history: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const appId = `PAST${String(i).padStart(3, '0')}`;
    history.push(
      event(appId, 'registered', { serviceId: 's', serviceVersion: '1', variantId: 'v' }),
      event(appId, 'step_done', { stepId: 's1' }),
      event(appId, 'issued', { stepId: 's2' }),
    );
  }
  await remote.bulkDocs(history as PouchDB.Core.PutDocument<object>[]);
}

async function localOffice(opts: { replicaWorker?: false } = {}): Promise<OfficeDb> {
  const office = await openOfficeDb('ALM01', { name: `fd_${Math.random().toString(36).slice(2, 8)}`, ...opts });
  cleanup.push(async () => {
    await office.close();
    await new PouchDB(office.name, { adapter: 'indexeddb' }).destroy();
  });
  return office;
}

/** Tells `seen` what each `_bulk_get` request to the server asks for, as it goes. */
function onBulkGet(remote: PouchDB.Database, seen: (docs: { id: string; rev: string }[]) => void): void {
  const http = remote as unknown as { fetch: (path: string, init?: RequestInit) => Promise<Response> };
  const fetchHere = http.fetch.bind(http);
  http.fetch = (path, init) => {
    if (path.startsWith('_bulk_get')) {
      // Text made here, or bytes the view worker made.
      const body = init?.body instanceof ArrayBuffer ? new TextDecoder().decode(init.body) : (init?.body as string);
      seen((JSON.parse(body) as { docs: { id: string; rev: string }[] }).docs);
    }
    return fetchHere(path, init);
  };
}

/** What each `_bulk_get` asked of the server, as `measure` counts it. */
function requested(remote: PouchDB.Database, measure: (docs: { id: string }[]) => number): number[] {
  const seen: number[] = [];
  onBulkGet(remote, (docs) => seen.push(measure(docs)));
  return seen;
}

/** Every document and revision (winner and conflicts) of a database, design documents aside. */
async function revisions(db: PouchDB.Database): Promise<string[]> {
  const all = await db.allDocs({ include_docs: true, conflicts: true });
  return all.rows
    .filter((r) => !r.id.startsWith('_design/'))
    .flatMap((r) => {
      const doc = r.doc as { _conflicts?: string[] } | undefined;
      return [`${r.id}@${r.value.rev}`, ...(doc?._conflicts ?? []).map((c) => `${r.id}@${c}`)];
    })
    .sort();
}

describe('a first download (real server, real IndexedDB)', () => {
  it('brings every document and conflict as the server has them, open applications first, with progress', async () => {
    const { remote, open, closed } = await serverOffice();
    const office = await localOffice();
    const seen: FirstDownloadProgress[] = [];
    expect(await needsFirstDownload(office.db)).toBe(true);
    // Small pages and batches: the view is read in pages that end inside an application, three requests in flight.
    const opts = { batchDocs: 4, pageRows: 5, inFlight: 3, onProgress: (p: FirstDownloadProgress) => seen.push(p) };
    expect(await firstDownload(office, remote, opts)).toBe('done');

    expect(await revisions(office.db)).toEqual(await revisions(remote));
    // In the order they landed: the directory, then every open application's events before a closed one's.
    const landed = (await office.db.changes({ since: 0 })).results.map((r) => r.id);
    const appOf = (id: string): string => id.split(':')[1] ?? '';
    const events = landed.filter((id) => id.startsWith('evt:'));
    const lastOpen = Math.max(...open.map((a) => events.findLastIndex((id) => appOf(id) === a)));
    const firstClosed = Math.min(...closed.map((a) => events.findIndex((id) => appOf(id) === a)));
    expect(lastOpen).toBeLessThan(firstClosed);
    expect(landed.indexOf('staff:dana')).toBeLessThan(landed.indexOf(events[0] ?? ''));

    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ docs: 14, totalDocs: 14, apps: 5, totalApps: 5, openDone: true, etaMs: 0 });
    // The inbox's applications were complete while the history was still to come.
    expect(seen.some((p) => p.openDone && p.totalApps !== null && p.apps < p.totalApps)).toBe(true);
    expect(await isFirstDownloadDone(office.db)).toBe(true);
    expect(await firstDownload(office, remote)).toBe('alreadyDone');
    expect(await needsFirstDownload(office.db)).toBe(false);

    // The live replication takes over and fetches nothing again.
    const pull = await PouchDB.replicate(remote, office.db, {});
    expect(pull.docs_written).toBe(0);
  });

  it('with its default batches, the open applications land in batches of their own, before any history', async () => {
    const { remote } = await serverOffice();
    const office = await localOffice();
    const seen: FirstDownloadProgress[] = [];
    // The whole office fits one default batch: the open applications must still come on their own.
    expect(await firstDownload(office, remote, { onProgress: (p) => seen.push(p) })).toBe('done');
    const inboxWhole = seen.find((p) => p.openDone);
    // The directory (staff:dana, the design document) and the three open applications' six events
    // (one of them with a conflicting revision): the two closed applications' not yet.
    expect(inboxWhole).toMatchObject({ apps: 3, totalApps: 5, docs: 2 + 6, totalDocs: 14 });
    expect(seen[seen.length - 1]).toMatchObject({ apps: 5, docs: 14, openDone: true });
  });

  /** A history larger than a window's slice, and what the window's own `bulkDocs` wrote of a first download. */
  async function downloadHistory(office: OfficeDb): Promise<{ fetched: number[]; written: number[] }> {
    const { remote } = await serverOffice();
    // A history larger than a slice: 300 closed applications of four events (1,200 in all).
    await remote.bulkDocs(closedOfFour('HIST', 300));
    const fetched = requested(remote, (docs) => docs.length);
    // Every write of downloaded documents goes through the replica's bulkDocs (new_edits: false).
    const written: number[] = [];
    const db = office.db as unknown as { bulkDocs: (...args: unknown[]) => unknown };
    const bulkDocs = db.bulkDocs.bind(db);
    db.bulkDocs = (...args) => {
      const [docs, opts] = args;
      if (Array.isArray(docs) && (opts as { new_edits?: boolean } | undefined)?.new_edits === false)
        written.push(docs.length);
      return bulkDocs(...args);
    };
    // The default batches (2,000 events per _bulk_get): the history comes in one request.
    expect(await firstDownload(office, remote)).toBe('done');
    expect(Math.max(...fetched)).toBeGreaterThan(REPLICATED_SLICE_DOCS);
    expect(await revisions(office.db)).toEqual(await revisions(remote));
    expect(await isFirstDownloadDone(office.db)).toBe(true);
    return { fetched, written };
  }

  it('writes an office larger than a window’s slice on the replica writer’s worker: none of it through the window', async () => {
    const office = await localOffice();
    const { written } = await downloadHistory(office);
    // The worker started as soon as the view's first page told the office's size (1,215
    // documents): the open applications went to it too. The directory (two documents, fetched
    // beside that page) may have come first, and then went through the window.
    expect(written.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2);
    // The window's connection reads what the worker wrote, and writes after it.
    const info = await office.db.info();
    expect(info.doc_count).toBe(14 + 1200);
    await office.db.put({ _id: 'evt:MINE:1:D1', n: 1 });
    expect((await office.db.info()).doc_count).toBe(14 + 1200 + 1);
  });

  it('without the worker, writes each fetched batch in slices, so no write holds the window for long', async () => {
    const office = await localOffice({ replicaWorker: false });
    const { written } = await downloadHistory(office);
    expect(Math.max(...written)).toBeLessThanOrEqual(REPLICATED_SLICE_DOCS);
    // Each revision once: the office's 14 documents, one conflicting revision, the history.
    expect(written.reduce((a, b) => a + b, 0)).toBe(14 + 1 + 1200);
  });

  it('fetches scans a few per request, so that no answer holds hundreds of them', async () => {
    const { remote } = await serverOffice();
    // Ten closed applications with five photos each (50 scans of 20 KB), as home visits leave them.
    const photo = btoa(String.fromCharCode(...Array.from({ length: 20_000 }, (_, i) => (i * 13) % 256)));
    const scanIds = new Set<string>();
    const history: Record<string, unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      const appId = `VISIT${String(i)}`;
      history.push(event(appId, 'registered', { serviceId: 's', serviceVersion: '1', variantId: 'v' }));
      for (let k = 0; k < 5; k++) {
        // Photos on attachment_added events, and (as older data may have them) on other events.
        const e = event(appId, k % 2 === 0 ? 'attachment_added' : 'note_added', { name: `p${String(k)}.jpg` });
        scanIds.add(String(e['_id']));
        history.push({ ...e, _attachments: { [`p${String(k)}.jpg`]: { content_type: 'image/jpeg', data: photo } } });
      }
      history.push(event(appId, 'issued', { stepId: 's3' }));
    }
    await remote.bulkDocs(history as PouchDB.Core.PutDocument<object>[]);
    // Counted per application as the view is read.
    const { scansPerApp, revisions: reading } = await readServerEvents(remote, 7);
    reading.close();
    expect([...scansPerApp].sort()).toEqual(Array.from({ length: 10 }, (_, i) => [`VISIT${String(i)}`, 5]));
    const office = await localOffice();
    const perRequest = requested(remote, (docs) => docs.filter((d) => scanIds.has(d.id)).length);
    // And a batch (what the window holds until written) takes whole applications up to SCANS_PER_BATCH scans.
    const perBatch: number[] = [];
    const write = office.writeReplicated.bind(office);
    office.writeReplicated = (docs, ...rest) => {
      const list = Array.isArray(docs) ? docs : docsOfAnswers(docs.answers);
      perBatch.push(list.filter((d) => scanIds.has((d as { _id: string })._id)).length);
      return write(docs, ...rest);
    };
    expect(await firstDownload(office, remote)).toBe('done');
    expect(perRequest.reduce((a, b) => a + b, 0)).toBe(50);
    expect(Math.max(...perRequest)).toBeLessThanOrEqual(SCANS_PER_REQUEST);
    expect(Math.max(...perBatch)).toBeLessThanOrEqual(SCANS_PER_BATCH);
    expect(perBatch.reduce((a, b) => a + b, 0)).toBe(50);
    expect(await revisions(office.db)).toEqual(await revisions(remote));
    const one = [...scanIds][7] as string;
    const here = await office.db.get<object>(one, { attachments: true });
    expect(Object.values(here._attachments ?? {})[0]).toMatchObject({ content_type: 'image/jpeg', data: photo });
  });

  it('tells the numbers the history gave out before fetching any of the history', async () => {
    const { remote } = await serverOffice();
    const office = await localOffice();
    const calls: string[] = [];
    onBulkGet(remote, (docs) => calls.push(docs.some((d) => d.id.includes(':CLOSED')) ? 'history' : 'inbox'));
    let given: readonly string[] = [];
    await firstDownload(office, remote, {
      onNumbers: (g) => {
        calls.push('numbers');
        given = g;
      },
    });
    expect([...given].sort()).toEqual(['ALM01-D1-000007', 'ALM01-D1-000008', 'ALM01-D1/000003']);
    expect(calls.filter((c) => c === 'numbers')).toHaveLength(1);
    expect(calls.indexOf('numbers')).toBeLessThan(calls.indexOf('history'));
  });

  it('fetches the open applications of each page of the view while the next page is read', async () => {
    const { remote, open } = await serverOffice();
    // Twenty closed applications after the open ones in the view's order: 60 rows more, 15 pages of 5.
    await addHistory(remote, 20);
    const calls: string[] = [];
    const http = remote as unknown as { fetch: (path: string, init?: RequestInit) => Promise<Response> };
    const fetchHere = http.fetch.bind(http);
    http.fetch = (path, init) => {
      if (path.includes('/_view/apps')) calls.push('view');
      return fetchHere(path, init);
    };
    onBulkGet(remote, (docs) => {
      if (docs.some((d) => open.some((a) => d.id.includes(`:${a}:`)))) calls.push('inbox');
    });
    const office = await localOffice();
    const seen: FirstDownloadProgress[] = [];
    expect(await firstDownload(office, remote, { pageRows: 5, onProgress: (p) => seen.push(p) })).toBe('done');
    expect(calls.filter((c) => c === 'view').length).toBeGreaterThan(10);
    // The inbox's events were asked for before the view's last page.
    expect(calls.indexOf('inbox')).toBeLessThan(calls.lastIndexOf('view'));
    // While the view was being read, the documents in all came from its row count (72 events, the
    // directory's two documents); the applications in all only once it was read to its end.
    expect(seen[0]).toMatchObject({ totalDocs: 74, totalApps: null, openDone: false });
    expect(seen[seen.length - 1]).toMatchObject({ docs: 74, totalDocs: 74, apps: 25, totalApps: 25, openDone: true });
    expect(await revisions(office.db)).toEqual(await revisions(remote));
  });

  it('reads the view in pages, each application summarised as the server’s group=true gives it', async () => {
    const { remote } = await serverOffice();
    const grouped = await queryDeskView<AppSummary>(remote, 'group=true');
    for (const pageRows of [1, 2, 5, 10_000]) {
      const { summaries, revisions } = await readServerEvents(remote, pageRows);
      expect(summaries).toEqual(grouped.rows.map((r) => ({ key: r.key, value: r.value })));
      // Twelve events and one conflicting revision, each once.
      const revs = (await revisions.revisions(null)).map((r) => `${r.id}@${r.rev}`);
      revisions.close();
      expect(new Set(revs).size).toBe(13);
      expect(revs.length).toBe(13);
    }
  });

  it('reads the view in its worker, the pages’ bodies handed over as they came, as the view read here reads it', async () => {
    const { remote } = await serverOffice();
    // 700 applications of four events (2,800 rows and the office's 12): pages of 999 part
    // applications' rows between them.
    await remote.bulkDocs(closedOfFour('PIECE', 700));
    const grouped = await queryDeskView<AppSummary>(remote, 'group=true');
    const read = async (pages: ViewPages, pageRows: number): Promise<ServerEvents> => {
      const left: number[] = [];
      const watched: ViewPages = {
        where: pages.where,
        page: async (body, rows) => {
          const p = await pages.page(body, rows);
          left.push(body.byteLength);
          return p;
        },
        end: () => pages.end(),
        requests: (appIds, keep) => pages.requests(appIds, keep),
        revisions: (appIds, keep) => pages.revisions(appIds, keep),
        history: (only, size, keep) => pages.history(only, size, keep),
        close: () => pages.close(),
      };
      const events = await readServerEvents(remote, pageRows, undefined, undefined, watched);
      // Handed to the worker, a body is no longer the window's (transferred, not copied).
      if (pages.where === 'worker') expect(left.every((n) => n === 0)).toBe(true);
      return events;
    };
    for (const pageRows of [999, 10_000]) {
      const worker = openViewPages();
      expect(worker.where).toBe('worker');
      const there = await read(worker, pageRows);
      const here = await read(inlineViewPages(), pageRows);
      expect(there.summaries).toEqual(grouped.rows.map((r) => ({ key: r.key, value: r.value })));
      const revisions = await there.revisions.revisions(null, true);
      expect(revisions).toHaveLength(2800 + 13);
      expect(revisions).toEqual(await here.revisions.revisions(null, true));
      // A batch's requests: made there as bytes (the window holds no revision), the same as here.
      const batch = there.summaries.slice(0, 300).map((a) => a.key);
      const made = await there.revisions.requests(batch);
      expect(made.bodies.every((b) => b instanceof ArrayBuffer)).toBe(true);
      const text = (b: ArrayBuffer | string): string => (typeof b === 'string' ? b : new TextDecoder().decode(b));
      expect(made.bodies.map(text)).toEqual((await here.revisions.requests(batch)).bodies.map(text));
      const docs = made.bodies.flatMap((b) => (JSON.parse(text(b)) as { docs: unknown[] }).docs);
      expect(made.asked).toBe(docs.length);
      expect(made.asked).toBeGreaterThanOrEqual(300);
      // Taken: not held there any more.
      expect(await there.revisions.revisions(batch)).toEqual([]);
      // The history planned there (its summaries are there), as planned from the server's own
      // group=true: the 700 closed applications, newest first, in batches of about 1,000 events.
      const history = await there.revisions.history(null, 1000);
      const closed = grouped.rows.filter((r) => !isProbablyOpen(r.value));
      expect(closed.length).toBeGreaterThanOrEqual(700);
      expect(history).toEqual(planBatches(closed, () => 0, 1000));
      expect(history).toEqual(await here.revisions.history(null, 1000));
      expect(history.length).toBeGreaterThan(2);
      // Planned once: not held there any more.
      expect(await there.revisions.history(null, 1000)).toEqual([]);
      there.revisions.close();
      expect(there.given).toEqual(here.given);
      expect([...there.scans]).toEqual([...here.scans]);
    }
  });

  it('through its line, a request silent through a cut is given up: the download fails (the next server or the live sync goes on) instead of waiting for ever', async () => {
    const { remote: direct } = await serverOffice();
    const office = await localOffice();
    // From the first `_bulk_get` on, nothing answers: not the request, not the line's probes (a
    // connection that died silently, as a NAT drops it).
    let cut = false;
    const silent = (init?: RequestInit): Promise<Response> =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => {
          const why: unknown = init.signal?.reason;
          reject(why instanceof Error ? why : new Error('aborted'));
        }),
      );
    const raw: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/_bulk_get')) cut = true;
      return cut ? silent(init) : fetch(input, init);
    };
    const { remote, line } = openRemote(direct.name, auth, {
      ...FIRST_DOWNLOAD_LINE,
      quietMs: 300,
      probeEveryMs: 200,
      probeTimeoutMs: 200,
      fetch: raw,
    });
    cleanup.push(async () => {
      line.close();
      await remote.close();
    });
    const started = Date.now();
    await expect(firstDownload(office, remote, { batchDocs: 4 })).rejects.toThrow(/line dead/);
    expect(cut).toBe(true);
    expect(line.status).toBe('dead');
    // Given up when the probes failed, long before the 10 minutes a live line's silence is allowed.
    expect(Date.now() - started).toBeLessThan(FIRST_DOWNLOAD_LINE.stallMs / 10);
    expect(await isFirstDownloadDone(office.db)).toBe(false);
  });

  it('lets each batch go once it is written: no batch already written is held for the rest of the download', async () => {
    const { remote } = await serverOffice();
    await addHistory(remote, 40);
    const office = await localOffice();
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('the browser runs without --expose-gc (vitest.config.ts)');
    const written: WeakRef<object>[] = [];
    const heldAt: number[] = [];
    const watched: OfficeDb = {
      ...office,
      writeReplicated: async (docs, after, onSlice) => {
        if (written.length >= 2) {
          // Not in this task: a WeakRef's target lives at least until the end of the task that used it.
          await new Promise((r) => setTimeout(r, 0));
          gc();
          // Batches written before the one just before this (that one's array may still be in a frame).
          heldAt.push(written.slice(0, -1).filter((w) => w.deref() !== undefined).length);
        }
        written.push(new WeakRef(docs));
        return office.writeReplicated(docs, after, onSlice);
      },
    };
    expect(await firstDownload(watched, remote, { batchDocs: 6, inFlight: 2 })).toBe('done');
    // Enough batches for the check to mean something; before the fix every one stayed held.
    expect(heldAt.length).toBeGreaterThan(10);
    expect(Math.max(...heldAt)).toBe(0);
  });

  it('a cut in the middle resumes: what landed is not fetched again', async () => {
    const { remote } = await serverOffice();
    const office = await localOffice();
    const fetched = requested(remote, (docs) => docs.length);
    // The window closes after the directory and one batch of events have been written.
    let writes = 0;
    const cut: OfficeDb = {
      ...office,
      writeReplicated: (docs, after, onSlice) => {
        if (++writes > 2) return Promise.reject(new Error('closed'));
        return office.writeReplicated(docs, after, onSlice);
      },
    };
    await expect(firstDownload(cut, remote, { batchDocs: 4 })).rejects.toThrow('closed');
    expect(await isFirstDownloadDone(office.db)).toBe(false);
    // Begun and not finished: the desk downloads again at its next start, documents here or not.
    expect(await needsFirstDownload(office.db)).toBe(true);
    const before = fetched.reduce((a, b) => a + b, 0);
    const have = (await office.db.allDocs()).rows.length;
    expect(have).toBeGreaterThan(1);
    expect(have).toBeLessThan(14);
    const here = (await revisions(office.db)).length;

    fetched.length = 0;
    expect(await firstDownload(office, remote, { batchDocs: 4 })).toBe('done');
    expect(await revisions(office.db)).toEqual(await revisions(remote));
    // Only what was missing: 14 revisions besides the design document (here from the first write):
    // 13 documents and one conflict, those already here skipped.
    expect(fetched.reduce((a, b) => a + b, 0)).toBe(14 - here);
    expect(before).toBeGreaterThan(0);
  });
  /**
   * A sealed desk downloads 300-odd documents while it records `mine` (registration is never
   * blocked) when `when` says, then starts its live sync as SyncController does: the push from
   * where the download says. What the push opened (payload decrypts) is counted from there.
   */
  async function downloadThenSync(when: (p: FirstDownloadProgress) => boolean): Promise<{
    decrypts: number;
    since: number | string | undefined;
    mineSeq: number;
    remote: PouchDB.Database;
    mineId: string;
  }> {
    const { remote } = await serverOffice();
    await addHistory(remote, 100);
    const office = await openOfficeDb('ALM01', {
      name: `fd_${Math.random().toString(36).slice(2, 8)}`,
      keys: await throwawayDeskKeys(),
      replicatedSlice: 40,
    });
    cleanup.push(() => office.db.destroy());
    const content: Record<string, unknown> = {
      ...event('MINE1', 'registered', { serviceId: 's', serviceVersion: '1', variantId: 'v' }),
      device: 'D9',
    };
    delete content['_id'];
    const mineId = contentEventId(content as Parameters<typeof contentEventId>[0]);
    const written: { put: Promise<unknown> | null } = { put: null };
    const done = await firstDownload(office, remote, {
      batchDocs: 60,
      onProgress: (p) => {
        if (!written.put && when(p)) written.put = office.db.put({ _id: mineId, ...content });
      },
    });
    expect(done).toBe('done');
    expect(written.put).not.toBeNull();
    await written.put;
    const since = await pushSinceAfterDownload(office.db);
    const mineSeq = Number((await office.db.changes({ since: 0 })).results.find((r) => r.id === mineId)?.seq);

    const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
    cleanup.push(() => Promise.resolve(decrypt.mockRestore()));
    let online: (s: SyncSnapshot) => void = () => undefined;
    const reached = new Promise<SyncSnapshot>((resolve) => (online = resolve));
    const handle = startSync(office.db, remote, {
      target: 'central',
      ownDevice: 'D9',
      author: 'aigerim',
      maxBackoffMs: 500,
      ...(since !== undefined ? { push: { since } } : {}),
      onChange: (s) => {
        if (s.state === 'online') online(s);
      },
    });
    cleanup.push(() => handle.stop());
    // Online with nothing of this desk's waiting: the event written during the download went up.
    expect((await reached).pendingLocal).toBe(0);
    expect((await remote.get(mineId))._id).toBe(mineId);
    return { decrypts: decrypt.mock.calls.length, since, mineSeq, remote, mineId };
  }

  it('hands over to a live push that starts past the download: none of its documents opened again', async () => {
    // The desk records its event as the download ends, before its mark is down.
    const r = await downloadThenSync((p) => p.docs >= p.totalDocs);
    expect(r.since).toBeDefined();
    expect(Number(r.since)).toBeLessThan(r.mineSeq);
    // Its own event and nothing of the 300-odd downloaded (each a payload decrypt on the window's
    // thread when the push's first pass reads the replica from the start).
    expect(r.decrypts).toBeLessThan(10);
  });

  it('an event the desk recorded in the middle of the download still goes up', async () => {
    const r = await downloadThenSync((p) => p.docs > 100 && p.docs < p.totalDocs);
    // The push starts at the desk's first write in the download's course, not after the download.
    expect(Number(r.since)).toBeLessThan(r.mineSeq);
  });

  it('forgets where the push starts once told, and a resumed download names no start (it cannot know what came between)', async () => {
    const { remote } = await serverOffice();
    const office = await localOffice();
    expect(await firstDownload(office, remote)).toBe('done');
    expect(await pushSinceAfterDownload(office.db)).toBeDefined();
    expect(await pullSinceAfterDownload(office.db)).toBeDefined();
    await forgetHandOver(office.db);
    expect(await pushSinceAfterDownload(office.db)).toBeUndefined();
    expect(await pullSinceAfterDownload(office.db)).toBeUndefined();
    expect(await isFirstDownloadDone(office.db)).toBe(true);

    const cutOffice = await localOffice();
    let writes = 0;
    const cut: OfficeDb = {
      ...cutOffice,
      writeReplicated: (docs, after, onSlice) =>
        ++writes > 2 ? Promise.reject(new Error('closed')) : cutOffice.writeReplicated(docs, after, onSlice),
    };
    await expect(firstDownload(cut, remote, { batchDocs: 4 })).rejects.toThrow('closed');
    expect(await firstDownload(cutOffice, remote, { batchDocs: 4 })).toBe('done');
    expect(await pushSinceAfterDownload(cutOffice.db)).toBeUndefined();
    expect(await pullSinceAfterDownload(cutOffice.db)).toBeUndefined();
  });

  it('hands over to a live pull that starts at the server’s sequence before the download: nothing downloaded is asked about again, what came meanwhile comes', async () => {
    const { remote } = await serverOffice();
    await addHistory(remote, 50);
    const office = await localOffice();
    const before = (await remote.info()).update_seq;
    // Another desk's registration reaches the server while this desk downloads.
    const late = event('LATE1', 'registered', { serviceId: 's', serviceVersion: '1', variantId: 'v' });
    const written: { put: Promise<unknown> | null } = { put: null };
    expect(
      await firstDownload(office, remote, {
        batchDocs: 20,
        onProgress: (p) => {
          if (!written.put && p.docs > 40) written.put = remote.put(late);
        },
      }),
    ).toBe('done');
    expect(written.put).not.toBeNull();
    await written.put;
    const handed = await pullSinceAfterDownload(office.db);
    expect(handed).toEqual({ server: remote.name, since: before });
    // What the live pull asks the replica about (`_revs_diff` on the pull's target).
    const asked: string[] = [];
    const revsDiff = office.db.revsDiff.bind(office.db);
    office.db.revsDiff = (diff: PouchDB.Core.RevisionDiffOptions) => {
      asked.push(...Object.keys(diff));
      return revsDiff(diff);
    };
    let online: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (online = resolve));
    const handle = startSync(office.db, remote, {
      target: 'central',
      ownDevice: 'D9',
      author: 'aigerim',
      maxBackoffMs: 500,
      pull: { since: handed?.since ?? 0 },
      onChange: (s) => {
        if (s.state === 'online') online();
      },
    });
    cleanup.push(() => handle.stop());
    await reached;
    expect(asked).toEqual([String(late['_id'])]);
    expect((await office.db.get(String(late['_id'])))._id).toBe(late['_id']);
  });
});
