/**
 * The benchmark page: the real data layer (renderer/data, @shared) in Chromium's IndexedDB.
 * Each step is one call on `window.kenseBench`; scripts/bench.ts drives them with Playwright and
 * reads memory through CDP between steps. Nothing here renders UI.
 */
import { DEFAULT_CALENDAR } from '@shared/calendar';
import { bundledCatalogue, type Catalogue } from '@shared/catalogue';
import { contentEventId, type EventDoc, type PayloadOf, type StaffRole } from '@shared/events';
import { drive } from '@shared/workflow/drive';
import Dexie from 'dexie';
import { AppendError, Desk } from '../renderer/data/desk';
import { deskKeysFromRaw, newDeskSecret, throwawayDeskKeys, type DeskKeys } from '../renderer/data/seal/deskKeys';
import { fromBase64Url, toBase64Url } from '../renderer/data/seal/envelope';
import { keep } from '../renderer/data/account/deskUnlock';
import { rememberUser } from '../renderer/data/account/localAccounts';
import { makeVerifierWithKey } from '../renderer/data/account/verifier';
import { cryptoBench } from './crypto';
import { firstDownload, queryDeskView } from '../renderer/data/sync/firstDownload';
import { reportsAdd, reportsDrop, reportsIndex, reportsTime } from './reports';
import { openOfficeDb, WORKER_SLICE_DOCS } from '../renderer/data/store/officeDb';
import { PouchDB, type LocalAdapter } from '../renderer/data/store/pouch';
import { openReadModel, readModelName, type ApplicationRow } from '../renderer/data/store/readModel';
import { inboxCount, inboxPage, inboxRows, PAGE_SIZE, queuesOf, type InboxUser } from '../renderer/data/read/inbox';
import { listPage, type ListPage, type ListQuery, type ListScope } from '../renderer/data/read/lists';
import { SESSION_KEY, SIGNED_IN_KEY } from '../renderer/state/session';
import type {
  AdapterParams,
  AdapterResult,
  AppInboxResult,
  BenchApi,
  InboxParams,
  InboxResult,
  LatencyResult,
  OpenDeskParams,
  OpenDeskResult,
  Percentiles,
  RebuildResult,
  RawWriteParams,
  RawWriteResult,
  ReplicateParams,
  ReplicateResult,
  ReplicateStrategy,
  RunBenchParams,
  RunBenchResult,
  SealedDeskFigures,
  SealedDeskParams,
  SealedDeskResult,
} from './protocol';
import { BENCH_PASSWORD } from './protocol';

const EVT_START = 'evt:';
const EVT_END = 'evt:\ufff0';

export function percentiles(xs: readonly number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  const sum = s.reduce((a, b) => a + b, 0);
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? NaN, mean: sum / s.length };
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
const perSec = (n: number, ms: number): number => round((n * 1000) / ms, 1);

/**
 * The bench's own count, in pages: one `allDocs` over 549,000 events at 100,000 applications was
 * one task of 166–201 ms on this page, counted among the long tasks of the step it began (the only
 * one over 50 ms in the appends; gone with the pages, 5 Dec 2026).
 */
async function countEvents(db: PouchDB.Database): Promise<number> {
  let n = 0;
  for (let startkey = EVT_START, skip = 0; ; skip = 1) {
    const r = await db.allDocs({ startkey, endkey: EVT_END, skip, limit: 10_000 });
    n += r.rows.length;
    const last = r.rows[r.rows.length - 1];
    if (!last || r.rows.length < 10_000) return n;
    startkey = last.id;
  }
}

let catalogue: Catalogue | null = null;
const getCatalogue = (): Catalogue => (catalogue ??= bundledCatalogue());
let desk: Desk | null = null;
const openDesk = (): Desk => {
  if (!desk) throw new Error('no desk open: call openDesk first');
  return desk;
};

// ─── 3. First replication from central ──────────────────────────────────────────────────────────

interface IdRev {
  id: string;
  rev: string;
}

async function listRemote(remote: PouchDB.Database): Promise<IdRev[]> {
  const out: IdRev[] = [];
  let startkey: string | undefined;
  for (;;) {
    const page = await remote.allDocs(
      startkey === undefined ? { limit: 10_000 } : { limit: 10_000, startkey, skip: 1 },
    );
    for (const row of page.rows) out.push({ id: row.id, rev: row.value.rev });
    const last = page.rows[page.rows.length - 1];
    if (!last || page.rows.length < 10_000) return out;
    startkey = last.id;
  }
}

/** Medic CHT's way: the server's {id, rev} list, diffed against allDocs, fetched with _bulk_get. */
async function bulkGetDownload(
  local: PouchDB.Database,
  remote: PouchDB.Database,
  batchSize: number,
  parallel: number,
): Promise<number> {
  const listing = await listRemote(remote);
  const have = new Map<string, string>();
  for (const row of (await local.allDocs()).rows) have.set(row.id, row.value.rev);
  const missing = listing.filter((x) => have.get(x.id) !== x.rev);
  const batches: IdRev[][] = [];
  for (let i = 0; i < missing.length; i += batchSize) batches.push(missing.slice(i, i + batchSize));
  const fetchBatch = async (batch: IdRev[]): Promise<PouchDB.Core.PutDocument<object>[]> => {
    const r = await remote.bulkGet({ docs: batch, revs: true });
    const docs: PouchDB.Core.PutDocument<object>[] = [];
    for (const res of r.results) {
      for (const d of res.docs) {
        if ('ok' in d) docs.push(d.ok);
        else throw new Error(`_bulk_get: ${res.id}: ${JSON.stringify(d.error)}`);
      }
    }
    return docs;
  };
  // Fetch ahead while writing: `parallel` requests in flight, writes one batch at a time.
  const inFlight: Promise<PouchDB.Core.PutDocument<object>[]>[] = [];
  let next = 0;
  const launch = (): void => {
    const batch = batches[next++];
    if (batch) {
      const p = fetchBatch(batch);
      p.catch(() => undefined); // observed when awaited below
      inFlight.push(p);
    }
  };
  for (let i = 0; i < parallel; i++) launch();
  let written = 0;
  for (let i = 0; i < batches.length; i++) {
    const docs = await (inFlight[i] ?? Promise.resolve([]));
    launch();
    await local.bulkDocs(docs, { new_edits: false });
    written += docs.length;
  }
  return written;
}

async function replicate(p: ReplicateParams): Promise<ReplicateResult[]> {
  let requests = 0;
  const countingFetch = (url: string | Request, opts?: RequestInit): Promise<Response> => {
    requests++;
    return fetch(url, opts);
  };
  const remote = new PouchDB(p.central.url, {
    adapter: 'http',
    auth: { username: p.central.user, password: p.central.password },
    skip_setup: true,
    fetch: countingFetch,
  });
  // Untimed warm-up: the server's first reads of its files would otherwise be charged to the first strategy.
  if (p.warm !== false) {
    await listRemote(remote);
    // The desks' view as the server keeps it (CouchDB updates a view's index as it is queried).
    if (p.strategies.some((s) => s.kind === 'firstDownload')) await queryDeskView(remote, 'reduce=false&limit=1');
    for (let since: number | string = 0; ;) {
      // One request per 10,000 (PouchDB's HTTP adapter asks 25 at a time unless told: 22,000
      // requests at 100,000 applications, minutes of each server's time before anything is timed).
      const c: PouchDB.Core.ChangesResponse<object> = await remote.changes({
        since,
        limit: 10_000,
        batch_size: 10_000,
      });
      if (c.results.length === 0) break;
      since = c.last_seq;
    }
  }
  const results: ReplicateResult[] = [];
  for (const s of p.strategies) {
    const name = s.label === p.keepLabel ? p.keepAs : `bench_repl_${s.label}`;
    await new PouchDB(name, { adapter: 'indexeddb' }).destroy();
    const office = await openOfficeDb(p.office, { name });
    requests = 0;
    const t0 = performance.now();
    let docs: number;
    let capped = false;
    if (s.kind === 'replicate') {
      const rep = office.db.replicate.from(remote, { batch_size: s.batchSize, batches_limit: s.batchesLimit });
      let written = 0;
      void rep.on('change', (info) => (written = info.docs_written));
      const timer =
        s.capMs === undefined
          ? undefined
          : setTimeout(() => {
              capped = true;
              void rep.cancel();
            }, s.capMs);
      const r = await rep;
      clearTimeout(timer);
      docs = Math.max(r.docs_written, written);
    } else if (s.kind === 'bulkGet') {
      docs = await bulkGetDownload(office.db, remote, s.batchSize, s.parallel);
    } else {
      await firstDownload(office, remote, { batchDocs: s.batchSize, inFlight: s.parallel });
      docs = (await office.db.info()).doc_count;
    }
    const ms = performance.now() - t0;
    const info = await office.db.info();
    if (info.doc_count < docs) throw new Error(`${s.label}: ${docs} written but ${info.doc_count} stored`);
    results.push({ ...describe(s, docs, ms, requests), capped });
    await office.close();
    if (name !== p.keepAs) await new PouchDB(name, { adapter: 'indexeddb' }).destroy();
  }
  await remote.close();
  return results;
}

function describe(s: ReplicateStrategy, docs: number, ms: number, requests: number): Omit<ReplicateResult, 'capped'> {
  return {
    label: s.label,
    kind: s.kind,
    batchSize: s.batchSize,
    batchesLimit: s.kind === 'replicate' ? s.batchesLimit : null,
    parallel: s.kind === 'replicate' ? null : s.parallel,
    docs,
    ms: round(ms, 0),
    docsPerSec: perSec(docs, ms),
    requests,
  };
}

/**
 * The raw write rate of the downloaded documents: read back from the replica with their revisions
 * (untimed), written into an empty database by the first download's own write, batch by batch (as
 * `_bulk_get` answers, bytes, as the download gives them to its writer), or with a slice size as
 * plain `bulkDocs` of those documents.
 */
async function rawWrite(p: RawWriteParams): Promise<RawWriteResult> {
  const from =
    'db' in p.source
      ? (await openOfficeDb(p.office, { name: p.source.db })).db
      : new PouchDB(p.source.central.url, {
          adapter: 'http',
          auth: { username: p.source.central.user, password: p.source.central.password },
          skip_setup: true,
        });
  const name = 'bench_raw_write';
  await new PouchDB(name, { adapter: 'indexeddb' }).destroy();
  // Without a slice size, the first download's own write: the replica writer's worker, its slices.
  const sliceDocs = p.sliceDocs ?? WORKER_SLICE_DOCS;
  const target = await openOfficeDb(p.office, {
    name,
    ...(p.sliceDocs === undefined ? {} : { replicatedSlice: sliceDocs }),
  });
  let docs = 0;
  let batches = 0;
  let ms = 0;
  try {
    let startkey: string | undefined;
    for (;;) {
      const page = await from.allDocs(
        startkey === undefined ? { limit: p.batchDocs } : { limit: p.batchDocs, startkey, skip: 1 },
      );
      const last = page.rows[page.rows.length - 1];
      if (!last) break;
      // Scans inline, as the first download fetches them (a stub cannot be written to an empty database).
      const got = await from.bulkGet({
        docs: page.rows.map((r) => ({ id: r.id, rev: r.value.rev })),
        revs: true,
        attachments: true,
      });
      const batch: object[] = [];
      for (const res of got.results) for (const d of res.docs) if ('ok' in d) batch.push(d.ok);
      // The download's own write takes the server's answer as it came (bytes, parsed by the writer).
      const own = p.sliceDocs === undefined;
      const answers = own ? [new TextEncoder().encode(JSON.stringify({ results: got.results })).buffer] : [];
      const t0 = performance.now();
      await target.writeReplicated(own ? { answers, asked: batch.length } : batch);
      ms += performance.now() - t0;
      docs += batch.length;
      batches++;
      if (page.rows.length < p.batchDocs) break;
      startkey = last.id;
    }
  } finally {
    await from.close();
    await target.close();
    await new PouchDB(name, { adapter: 'indexeddb' }).destroy();
  }
  return { docs, batches, sliceDocs, ms: round(ms, 0), docsPerSec: perSec(docs, ms) };
}

// ─── Desk: initial projection, append latency, rebuild ──────────────────────────────────────────

async function openDeskStep(p: OpenDeskParams): Promise<OpenDeskResult> {
  if (desk) await desk.close();
  const t0 = performance.now();
  // The read model seals personal fields and keeps a blind index: its figures include that cost.
  // The real app opened later on this origin unlocks the same keys when the bench's person signs
  // in (offline, from the copy of the desk secret kept for them: setSession).
  desk = await Desk.open({ office: p.office, desk: p.desk, dbName: p.dbName, keys: await benchKeys() }, getCatalogue());
  const ms = performance.now() - t0;
  return {
    ms: round(ms, 0),
    events: await countEvents(desk.office.db),
    applications: await desk.model.applications.count(),
  };
}

/** Applications played through their workflows by `drive`, replayed through the desk's own API. */
function* templates(cat: Catalogue): Generator<EventDoc[]> {
  for (let k = 0; ; k++) {
    const service = cat.services[k % cat.services.length];
    if (!service) throw new Error('empty catalogue');
    const variant = service.variants[Math.floor(k / cat.services.length) % service.variants.length];
    if (!variant) continue;
    yield drive({ service, variantId: variant.id, calendar: DEFAULT_CALENDAR, start: Date.now(), refuse: k % 10 === 3 })
      .events;
  }
}

async function latency(p: { appends: number }): Promise<LatencyResult> {
  const d = openDesk();
  const eventsBefore = await countEvents(d.office.db);
  const withProjection: number[] = [];
  const writeOnly: number[] = [];
  const register: number[] = [];
  const action: number[] = [];
  const refusedReasons: Record<string, number> = {};
  let refused = 0;
  const reflects = async (appId: string, eventCount: number): Promise<boolean> =>
    (await d.model.applications.get(appId))?.eventCount === eventCount;

  for (const events of templates(getCatalogue())) {
    if (withProjection.length >= p.appends) break;
    let appId: string | null = null;
    for (const [i, e] of events.entries()) {
      if (withProjection.length >= p.appends) break;
      const t0 = performance.now();
      try {
        if (e.kind === 'registered') {
          const { regNumber: _n, ...payload } = e.payload;
          appId = (await d.registerApplication('registered', e.actor, payload)).appId;
        } else if (appId) {
          await d.append(appId, e.kind as 'step_done', e.actor, e.payload as PayloadOf<'step_done'>);
        }
      } catch (err) {
        if (!(err instanceof AppendError)) throw err;
        refused++;
        refusedReasons[err.code] = (refusedReasons[err.code] ?? 0) + 1;
        break; // the rest of this application's template no longer fits its state
      }
      if (!appId) break;
      const t1 = performance.now();
      await d.settled();
      // settled() waits for the projector's pass that covers this write; the row is checked, not assumed.
      const deadline = performance.now() + 10_000;
      while (!(await reflects(appId, i + 1))) {
        if (performance.now() > deadline) throw new Error(`read model never reflected event ${i + 1} of ${appId}`);
        await new Promise((r) => setTimeout(r, 1));
      }
      const t2 = performance.now();
      withProjection.push(t2 - t0);
      writeOnly.push(t1 - t0);
      (e.kind === 'registered' ? register : action).push(t2 - t0);
    }
  }
  return {
    appends: withProjection.length,
    eventsBefore,
    withProjection: percentiles(withProjection),
    writeOnly: percentiles(writeOnly),
    registerWithProjection: percentiles(register),
    actionWithProjection: percentiles(action),
    refused,
    refusedReasons,
  };
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

async function appInbox(): Promise<AppInboxResult> {
  const d = openDesk();
  // The busiest executor: the one the executor inbox shows most rows for.
  const counts = new Map<string, number>();
  await d.model.applications.each((a) => {
    if (a.assignee && a.role === 'executor') counts.set(a.assignee, (counts.get(a.assignee) ?? 0) + 1);
  });
  const login = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'exec01';
  // What the inbox screen asks for on opening: the first page and the counts.
  const run = async (user: { login: string; displayName: string; role: 'head' | 'executor' }) => {
    const ms: number[] = [];
    let rows = 0;
    let shown = 0;
    for (let i = 0; i < 7; i++) {
      const r = await timed(() => Promise.all([inboxRows(d, user), inboxCount(d.model, user)]));
      ms.push(r.ms);
      shown = r.value[0].length;
      rows = r.value[1].total;
    }
    return { rows, shown, ms: percentiles(ms) };
  };
  const head = await run({ login: 'head1', displayName: 'Head', role: 'head' });
  const executor = await run({ login, displayName: 'Executor', role: 'executor' });
  // Filtered and sorted lists (lists.ts), on the service most applications are for.
  const perService = new Map<string, number>();
  await d.model.applications.each((a) => perService.set(a.serviceId, (perService.get(a.serviceId) ?? 0) + 1));
  const serviceId = [...perService.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const runList = async (scope: ListScope, query: ListQuery) => {
    const ms: number[] = [];
    let page: ListPage = { rows: [], total: 0 };
    for (let i = 0; i < 7; i++) {
      const r = await timed(() => listPage(d.model, scope, query, { limit: PAGE_SIZE, now: Date.now() }));
      ms.push(r.ms);
      page = r.value;
    }
    return { serviceId, rows: page.total, shown: page.rows.length, ms: percentiles(ms) };
  };
  const headFiltered = await runList(
    { inbox: { login: 'head1', role: 'head' } },
    { filters: { serviceId, overdue: true }, sort: 'registered', desc: true },
  );
  const applicationsFiltered = await runList('all', {
    filters: { serviceId, status: 'in_progress' },
    sort: 'due',
    desc: false,
  });
  return { head, executor: { login, ...executor }, headFiltered, applicationsFiltered };
}

async function rebuild(): Promise<RebuildResult> {
  const d = openDesk();
  const events = await countEvents(d.office.db);
  const t0 = performance.now();
  let first: number | null = null;
  let last = t0;
  const { ms } = await timed(() =>
    d.projector.rebuild(() => {
      last = performance.now();
      first ??= last;
    }),
  );
  const end = t0 + ms;
  return {
    events,
    ms: round(ms, 0),
    eventsPerSec: perSec(events, ms),
    firstBatchMs: round((first ?? end) - t0, 0),
    afterLastBatchMs: round(end - last, 0),
  };
}

/**
 * What encryption at rest costs the desk itself: the same appends (until the read model shows
 * them) and the same rebuild on two fresh databases, one opened without keys, one with.
 */
async function sealedDesk(p: SealedDeskParams): Promise<SealedDeskResult> {
  const run = async (sealed: boolean): Promise<SealedDeskFigures> => {
    const dbName = `bench_${sealed ? 'sealed' : 'clear'}_${Date.now()}`;
    if (desk) await desk.close();
    desk = await Desk.open(
      { office: 'ALM01', desk: 'D08', dbName, keys: await throwawayDeskKeys(), clearOfficeDb: !sealed },
      getCatalogue(),
    );
    try {
      const lat = await latency({ appends: p.appends });
      const reb = await rebuild();
      return {
        appends: lat.appends,
        withProjection: lat.withProjection,
        writeOnly: lat.writeOnly,
        rebuildEvents: reb.events,
        rebuildMs: reb.ms,
        rebuildEventsPerSec: reb.eventsPerSec,
      };
    } finally {
      await desk.close();
      desk = null;
      await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
      await Dexie.delete(readModelName(dbName));
    }
  };
  const clear = await run(false);
  const sealed = await run(true);
  return { clear, sealed };
}

// ─── 2. Inbox: Dexie read model vs pouchdb-find on the office database ─────────────────────────

function firstMismatch(a: string[], b: string[]): InboxResult['mismatch'] {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { index: i, dexie: a.slice(i, i + 3), pouchFind: b.slice(i, i + 3) };
  }
  return null;
}

async function inbox(p: InboxParams): Promise<InboxResult> {
  const office = await openOfficeDb(p.office, { name: p.dbName });
  const model = openReadModel(p.dbName);
  await model.open();
  const all = await model.applications.toArray();
  // The executor's inbox as the app shows it: their own rows and the unassigned executor rows.
  const user: InboxUser = { login: p.assignee, role: 'executor' };
  const queues = queuesOf(user);
  const mine = all.filter((a) => a.queue !== undefined && queues.includes(a.queue));
  const matching = mine.filter((a) => a.dueAt !== null).length;
  const withoutDue = mine.length - matching;

  // The query the app ships (renderer/data/read/inbox.ts): first page through `[queue+queueDue+appId]`.
  const dexieQuery = async (): Promise<ApplicationRow[]> => (await inboxPage(model, user, { limit: PAGE_SIZE })).rows;

  // The same rows as documents next to the events, for pouchdb-find.
  const db = office.db;
  const write = await timed(async () => {
    for (let i = 0; i < all.length; i += 1000) {
      await db.bulkDocs(all.slice(i, i + 1000).map((a) => ({ ...a, _id: `row:${a.appId}`, type: 'row' })));
    }
  });
  const index = await timed(() => db.createIndex({ index: { fields: ['queue', 'queueDue'] } }));
  // Due dates are epoch milliseconds: `$gte: 0` keeps rows without one out of the index range
  // (+Infinity does not survive JSON: it is stored as null). The usual Mango idiom `$gt: null`
  // does not: the indexeddb adapter stores null as Number.MIN_SAFE_INTEGER, so null rows sit
  // inside the range, use up the limit, and are then dropped by pouchdb-find's in-memory filter —
  // fewer than 50 rows come back. Both are run.
  const request = (queue: string, due: PouchDB.Find.ConditionOperators): PouchDB.Find.FindRequest<object> => ({
    selector: { queue, queueDue: due },
    sort: [{ queue: 'asc' }, { queueDue: 'asc' }],
    limit: PAGE_SIZE,
  });
  // Mango sorts one queue at a time: one query per queue, merged as the Dexie query merges them.
  const pouchQuery = async (
    due: PouchDB.Find.ConditionOperators = { $gte: 0 },
  ): Promise<{ rows: ApplicationRow[]; warning: string | undefined }> => {
    const found = await Promise.all(queues.map((q) => db.find(request(q, due))));
    const rows = found
      .flatMap((r) => r.docs as unknown as ApplicationRow[])
      .sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || (a.appId < b.appId ? -1 : 1))
      .slice(0, PAGE_SIZE);
    return { rows, warning: found.find((r) => r.warning)?.warning };
  };

  const dexieFirst = await timed(dexieQuery);
  const pouchFirst = await timed(() => pouchQuery());
  const gtNull = await pouchQuery({ $gt: null });
  const dexieMs: number[] = [];
  const pouchMs: number[] = [];
  for (let i = 0; i < p.runs; i++) {
    dexieMs.push((await timed(dexieQuery)).ms);
    pouchMs.push((await timed(() => pouchQuery())).ms);
  }
  const a = dexieFirst.value.map((r) => `${r.dueAt}:${r.appId}`);
  const b = pouchFirst.value.rows.map((r) => `${r.dueAt}:${r.appId}`);
  const dexie = percentiles(dexieMs);
  const pouch = percentiles(pouchMs);
  model.close();
  await office.close();
  return {
    status: p.status,
    assignee: p.assignee,
    applications: all.length,
    matching,
    withoutDue,
    returned: a.length,
    sameAnswer: a.length === b.length && a.every((x, i) => x === b[i]),
    mismatch: firstMismatch(a, b),
    dexie: { firstMs: round(dexieFirst.ms), ms: dexie },
    pouchFind: {
      firstMs: round(pouchFirst.ms),
      ms: pouch,
      writeRowsMs: round(write.ms, 0),
      createIndexMs: round(index.ms, 0),
      gtNullReturned: gtNull.rows.length,
      gtNullRowsWithoutDue: gtNull.rows.filter((r) => r.dueAt === null).length,
      indexUsed: pouchFirst.value.warning ?? `[queue, queueDue] (${index.value.result})`,
    },
    ratio: round(pouch.p50 / dexie.p50, 1),
  };
}

// ─── 6. PouchDB adapters: indexeddb vs idb ─────────────────────────────────────────────────────

async function adapters(p: AdapterParams): Promise<AdapterResult[]> {
  // The events of the desk's database, as replication would write them (with their revisions).
  const source = await openOfficeDb(p.office, { name: p.sourceDb });
  const docs: PouchDB.Core.PutDocument<object>[] = [];
  for (let since: number | string = 0; docs.length < p.docs;) {
    const page: PouchDB.Core.ChangesResponse<object> = await source.db.changes({
      since,
      limit: 2000,
      include_docs: true,
    });
    if (page.results.length === 0) break;
    for (const ch of page.results) if (ch.id.startsWith(EVT_START) && ch.doc) docs.push(ch.doc);
    since = page.last_seq;
  }
  await source.close();
  docs.length = Math.min(docs.length, p.docs);
  const appIds = [...new Set(docs.map((d) => String((d as { appId?: unknown }).appId)))];
  // The same random applications for both adapters.
  const picks: string[] = [];
  let seed = 12345;
  for (let i = 0; i < p.rangeReads; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    picks.push(appIds[seed % appIds.length] ?? '');
  }

  const order: LocalAdapter[] = ['indexeddb', 'idb'];
  const dbs = new Map<LocalAdapter, PouchDB.Database>();
  const results = new Map<LocalAdapter, AdapterResult>();
  for (const adapter of order) {
    const name = `bench_adapter_${adapter}`;
    await new PouchDB(name, { adapter }).destroy();
    const office = await openOfficeDb(p.office, { name, adapter });
    dbs.set(adapter, office.db);
    const write = await timed(async () => {
      for (let i = 0; i < docs.length; i += 500) await office.db.bulkDocs(docs.slice(i, i + 500), { new_edits: false });
    });
    const puts: number[] = [];
    for (let i = 0; i < p.puts; i++) {
      const base = docs[i % docs.length] as Record<string, unknown>;
      const { _rev: _r, _id: _i, ...rest } = base;
      const content = { ...rest, appId: `ZPUT${i}`, hlc: '000000000000000-0000', device: 'D99' };
      const doc = { ...content, _id: contentEventId(content) };
      puts.push((await timed(() => office.db.put(doc))).ms);
    }
    results.set(adapter, {
      adapter,
      docs: docs.length,
      bulkWrite: { ms: round(write.ms, 0), docsPerSec: perSec(docs.length, write.ms) },
      put: percentiles(puts),
      rangeRead: { reads: 0, ms: 0, perSec: 0, latency: percentiles([]) },
      fullScan: { ms: 0, docsPerSec: 0 },
      changes: { ms: 0, perSec: 0 },
    });
  }

  // Reads alternate between the adapters, test by test, in both orders.
  for (const adapter of [...order, ...[...order].reverse()]) {
    const db = dbs.get(adapter);
    const r = results.get(adapter);
    if (!db || !r) continue;
    const lat: number[] = [];
    const range = await timed(async () => {
      for (const appId of picks) {
        const t = await timed(() =>
          db.allDocs({ startkey: `evt:${appId}:`, endkey: `evt:${appId}:\ufff0`, include_docs: true }),
        );
        lat.push(t.ms);
      }
    });
    const scan = await timed(async () => {
      let startkey: string | undefined;
      for (;;) {
        const page = await db.allDocs(
          startkey === undefined
            ? { include_docs: true, limit: 1000 }
            : { include_docs: true, limit: 1000, startkey, skip: 1 },
        );
        const last = page.rows[page.rows.length - 1];
        if (!last || page.rows.length < 1000) break;
        startkey = last.id;
      }
    });
    let changed = 0;
    const feed = await timed(async () => {
      for (let since: number | string = 0; ;) {
        const page: PouchDB.Core.ChangesResponse<object> = await db.changes({ since, limit: 500 });
        if (page.results.length === 0) break;
        changed += page.results.length;
        since = page.last_seq;
      }
    });
    // Of the two rounds, the better one is kept: caches warm, order effects cancel.
    const better = <T extends { ms: number }>(old: T, fresh: T): T => (old.ms > 0 && old.ms <= fresh.ms ? old : fresh);
    r.rangeRead = better(r.rangeRead, {
      reads: picks.length,
      ms: round(range.ms, 0),
      perSec: perSec(picks.length, range.ms),
      latency: percentiles(lat),
    });
    r.fullScan = better(r.fullScan, { ms: round(scan.ms, 0), docsPerSec: perSec(docs.length + p.puts, scan.ms) });
    r.changes = better(r.changes, { ms: round(feed.ms, 0), perSec: perSec(changed, feed.ms) });
  }
  for (const [adapter, db] of dbs) {
    await db.destroy();
    dbs.delete(adapter);
  }
  return order.flatMap((a) => results.get(a) ?? []);
}

// ─── The page's API ─────────────────────────────────────────────────────────────────────────────

/**
 * The desk's set-up (localStorage) and the signed-in person: the app keeps the latter in
 * sessionStorage, which is per tab, so it is returned for the app's page to set before it loads.
 */
async function setSession(p: {
  office: string;
  desk: string;
  login: string;
  role: 'head' | 'executor' | 'clerk';
}): Promise<{ key: string; value: string }> {
  const user = { login: p.login, displayName: p.login, role: p.role, roles: [p.role], mode: 'online' };
  localStorage.setItem(
    SESSION_KEY,
    JSON.stringify({ state: { office: p.office, desk: p.desk, server: null }, version: 2 }),
  );
  await rememberBenchUser(p, [p.role]);
  return { key: SIGNED_IN_KEY, value: JSON.stringify(user) };
}

/**
 * The bench's desk secret and the people who may unlock it: each is remembered on this origin as
 * an online sign-in would (verifier, own sealed copy of the secret), so that the real app is
 * signed in through its sign-in form, offline, and opens the model the bench built.
 */
// Kept in this origin's localStorage (a bench, not a desk): the steps run in fresh pages, and the
// person remembered in a later page must unlock the desk an earlier page built.
const BENCH_SECRET_KEY = 'kense.bench.deskSecret';
function deskSecret(): Uint8Array {
  const stored = localStorage.getItem(BENCH_SECRET_KEY);
  if (stored) return fromBase64Url(stored);
  const fresh = newDeskSecret();
  localStorage.setItem(BENCH_SECRET_KEY, toBase64Url(fresh));
  return fresh;
}
function benchKeys(): Promise<DeskKeys> {
  return deskKeysFromRaw(deskSecret());
}
async function rememberBenchUser(
  p: { office: string; desk: string; login: string },
  roles: StaffRole[],
): Promise<void> {
  const { verifier, wrappingKey } = await makeVerifierWithKey(BENCH_PASSWORD);
  rememberUser({
    login: p.login,
    office: p.office,
    fullName: p.login,
    roles,
    verifier,
    confirmedAt: new Date().toISOString(),
  });
  await keep({ office: p.office, desk: p.desk, login: p.login, wrappingKey }, deskSecret());
}

const api: BenchApi = {
  info: () => {
    const mem = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    return Promise.resolve({
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      usedJSHeapSize: mem?.usedJSHeapSize ?? null,
    });
  },
  replicate,
  rawWrite,
  openDesk: openDeskStep,
  latency,
  appInbox,
  rebuild,
  closeDesk: async () => {
    await desk?.close();
    desk = null;
  },
  setSession,
  inbox,
  adapters,
  crypto: cryptoBench,
  sealedDesk,
  reportsAdd,
  reportsIndex,
  reportsTime,
  reportsDrop,
};
window.kenseBench = api;

/** Every page-only step in order, for running the benchmark by hand from the console. */
window.runBench = async (p: RunBenchParams): Promise<RunBenchResult> => {
  const replication = await replicate(p.replicate);
  const open = await openDeskStep({ office: p.replicate.office, desk: 'D09', dbName: p.replicate.keepAs });
  const append = await latency({ appends: p.appends });
  const appInboxResult = await appInbox();
  const rebuilt = await rebuild();
  await api.closeDesk();
  const inboxResult = await inbox(p.inbox);
  const adapterResults = await adapters(p.adapters);
  return {
    replication,
    open,
    latency: append,
    appInbox: appInboxResult,
    rebuild: rebuilt,
    inbox: inboxResult,
    adapters: adapterResults,
  };
};
document.body.dataset['ready'] = 'true';
