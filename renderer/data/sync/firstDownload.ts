import { DESK_DESIGN_DOC_ID, isProbablyOpen, type AppSummary } from '@shared/couch';
import type { BulkGetAnswers } from '../store/bulkGet';
import { yieldToWindow, type OfficeDb, type ReplicatedSlice } from '../store/officeDb';
import type { PouchDB } from '../store/pouch';
import { planBatches, type PlannedBatch } from './downloadPlan';
import { openViewPages, type RequestBodies, type ViewPages } from './viewPages';
import { bulkGetBodies, SCANS_PER_REQUEST, type IdRev, type ViewPage } from './viewReader';

/**
 * A desk's first download of its office database (a new desk, a replaced laptop, a wiped
 * profile), at the transport's speed instead of the live replication's: the server's desks' view
 * (`_design/kense_desk/_view/apps`, shared/couch/deskViews.ts), read in pages, gives every event's
 * revisions and each application's latest event, so the open applications of each page are fetched
 * as soon as it is read and the desk can work before the history (fetched once the view is read)
 * has arrived; the events are fetched with `_bulk_get` in large batches, several requests ahead of
 * the write, and written as they are on the server (`new_edits: false`, relaxed durability:
 * OfficeDb.writeReplicated). The live pull then starts at the server's sequence read before the
 * view (`pullSinceAfterDownload`), and the live push past what the download wrote
 * (`pushSinceAfterDownload`): neither reads the downloaded documents again.
 *
 * Resumable: a download that finds documents here or its own unfinished mark asks the replica, per
 * batch, which revisions it lacks (`revsDiff`), so a reload or a cut in the middle starts over the
 * plan and skips what has landed. Only the end is recorded. The projector follows the replica's
 * changes feed as for any write: the read model fills during the download, open applications first.
 */

export const FIRST_DOWNLOAD_DOC = '_local/kense-first-download';

export interface FirstDownloadProgress {
  /** Documents written here so far, and to fetch in all (this run's plan). */
  docs: number;
  totalDocs: number;
  /** Applications whose events are all here, of all the server's (null while the view is still being read). */
  apps: number;
  totalApps: number | null;
  /** The open applications (the inbox's) have all arrived. */
  openDone: boolean;
  /** Estimated time left, from the rate so far; null before the first batch. */
  etaMs: number | null;
}

export interface FirstDownloadOptions {
  /** Events fetched per `_bulk_get` (thousands: the request count, not the bytes, is the cost). */
  batchDocs?: number;
  /** `_bulk_get` requests in flight ahead of the write (3 by default). */
  inFlight?: number;
  /** Rows per read of the view (10,000 by default). */
  pageRows?: number;
  onProgress?: (p: FirstDownloadProgress) => void;
  now?: () => number;
  /** Stops between batches (the desk closes, the user signs out): what landed stays, and resumes. */
  signal?: AbortSignal;
  /** The server's events as already read (a field laptop reads them to decide its scope). */
  events?: ServerEvents;
  /** Only these applications' events (a field laptop's scope: renderer/data/sync/field.ts). */
  only?: ReadonlySet<string>;
  /** Runs even after a finished download, asking the replica what it lacks: a field laptop's widened scope. */
  again?: boolean;
  /**
   * Every registration and outgoing number the server's events gave out, told once the view is
   * read and before any of the history is fetched (the desk holds its numbering until then): a
   * desk reusing a desk code numbers after them even while the history that holds them is still
   * to come (Desk.coverNumbers).
   */
  onNumbers?: (given: readonly string[]) => void | Promise<void>;
}

export type FirstDownloadResult = 'done' | 'alreadyDone';

/**
 * The line a first download's requests go through (syncLine.ts): a request silent through a cut
 * (probes fail) is given up at once, and one silent on a live line only after 10 minutes, so
 * that the desks' view read on a server whose index is cold (minutes at 100,000 applications)
 * is waited for, while a connection that died silently no longer holds the download for ever.
 * Bodies go plain: a `_bulk_get` of ids is small, and plain JSON tells the first download's
 * requests from the live sync's in the e2e tests.
 */
export const FIRST_DOWNLOAD_LINE = { gzip: false, stallMs: 10 * 60_000 } as const;

export { SCANS_PER_REQUEST };

/** A batch once written (its place in the plan kept, its applications let go). */
const WRITTEN: PlannedBatch = { appIds: [], events: 0 };

/**
 * A download's plan as the view's pages extend it: batches in the order they are written (the open
 * applications of each page as it is read, the history after the last), and what is known of the
 * whole. The writer waits on it (`changed`) while the view is still being read.
 */
class Plan {
  readonly batches: PlannedBatch[] = [];
  readonly apps = { all: 0, open: 0, done: 0 };
  closed = false;
  private plannedEvents = 0;
  private expected = 0;
  private failure: { error: unknown } | null = null;
  private wake: () => void = () => undefined;
  private next: Promise<void> = this.renew();

  /** Whether the events in all are known: the view's row count has come, or the whole plan. */
  get known(): boolean {
    return this.closed || this.expected > 0;
  }

  /** Events in all: those planned, or the view's row count while it is still being read. */
  get events(): number {
    return this.closed ? this.plannedEvents : Math.max(this.plannedEvents, this.expected);
  }

  expectEvents(n: number): void {
    this.expected = n;
  }

  add(batches: readonly PlannedBatch[], open: boolean): void {
    let apps = 0;
    for (const b of batches) {
      this.batches.push(b);
      this.plannedEvents += b.events;
      apps += b.appIds.length;
    }
    this.apps.all += apps;
    if (open) this.apps.open += apps;
    this.changes();
  }

  close(): void {
    this.closed = true;
    this.changes();
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.changes();
  }

  /** Resolves at the plan's next change; rejects once the view could not be read. */
  async changed(): Promise<void> {
    if (!this.failure) await this.next;
    if (this.failure) throw this.failure.error;
  }

  private changes(): void {
    const wake = this.wake;
    this.next = this.renew();
    wake();
  }

  private renew(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }
}

interface ViewRows<V> {
  rows: { id: string; key: string; value: V }[];
  /** Rows in the whole view (CouchDB gives it with every answer): here, the server's events. */
  total_rows?: number;
}

/**
 * The desks' view on the server, through the HTTP adapter's own request (its credentials and
 * base URL): the desk's PouchDB carries no map/reduce plugin (a local view engine would evaluate
 * code, which the window's CSP forbids), and needs none for a server's view.
 */
export async function queryDeskView<V>(
  remote: PouchDB.Database,
  params: string,
  keys?: readonly string[],
  view: 'apps' | 'people' = 'apps',
): Promise<ViewRows<V>> {
  const res = await serverRequest(remote, deskViewPath(view, params), keys && { keys });
  return (await res.json()) as ViewRows<V>;
}

const deskViewPath = (view: 'apps' | 'people', params: string): string =>
  `${DESK_DESIGN_DOC_ID}/_view/${view}?${params}`;

/** A request to the server's database through the HTTP adapter's own `fetch` (its credentials and base URL): a GET, or a POST of `body`. */
async function serverRequest(
  remote: PouchDB.Database,
  path: string,
  /** A POST's body: an object, or JSON made already. */
  body?: object | string | ArrayBuffer,
): Promise<Response> {
  const http = remote as unknown as { fetch?: (path: string, init?: RequestInit) => Promise<Response> };
  if (typeof http.fetch !== 'function') throw new Error('first download: the server is not reached over HTTP');
  // JSON asked for by name, as PouchDB's own requests do: CouchDB 3 answers `_bulk_get` in
  // multipart to a client that does not accept JSON.
  const accept = { accept: 'application/json' };
  const res = await http.fetch(
    path,
    body
      ? {
          method: 'POST',
          headers: new Headers({ ...accept, 'content-type': 'application/json' }),
          body: typeof body === 'string' || body instanceof ArrayBuffer ? body : JSON.stringify(body),
        }
      : { method: 'GET', headers: new Headers(accept) },
  );
  if (!res.ok) throw Object.assign(new Error(`${path}: ${res.status}`), { status: res.status });
  return res;
}

/** The revisions among `wanted` this replica lacks. */
async function missingHere(local: PouchDB.Database, wanted: readonly IdRev[]): Promise<IdRev[]> {
  if (wanted.length === 0) return [];
  const req: Record<string, string[]> = {};
  for (const w of wanted) (req[w.id] ??= []).push(w.rev);
  const diff = await local.revsDiff(req);
  return Object.entries(diff).flatMap(([id, d]) => (d.missing ?? []).map((rev) => ({ id, rev })));
}

/**
 * The documents at those revisions, with their revision history, attachments inline, as the
 * server's `_bulk_get` answers them (bytes: the replica writer parses them, bulkGet.ts), in the
 * requests `bulkGetBodies` makes. Every server a desk syncs with answers `_bulk_get` (CouchDB 3, the
 * hub, the dev central), so PouchDB's fallback of one GET per document is not wanted here: a
 * failed request fails the batch.
 */
async function fetchDocs(
  remote: PouchDB.Database,
  wanted: readonly IdRev[],
  scans: ReadonlySet<string> = new Set(),
): Promise<BulkGetAnswers> {
  return postBodies(remote, { bodies: bulkGetBodies(wanted, scans), asked: wanted.length });
}

/** Those requests made, one after the other (bodies the view worker made, or made here). */
async function postBodies(remote: PouchDB.Database, requests: RequestBodies): Promise<BulkGetAnswers> {
  const answers: ArrayBuffer[] = [];
  for (const body of requests.bodies)
    answers.push(await (await serverRequest(remote, '_bulk_get?revs=true&attachments=true', body)).arrayBuffer());
  return { answers, asked: requests.asked };
}

/** What lies outside the events (the staff directory, desk-key escrows, design documents): listed by `_all_docs`. */
export async function otherDocs(remote: PouchDB.Database): Promise<IdRev[]> {
  const [before, after] = await Promise.all([
    remote.allDocs({ startkey: '', endkey: 'evt:', inclusive_end: false }),
    remote.allDocs({ startkey: 'evt:\ufff0', endkey: '\uffff' }),
  ]);
  // Design documents too, as the live replication would bring them.
  return [...before.rows, ...after.rows].map((r) => ({ id: r.id, rev: r.value.rev }));
}

interface Mark {
  _rev?: string;
  done?: boolean;
  /** Where the live push starts after this download (see `pushSinceAfterDownload`). */
  pushSince?: number | string;
  /** Where the live pull from the server downloaded from starts (see `pullSinceAfterDownload`). */
  pullSince?: PullSince;
}

/** A server's update sequence, and which server's (a hub's sequences are its own). */
export interface PullSince {
  server: string;
  since: number | string;
}

const markOf = (local: PouchDB.Database): Promise<Mark | null> => local.get<Mark>(FIRST_DOWNLOAD_DOC).catch(() => null);

export async function isFirstDownloadDone(local: PouchDB.Database): Promise<boolean> {
  return (await markOf(local))?.done === true;
}

/**
 * Whether this desk should download first, before its live replication: its replica is empty
 * (a new desk, a wiped profile), or a first download began and has not finished. A desk that
 * already holds documents otherwise catches up by the live replication, as it always has.
 */
export async function needsFirstDownload(local: PouchDB.Database): Promise<boolean> {
  const mark = await markOf(local);
  if (mark) return mark.done !== true;
  return (await local.info()).doc_count === 0;
}

async function setMark(
  local: PouchDB.Database,
  done: boolean,
  at: number,
  handOver: Pick<Mark, 'pushSince' | 'pullSince'> = {},
): Promise<void> {
  const prev = await markOf(local);
  await local.put({
    _id: FIRST_DOWNLOAD_DOC,
    ...(prev?._rev ? { _rev: prev._rev } : {}),
    done,
    at,
    ...(handOver.pushSince !== undefined ? { pushSince: handOver.pushSince } : {}),
    ...(handOver.pullSince !== undefined ? { pullSince: handOver.pullSince } : {}),
  });
}

/**
 * Where the live push may start after a first download: the replica's update sequence below which
 * everything was written by the download (what came from the server is never this desk's to send,
 * and the push's first pass would otherwise read and open every downloaded document on the window's
 * thread: issue 13). Any of the desk's own writes during the download (registration is never
 * blocked) lies above it. Told only by a download that ran from an empty replica to its end in one
 * go: a resumed one cannot know what was written between its runs (the live sync may have run), and
 * its push reads the replica from its own checkpoint as before. Kept until the live push has passed
 * it (`forgetHandOver`): a restart before that starts there again, never from the beginning.
 */
export async function pushSinceAfterDownload(local: PouchDB.Database): Promise<number | string | undefined> {
  const mark = await markOf(local);
  return mark?.done === true ? mark.pushSince : undefined;
}

/**
 * Where the live pull from the server the download came from may start: that server's update
 * sequence read before the download read its view. Whatever changed there after it comes through
 * the changes feed; whatever before it was in the view and was fetched. Without it the pull read the
 * server's whole changes feed once more and asked the replica about every document (`_revs_diff`
 * over half a million at 100,000 applications: minutes of the window's thread). Told only by a
 * download from an empty replica (a resumed one may hold what the server has since deleted).
 */
export async function pullSinceAfterDownload(local: PouchDB.Database): Promise<PullSince | undefined> {
  const mark = await markOf(local);
  return mark?.done === true ? mark.pullSince : undefined;
}

/** The live sync has its own checkpoints now (it has been online): later starts go on from them. */
export async function forgetHandOver(local: PouchDB.Database): Promise<void> {
  const mark = await markOf(local);
  if (mark?.pushSince === undefined && mark?.pullSince === undefined) return;
  const { pushSince: _push, pullSince: _pull, ...rest } = mark;
  await local.put({ ...rest, _id: FIRST_DOWNLOAD_DOC });
}

/**
 * What the view says of the server's events: per application its summary; each event's revisions
 * are held by the reading (`revisions`, open: whoever read the view closes it once done with them).
 */
export interface ServerEvents {
  summaries: { key: string; value: AppSummary }[];
  revisions: ViewPages;
  /** The numbers the events gave out (registration and outgoing). */
  given: string[];
  /** The events that carry a scan (attachments, as the view says, or an attachment_added), by id. */
  scans: Set<string>;
  /**
   * Those events counted per application, as the rows are read: counting them when the history is
   * planned took some 200 ms of the window's thread in one task at 100,000 applications.
   */
  scansPerApp: Map<string, number>;
}

/** Applications whose rows are all read, as a page of the view completes them (see `readServerEvents`). */
export interface ServerApps {
  summaries: { key: string; value: AppSummary }[];
  /** The view's rows in all (the server's events), as its first page tells. */
  totalRows: number | null;
  /**
   * The reading, which holds every event's revisions read so far (these applications' among them);
   * a first download takes an application's once, for its request. And the events with a scan.
   */
  revisions: ViewPages;
  scans: ReadonlySet<string>;
  scansPerApp: ReadonlyMap<string, number>;
}

/**
 * The desks' view read whole, its rows (`reduce=false`) in pages of `pageRows` that follow each
 * other by key (`startkey` = the last page's last key, `skip` = that key's rows already read:
 * exact, as rows of one key come by document id; CouchDB 3 and the dev central both take it). Each
 * application's summary is reduced by the view's own reduce, by the reader (viewReader.ts): its
 * `group=true` is a custom JavaScript reduce over every row, which the dev central took 10 s over for
 * 16,000 events and CouchDB runs through its JavaScript engine group by group, where plain rows are
 * an index read. The pages' bodies go to the view worker as they came: the window keeps only what
 * the reader tells of each application.
 *
 * `onApps` is told each page's applications as soon as all their rows are read (an application
 * whose rows go on into the next page, with that page): a first download fetches a page's open
 * applications while the next page is read, instead of waiting for the whole view (at 100,000
 * applications, half a million rows).
 */
export async function readServerEvents(
  remote: PouchDB.Database,
  pageRows: number,
  /** Only these applications (a field laptop's scope): asked by key, in chunks. */
  only?: readonly string[],
  onApps?: (apps: ServerApps) => void,
  pages: ViewPages = openViewPages(),
): Promise<ServerEvents> {
  const summaries = new Map<string, AppSummary>();
  const given: string[] = [];
  const scans = new Set<string>();
  const scansPerApp = new Map<string, number>();
  let totalRows: number | null = null;
  const took = (page: ViewPage): void => {
    totalRows ??= page.totalRows;
    for (const g of page.given) given.push(g);
    for (const a of page.told) {
      summaries.set(a.key, a.value);
      for (const id of a.scans) scans.add(id);
      if (a.scans.length > 0) scansPerApp.set(a.key, a.scans.length);
    }
    if (page.told.length > 0)
      onApps?.({
        summaries: page.told.map((a) => ({ key: a.key, value: a.value })),
        totalRows,
        revisions: pages,
        scans,
        scansPerApp,
      });
  };
  try {
    if (only) {
      for (let i = 0; i < only.length; i += KEYS_PER_REQUEST) {
        const res = await serverRequest(remote, deskViewPath('apps', 'reduce=false'), {
          keys: only.slice(i, i + KEYS_PER_REQUEST),
        });
        took(await pages.page(await res.arrayBuffer()));
      }
      took(await pages.end());
    } else
      for (let from: ViewPage['next'] = null; ;) {
        const at = from ? `&startkey=${encodeURIComponent(JSON.stringify(from.key))}&skip=${String(from.skip)}` : '';
        const res = await serverRequest(remote, deskViewPath('apps', `reduce=false&limit=${String(pageRows)}${at}`));
        const page = await pages.page(await res.arrayBuffer(), pageRows);
        took(page);
        if (!page.next) break;
        from = page.next;
      }
  } catch (e) {
    pages.close();
    throw e;
  }
  return { summaries: summaryList(summaries), revisions: pages, given, scans, scansPerApp };
}

const summaryList = (m: ReadonlyMap<string, AppSummary>): { key: string; value: AppSummary }[] =>
  [...m].map(([key, value]) => ({ key, value }));

/** Keys per view request when applications are asked by id (a POST body of some 20 KB). */
const KEYS_PER_REQUEST = 500;

/**
 * Runs (or resumes) the first download from `remote` into the office database. Throws when the
 * server cannot be read or lacks the view (an older server): the live replication then does the
 * whole download, as before.
 */
export async function firstDownload(
  office: OfficeDb,
  remote: PouchDB.Database,
  opts: FirstDownloadOptions = {},
): Promise<FirstDownloadResult> {
  const local = office.db;
  const mark = await markOf(local);
  if (mark?.done === true && opts.again !== true) return 'alreadyDone';
  const now = opts.now ?? (() => Date.now());
  const batchDocs = opts.batchDocs ?? 2000;
  const inFlight = Math.max(1, opts.inFlight ?? 3);
  const started = now();
  // Nothing here and nothing begun: nothing to skip, so the replica is not asked what it lacks.
  const fresh = !mark && opts.again !== true && (await local.info()).doc_count === 0;
  // Where the desk's own writes during this run begin, if any (see pushSinceAfterDownload): a gap in
  // the update sequence between two of the download's slices, or a slice taking more sequence
  // numbers than it has documents, is someone else's write.
  let lastEnd: number | string = (await local.info()).update_seq;
  let ownFrom: number | string | undefined;
  const track = (s: ReplicatedSlice): void => {
    if (s.before !== lastEnd) ownFrom ??= lastEnd;
    else if (typeof s.before === 'number' && typeof s.after === 'number' && s.after - s.before > s.docs)
      ownFrom ??= s.before;
    lastEnd = s.after;
  };
  const lacking = (wanted: readonly IdRev[]): Promise<IdRev[]> =>
    fresh ? Promise.resolve([...wanted]) : missingHere(local, wanted);
  const only = opts.only;
  // The server's sequence before its view is read: the live pull's start (pullSinceAfterDownload).
  const serverSeq = fresh && !only && !opts.events ? (await remote.info()).update_seq : undefined;
  // Begun: a reload before the end resumes it (needsFirstDownload), documents here or not.
  if (!mark) await setMark(local, false, now());
  const plan = new Plan();
  // The view's reading, which holds the revisions: the caller's (`opts.events`), or this run's own,
  // closed at its end.
  let source: ViewPages | null = opts.events?.revisions ?? null;
  // What the reading holds is let go once taken, unless it is the caller's (`opts.events`).
  const keep = opts.events !== undefined;
  let scans: ReadonlySet<string> = new Set();
  // The open applications of each page of the view as soon as it is read (the inbox first), planned
  // here (a few hundred a page); the history, newest first, once the whole view is read, planned by
  // the reading, which holds the closed applications' summaries (ViewReader.history).
  const takeApps = (apps: ServerApps): void => {
    source = apps.revisions;
    scans = apps.scans;
    const open = apps.summaries.filter((a) => isProbablyOpen(a.value) && (!only || only.has(a.key)));
    if (!only && apps.totalRows !== null) {
      // The replica's writer started while the rest of the view is read, if the office needs it.
      if (plan.events === 0) void office.prepareDownload(apps.totalRows);
      plan.expectEvents(apps.totalRows);
    }
    plan.add(
      planBatches(open, (appId) => apps.scansPerApp.get(appId) ?? 0, batchDocs),
      true,
    );
  };
  const reading = (async (): Promise<void> => {
    const events = opts.events
      ? (takeApps({ ...opts.events, totalRows: null }), opts.events)
      : await readServerEvents(remote, opts.pageRows ?? 10_000, undefined, takeApps);
    // The view's end and the numbers it gave each in a task of their own: at 100,000 applications
    // the two with the history's plan held the window's thread for some 250 ms.
    await yieldToWindow();
    await opts.onNumbers?.(events.given);
    if (source) plan.add(await source.history(only ? [...only] : null, batchDocs, keep), false);
    plan.close();
  })();
  reading.catch((e: unknown) => plan.fail(e));
  // This run's own reading ends with it, its worker and the revisions left with it.
  const closeReading = (): void => {
    if (!opts.events) source?.close();
  };
  const others = await otherDocs(remote).catch(async (e: unknown) => {
    await reading.catch(() => undefined);
    closeReading();
    throw e;
  });
  let docs = 0;
  const report = (): void => {
    // Nothing to tell before the view's first page (its row count) or the whole plan is known.
    if (!plan.known) return;
    const elapsed = now() - started;
    const totalDocs = others.length + plan.events;
    opts.onProgress?.({
      docs,
      totalDocs,
      apps: plan.apps.done,
      totalApps: plan.closed ? plan.apps.all : null,
      openDone: plan.closed && plan.apps.done >= plan.apps.open,
      etaMs: docs > 0 ? Math.round((elapsed / docs) * Math.max(0, totalDocs - docs)) : null,
    });
  };
  const fetchBatch = async ({ appIds }: PlannedBatch): Promise<BulkGetAnswers> => {
    if (!source) throw new Error('first download: a batch planned before the view was read');
    // Nothing here yet: the reading makes the requests (for the window, in the view worker, so that
    // the revisions never pass through it); else what this replica lacks is asked for.
    if (fresh) return postBodies(remote, await source.requests(appIds, keep));
    return fetchDocs(remote, await lacking(await source.revisions(appIds, keep)), scans);
  };
  // Several requests ahead of the write (the server and the replica each work all the time);
  // written in the plan's order, so the open applications land first. No batch mixes the two: the
  // inbox is whole as soon as the open applications' own batches land, whatever the history holds.
  // A batch's request is let go once written: a resolved promise holds its documents, and kept
  // for the whole download they were all of the office's, scans included (2 GB of scans at 100,000
  // applications ended the window: "Target crashed").
  const ahead = new Map<number, Promise<BulkGetAnswers>>();
  let launched = 0;
  const launch = (upTo: number): void => {
    for (; launched < Math.min(upTo, plan.batches.length); launched++) {
      const p = fetchBatch(plan.batches[launched] ?? WRITTEN);
      // Observed when its turn comes; until then a failure must not count as unhandled.
      p.catch(() => undefined);
      ahead.set(launched, p);
    }
  };
  try {
    report();
    // The directory and the escrows first: routing an application needs the staff directory.
    await office.writeReplicated(await fetchDocs(remote, await lacking(others)), undefined, track);
    docs += others.length;
    report();
    for (let i = 0; ; i++) {
      // The view is still being read: its next open applications, or its end, are waited for.
      while (i >= plan.batches.length && !plan.closed) await plan.changed();
      const batch = plan.batches[i];
      if (!batch) break;
      opts.signal?.throwIfAborted();
      launch(i + inFlight);
      const fetched = await (ahead.get(i) ?? Promise.resolve({ answers: [], asked: 0 }));
      ahead.delete(i);
      launch(i + 1 + inFlight);
      await office.writeReplicated(fetched, undefined, track);
      docs += batch.events;
      plan.apps.done += batch.appIds.length;
      // Written: its applications are not held through the rest of the download.
      plan.batches[i] = WRITTEN;
      report();
    }
  } catch (e) {
    // Nothing goes on after the failure is reported: the requests ahead and the view's read are let finish first.
    await Promise.all([...ahead.values(), reading].map((p) => p.catch(() => undefined)));
    closeReading();
    throw e;
  }
  closeReading();
  if (mark?.done !== true)
    await office.writeReplicated([], async () => {
      // In the queue: nothing else writes until the mark is down.
      const end = (await local.info()).update_seq;
      if (end !== lastEnd) ownFrom ??= lastEnd;
      await setMark(local, true, now(), {
        ...(fresh ? { pushSince: ownFrom ?? end } : {}),
        ...(serverSeq !== undefined ? { pullSince: { server: remote.name, since: serverSeq } } : {}),
      });
    });
  return 'done';
}
