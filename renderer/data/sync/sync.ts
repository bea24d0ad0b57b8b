import { MAX_BACKOFF_MS, nextBackoff } from '@shared/couch';
import { parseEventId } from '@shared/events';
import { pouchIdbName, takeAbortCause } from '../store/durability';
import { PouchDB } from '../store/pouch';
import { onWrites } from '../store/writes';
import { SCANS_PER_REQUEST } from './firstDownload';
import { Line, type LineOptions } from './syncLine';

/**
 * Live two-way replication of the office database with one server (central or the office hub),
 * and an honest account of it for the sync indicator: state, last successful sync, how many of this
 * desk's events the server does not have yet (counted, never assumed), the progress of a first
 * download, and errors as translatable codes. A desk runs one of these per server it knows.
 */

export type SyncState = 'connecting' | 'syncing' | 'online' | 'offline' | 'error' | 'stopped';
export type SyncErrorCode =
  'sync.unauthorized' | 'sync.forbidden' | 'sync.unreachable' | 'sync.serverError' | 'sync.storageFull' | 'sync.failed';

export interface RefusedDoc {
  id: string;
  reason: string;
}

export interface SyncSnapshot {
  target: string;
  state: SyncState;
  lastSyncAt: number | null;
  /** Local events the server lacks; null until first counted. */
  pendingLocal: number | null;
  error: SyncErrorCode | null;
  /** Documents the server's validation refused; the rest of the sync goes on. */
  refused: RefusedDoc[];
  pulled: number;
  pushed: number;
  /**
   * While this desk is far behind the server (a first download, or a long absence): documents
   * here against the server's count. Approximate by nature (both counts include design documents,
   * and the server may grow meanwhile), and shown as such; null when not behind.
   */
  download: DownloadProgress | null;
  /** While events are moving: how many are left and how fast they go; null when idle. */
  progress: SyncProgress | null;
}

export interface SyncProgress {
  /** Up: this desk's events the server lacks; down: the download's remaining documents. */
  direction: 'up' | 'down';
  left: number;
  /** Events moved in the last minute, per minute; null until some have. */
  perMinute: number | null;
}

export interface DownloadProgress {
  have: number;
  total: number;
  /** During the desk's own first download (firstDownload.ts): applications complete, of all. */
  apps?: { have: number; total: number };
  /** The open applications have all arrived: the inbox is whole, the history still coming. */
  openDone?: boolean;
  /** Estimated time left. */
  etaMs?: number | null;
}

/** Behind by more than this many documents counts as a download worth showing. */
export const DOWNLOAD_THRESHOLD = 50;

/** A download is shown while the desk lacks more than a threshold of the server's documents. */
export function downloadProgress(
  localDocs: number,
  remoteDocs: number,
  threshold = DOWNLOAD_THRESHOLD,
): DownloadProgress | null {
  return remoteDocs - localDocs > threshold ? { have: Math.max(0, localDocs), total: remoteDocs } : null;
}

export interface SyncOptions {
  /** Name shown to the user for this target, e.g. 'central' or 'hub'. */
  target: string;
  /**
   * This desk's device id: only its own events are counted as "not yet on the server" (events it
   * pulled from another desk are that desk's or the hub's to deliver), and a server refusing to
   * take another user's event from this desk (`event.actorMismatch`) is not this desk's refusal.
   */
  ownDevice?: string;
  /**
   * The signed-in person: the desk pushes only the events they recorded, with a checkpoint of
   * their own. The server takes an event only from its author, so on a shared desk each person's
   * events go up with their own credentials — when they next sign in here, if not before — instead
   * of being offered under someone else's name, refused, and passed over for good. Absent (an
   * administrator's replication, the lab's): every event is pushed.
   */
  author?: string;
  onChange: (s: SyncSnapshot) => void;
  now?: () => number;
  /** Replication tuning (SYNC_BATCH by default; PouchDB's own defaults are 100 × 10). */
  batchSize?: number;
  batchesLimit?: number;
  /** Documents per batch of the scans' push (events with attachments, after the rest). */
  scanBatchSize?: number;
  /** Documents per batch of the scans' pull (SYNC_BATCH.scansDown by default). */
  scanPullBatchSize?: number;
  /**
   * The line to the server (`openRemote` makes it with the remote): when it comes back after a cut
   * the sync restarts at once, and a batch too large for the way (413) is halved.
   */
  line?: Line;
  /** Retry back-off cap in ms (shared/couch/backoff.ts). */
  maxBackoffMs?: number;
  /**
   * How often the server is asked whether it is there (busy or idle), and how long it may take to
   * answer. A server that goes away mid-sync (a pulled cable leaves the replication's requests
   * hanging, not failing) is "offline" within one check, not when PouchDB's own request times out
   * (while a batch is still going up, once the line's probes find it dead: Line.sending).
   */
  heartbeatMs?: number;
  probeTimeoutMs?: number;
  /**
   * The pull (events and scans): a field laptop's only what the selector matches (field.ts); and,
   * the first time this sync starts, from `since`, a sequence of the server (a field laptop's scope
   * decided there, or a first download's start: firstDownload.ts `pullSinceAfterDownload`). PouchDB
   * writes it as the pull's checkpoint, so later restarts go on from the replication's own.
   */
  pull?: { selector?: Record<string, unknown>; since?: string | number };
  /**
   * Where the push (events and scans) starts the first time this sync starts: past what a first
   * download wrote (firstDownload.ts `pushSinceAfterDownload`), a sequence of the local replica.
   * PouchDB writes it as the push's checkpoint at once, so a restart goes on from there.
   */
  push?: { since: string | number };
  /** The documents each pulled batch brought (a field laptop widens its scope from them). */
  onPulled?: (docs: readonly object[]) => void;
}

export interface SyncHandle {
  snapshot(): SyncSnapshot;
  /** Recounts pending events and restarts replication at once (the "sync now" button). */
  syncNow(): Promise<void>;
  /**
   * Restarts replication and resolves once this person's events and scans written before the call
   * are on the server (true: the push and the scans' push have caught up), or false as soon as the
   * server fails, the desk goes offline or the sync stops. Sign-out waits on it.
   */
  flush(): Promise<boolean>;
  stop(): Promise<void>;
}

const CONFIRMED_DOC = '_local/kense-sync-confirmed';
/** A desk asks each server every few seconds whether it is there; an office has a few dozen desks. */
export const HEARTBEAT_MS = 4_000;
export const PROBE_TIMEOUT_MS = 3_000;

/**
 * Batch sizes for the live sync, chosen on shaped links (docs/performance/slow-links.md): on a
 * 400 ms round trip each batch costs several round trips (changes, `_revs_diff`, `_bulk_docs` or
 * `_bulk_get`, two checkpoint writes, and the other direction's echo), so PouchDB's 100-document
 * batches spent most of a day's push waiting. 500 documents is about 290 KB of events (about 60 KB
 * gzipped) and a few seconds on a 256 kbit/s line: what a cut can cost at most. Halved on a 413 or a
 * stalled batch (`minSize` at least), restored at the next restart after a run of good batches.
 * Scans go in replications of their own: up one at a time (a cut costs one), down as many a batch
 * as the first download takes in one request (a few MB; see WITH_SCANS).
 */
export const SYNC_BATCH = { size: 500, limit: 2, scans: 1, scansDown: SCANS_PER_REQUEST, minSize: 25 } as const;

interface FilterDoc {
  _id: string;
  kind?: unknown;
  actor?: { login?: unknown };
  _attachments?: unknown;
}
/** PouchDB hands a filter `req.query` = the replication's `query_params`: undefined when it has none. */
type FilterReq = { query?: { author?: string } };

/** A scan or photo: an attachment_added event, the bytes as its attachment (hundreds of KB). */
function carriesScan(doc: FilterDoc): boolean {
  return doc.kind === 'attachment_added' || doc._attachments !== undefined;
}
/**
 * Without an author, every event goes up, and only events: what else the office database holds
 * came from the server (the staff directory, written by the server admin) and is never the desk's
 * to send back.
 */
function eventsOnly(doc: { _id: string }): boolean {
  return doc._id.startsWith('evt:');
}
function ofAuthor(doc: FilterDoc, req: FilterReq): boolean {
  // A filter that throws lets the change through (PouchDB's filterChange takes the error for a
  // verdict), so a missing `query` must not throw: it once sent every event up the scans' push.
  const author = req.query?.author;
  return eventsOnly(doc) && (author === undefined || doc.actor?.login === author);
}

/**
 * PouchDB derives a replication's id (and so its checkpoints) from the filter's source text, which
 * a minified build changes at every release: a new id re-checks every event from the start (Medic
 * CHT's trap). The filters say a fixed name instead.
 */
function pinned<F extends (doc: FilterDoc, req: FilterReq) => boolean>(name: string, f: F): F {
  return Object.assign(f, { toString: () => name });
}
/** The push: the author's events (every event, without an author) except scans, which go after. */
export const pushEvents = pinned('kense:push-events:1', (doc, req) => ofAuthor(doc, req) && !carriesScan(doc));
/** The scans' push, a second replication that starts once the events have gone up. */
export const pushScans = pinned('kense:push-scans:1', (doc, req) => ofAuthor(doc, req) && carriesScan(doc));

/**
 * The remote database for a sync server, with its line (see syncLine.ts): what SyncController and
 * the lab use, so that they replicate exactly alike.
 */
export function openRemote(
  url: string,
  credentials: { username: string; password: string } | null,
  line: Omit<LineOptions, 'dbUrl' | 'authorization'> = {},
): { remote: PouchDB.Database; line: Line } {
  const authorization = credentials
    ? 'Basic ' +
      btoa(String.fromCharCode(...new TextEncoder().encode(`${credentials.username}:${credentials.password}`)))
    : undefined;
  const l = new Line({ ...line, dbUrl: url, ...(authorization ? { authorization } : {}) });
  const remote = new PouchDB(url, {
    adapter: 'http',
    ...(credentials ? { auth: credentials } : {}),
    skip_setup: true,
    fetch: l.fetch,
  });
  return { remote, line: l };
}

/**
 * The pull in two legs, as the push: documents without attachments in batches of 500, and those
 * with (scans and photos, up to a few MB each, on attachment_added events and on any other event
 * older data or the bench put them on) a few at a time. Inline with the events, a desk far behind
 * an office where many photos were taken pulled hundreds of them in one `_bulk_get` and one
 * `bulkDocs`: tens or hundreds of MB held at once in the window.
 *
 * Told by `_attachments` itself, as CouchDB 3's `_changes?filter=_selector` matches the document
 * with its attachment stubs (couch_changes: `couch_doc:to_json_obj(Doc, [])`), and its Mango takes
 * `$exists: false` on a missing field as a match (mango_selector); PouchDB evaluates the same on
 * the dev central and the hub. Not by `kind`: a condition on it never matches a document without
 * one (the staff directory, escrows, design documents), and a scan may ride on another kind.
 */
const WITHOUT_SCANS = { _attachments: { $exists: false } } as const;
const WITH_SCANS = { _attachments: { $exists: true } } as const;

/**
 * What names the live replications with a server: PouchDB derives each direction's checkpoint id
 * from its filter, query parameters, selector and document ids. A field laptop's selector (field.ts)
 * is narrowed by each pull's own condition (its keys are `$or` and fields, never `_attachments`).
 */
export function liveReplicationOptions(
  author?: string,
  selector?: Record<string, unknown>,
): {
  pull: PouchDB.Replication.ReplicateOptions;
  push: PouchDB.Replication.ReplicateOptions;
  scansPull: PouchDB.Replication.ReplicateOptions;
  scansPush: PouchDB.Replication.ReplicateOptions;
} {
  const query = author ? { query_params: { author } } : {};
  return {
    pull: { selector: { ...selector, ...WITHOUT_SCANS } },
    push: { filter: pushEvents, ...query },
    scansPull: { selector: { ...selector, ...WITH_SCANS } },
    scansPush: { filter: pushScans, ...query },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error('timeout'), { status: 0 })), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : Object.assign(new Error('request failed'), e as object));
      },
    );
  });
}

interface HttpLikeError {
  status?: number;
  name?: string;
  message?: string;
}

export function classifySyncError(err: unknown): SyncErrorCode {
  const e = (err ?? {}) as HttpLikeError;
  if (e.status === 401) return 'sync.unauthorized';
  if (e.status === 403) return 'sync.forbidden';
  if (e.name === 'QuotaExceededError' || /quota/i.test(e.message ?? '')) return 'sync.storageFull';
  // A gateway's 502/503/504 says the server behind it is away or overloaded: unreachable, as
  // is no answer at all. Any other 5xx is the server answering with its own failure, which the
  // office's IT person needs told apart from a cut line.
  if (
    e.status === undefined ||
    e.status === 0 ||
    e.status === 502 ||
    e.status === 503 ||
    e.status === 504 ||
    /fetch|network|ECONNREFUSED/i.test(e.message ?? '')
  )
    return 'sync.unreachable';
  if (e.status >= 500) return 'sync.serverError';
  return 'sync.failed';
}

/**
 * Counts local events the remote lacks. Local changes since the last point where the server was
 * known to hold everything are checked against the server with `_revs_diff` (exact). When the
 * server cannot be asked, every event changed since that point is counted: an upper bound that is
 * exact unless events arrived by pull just before the link dropped. `from` is where the push
 * starts after a first download (`SyncOptions.push`): what lies below it is the download's, never
 * this desk's to send, so nothing confirmed yet means from there, not from the beginning (at
 * 100,000 applications the first count read the 549,142 downloaded events whole on the window's
 * thread, with a 446 ms task at its end; docs/performance/new-desk.md).
 */
export async function countPending(
  local: PouchDB.Database,
  remote: PouchDB.Database,
  reachable: boolean,
  opts: { ownDevice?: string; target?: string; from?: number | string } = {},
): Promise<{ pending: number; exact: boolean }> {
  let since: number | string = opts.from ?? 0;
  let confirmedRev: string | undefined;
  // One confirmation point per server: central and the hub confirm different things.
  const confirmedDoc = opts.target && opts.target !== 'central' ? `${CONFIRMED_DOC}-${opts.target}` : CONFIRMED_DOC;
  const own = opts.ownDevice ?? null;
  try {
    const c = await local.get<{ seq: number | string }>(confirmedDoc);
    // The later of the two where both are numbers (the local adapters' sequences are).
    since = typeof c.seq === 'number' && typeof since === 'number' ? Math.max(c.seq, since) : c.seq;
    confirmedRev = c._rev;
  } catch {
    // nothing confirmed yet
  }
  const changes = await local.changes({ since, style: 'all_docs' });
  const revs: Record<string, string[]> = {};
  for (const ch of changes.results) {
    if (!ch.id.startsWith('evt:') || (own !== null && parseEventId(ch.id)?.device !== own)) continue;
    revs[ch.id] = ch.changes.map((c) => c.rev);
  }
  const ids = Object.keys(revs);
  if (!reachable) return { pending: ids.length, exact: ids.length === 0 };
  const diff = ids.length === 0 ? {} : await remote.revsDiff(revs);
  const missing = Object.keys(diff).length;
  if (missing === 0) {
    await local.put({ _id: confirmedDoc, _rev: confirmedRev, seq: changes.last_seq });
  }
  return { pending: missing, exact: true };
}

/** Events moved within the last minute, as a rate per minute (null before any). */
export function ratePerMinute(moves: readonly { at: number; n: number }[], now: number): number | null {
  const recent = moves.filter((m) => now - m.at <= 60_000);
  if (recent.length === 0) return null;
  const n = recent.reduce((a, m) => a + m.n, 0);
  // Over the time they took, counted from a minute back at most, at least 10 s (one batch alone is no rate).
  const span = Math.max(10_000, now - Math.min(...recent.map((m) => m.at)));
  return Math.round((n * 60_000) / span);
}

/** What a sync says before it has heard from its server. */
export function firstSnapshot(target: string): SyncSnapshot {
  return {
    target,
    state: 'connecting',
    lastSyncAt: null,
    pendingLocal: null,
    error: null,
    refused: [],
    pulled: 0,
    pushed: 0,
    download: null,
    progress: null,
  };
}

export function startSync(local: PouchDB.Database, remote: PouchDB.Database, opts: SyncOptions): SyncHandle {
  const now = opts.now ?? (() => Date.now());
  let snap: SyncSnapshot = firstSnapshot(opts.target);
  let stopped = false;
  const pendingOpts = { ownDevice: opts.ownDevice, target: opts.target, from: opts.push?.since };
  // The server's document count, asked once per check (not per batch: that would double the requests).
  let remoteDocs: number | null = null;
  const measureDownload = async (): Promise<void> => {
    // A field laptop holds part of the server's documents by design: the counts say nothing.
    if (remoteDocs === null || opts.pull?.selector) return;
    const here = await local.info();
    if (stopped) return;
    const download = downloadProgress(here.doc_count, remoteDocs);
    if (download?.have !== snap.download?.have || download?.total !== snap.download?.total) emit({ download });
  };
  // A full disk on this side reaches the replication as PouchDB's `unknown_error` (status 500),
  // which alone would read as an unreachable server; the office database kept the real cause.
  const classify = (err: unknown): SyncErrorCode => {
    const cause =
      (err as { name?: unknown } | null)?.name === 'unknown_error' ? takeAbortCause(pouchIdbName(local.name)) : null;
    return classifySyncError(cause ?? err);
  };
  // Progress: pushes and pulls of the last minute, and the pending count as last asked of the server.
  const moves: { up: { at: number; n: number }[]; down: { at: number; n: number }[] } = { up: [], down: [] };
  let pushedSinceCount = 0;
  const progressOf = (s: SyncSnapshot): SyncProgress | null => {
    if (s.state !== 'syncing') return null;
    if (s.download) {
      return {
        direction: 'down',
        left: Math.max(0, s.download.total - s.download.have),
        perMinute: ratePerMinute(moves.down, now()),
      };
    }
    if (s.pendingLocal !== null && s.pendingLocal - pushedSinceCount > 0)
      return {
        direction: 'up',
        left: s.pendingLocal - pushedSinceCount,
        perMinute: ratePerMinute(moves.up, now()),
      };
    return null;
  };
  const stateNow = (): SyncState => snap.state;
  /** Flushes waiting for the push to catch up (see `flush`). */
  const flushWaiters: ((sent: boolean) => void)[] = [];
  const settleFlushes = (sent: boolean): void => {
    for (const resolve of flushWaiters.splice(0)) resolve(sent);
  };
  const emit = (patch: Partial<SyncSnapshot>): void => {
    snap = { ...snap, ...patch };
    snap = { ...snap, progress: progressOf(snap) };
    opts.onChange(snap);
    if (snap.state === 'offline' || snap.state === 'error' || snap.state === 'stopped') settleFlushes(false);
  };

  // PouchDB reports `paused` without an error even when the server was never reached (it is
  // retrying), so "paused" is never taken as "synced": the server is asked, and the pending
  // events are counted, before the indicator says online.
  let verifying: Promise<void> | null = null;
  const verify = (): Promise<void> => {
    verifying ??= (async () => {
      const heard = opts.line?.signsOfLife;
      const timeoutMs = opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
      // A check still unanswered halfway through its time asks the line for a second opinion: its
      // probe (one round trip on a connection of its own) answering is a sign of life that the
      // catch below sees. On a lossy line TCP's back-off can hold the check and the sync's requests
      // silent for the check's whole time, where the line still answers; a cut silences both.
      const second = opts.line ? setTimeout(() => opts.line?.suspect(), timeoutMs / 2) : undefined;
      try {
        const info = await withTimeout(remote.info(), timeoutMs).finally(() => clearTimeout(second));
        remoteDocs = info.doc_count;
        if (ended) {
          if (!restarting) void restart();
          return;
        }
        await measureDownload();
        // While a replication is moving documents the server is plainly there: the pending count
        // (a read of the local changes since the last confirmation) waits until it pauses.
        if (snap.state === 'syncing') return;
        const { pending } = await countPending(local, remote, true, pendingOpts);
        if (stopped) return;
        pushedSinceCount = 0;
        // The server answers, but a leg of the events' sync is refused (its feed, its writes):
        // offline with that leg's error until PouchDB's retry gets through.
        const failing = failingLegs.values().next();
        if (!failing.done) {
          emit({ state: 'offline', error: classify(failing.value), pendingLocal: pending });
          return;
        }
        // A replication may have become active during the count (TypeScript cannot see that); and
        // while the scans' push has not caught up, what is pending may be its to send (nothing
        // pending: nothing for it either). The scans' pull must have caught up: what the server
        // holds for this desk cannot be counted here.
        if (stateNow() !== 'syncing' && scansDownIdle && (scansUpIdle || pending === 0))
          emit({ state: 'online', error: null, lastSyncAt: now(), pendingLocal: pending });
        else if (stateNow() !== 'syncing') emit({ state: 'syncing', error: null, pendingLocal: pending });
        else emit({ pendingLocal: pending });
        // Back: a replication stopped when the server went (below) starts over at once.
        if (replication === null && !restarting) void restart();
      } catch (err) {
        if (stopped) return;
        // The server answered other requests, or the line's probe, while this check waited: a slow
        // or lossy line (the check queued behind the sync's data, or backed off), not a cut.
        if (opts.line && opts.line.signsOfLife !== heard) return;
        // The line is still sending a batch up (the check queued behind its body): not a cut
        // either, as far as this check can tell. The line judges, on a connection of its own; found
        // dead, the desk says offline (`onDead`).
        if (opts.line?.sending) {
          opts.line.suspect();
          return;
        }
        const { pending } = await countPending(local, remote, false, pendingOpts).catch(() => ({
          pending: snap.pendingLocal,
        }));
        pushedSinceCount = 0;
        emit({ state: 'offline', error: classify(err), pendingLocal: pending });
        // The replication's requests may hang on a silent network, holding the browser's few
        // connections to the server, and its back-off would wait up to half a minute after the
        // server is back. With a line (the app's), the line judges: a check that failed on a slow,
        // busy line is not a cut, so it probes, and only a line found dead lets the hanging
        // requests go and holds the rest until a probe finds it back (then `restart`). Without one,
        // the replication is stopped here and started again by the next check that gets through.
        if (opts.line) opts.line.suspect();
        else await cancel();
      }
    })().finally(() => {
      verifying = null;
    });
    return verifying;
  };
  const heartbeat = setInterval(() => {
    if (!stopped) void verify();
  }, opts.heartbeatMs ?? HEARTBEAT_MS);

  // Offline the count is local: an event written on this desk meanwhile is one more waiting, said
  // at once, not at the next check (a worker in the field reads it before she goes home).
  let recounting: Promise<void> | null = null;
  let recountAgain = false;
  const recountOffline = (): void => {
    if (recounting) {
      recountAgain = true;
      return;
    }
    recounting = (async () => {
      do {
        recountAgain = false;
        const { pending } = await countPending(local, remote, false, pendingOpts);
        if (!stopped && snap.state === 'offline') emit({ pendingLocal: pending });
      } while (recountAgain && !stopped);
    })()
      .catch(() => undefined)
      .finally(() => {
        recounting = null;
      });
  };
  // Told of writes, not fed them: a live changes feed read every document written (the live
  // pull's too) whole on the desk's thread, for a count wanted only offline (store/writes.ts).
  const unwatchWrites = onWrites(local, () => {
    if (snap.state === 'offline') recountOffline();
  });

  const maxBackoff = opts.maxBackoffMs ?? MAX_BACKOFF_MS;
  const fullBatch = opts.batchSize ?? SYNC_BATCH.size;
  let batchSize = fullBatch;
  let goodBatches = 0;
  let replication: PouchDB.Replication.Sync<object> | null = null;
  let scansUp: PouchDB.Replication.Replication<object> | null = null;
  let scansDown: PouchDB.Replication.Replication<object> | null = null;
  /** The events' replication is moving documents; the scans' push or pull has not caught up (see beginScans). */
  let eventsBusy = false;
  let scansUpIdle = true;
  let scansDownIdle = true;
  /**
   * The events' legs paused on a failure, with it, until they move or pause without one. PouchDB's
   * `sync()` drops a leg's error from its own `paused` (pouchdb/pouchdb#4591, wontfix), so each
   * leg is followed; while one fails, a server that answers the checks is still not "online".
   */
  const failingLegs = new Map<'push' | 'pull', unknown>();
  /**
   * A replication has ended: PouchDB gives up for good on a 401 or 403 (its `error`), retrying
   * nothing, as a server does for a moment while it restarts with its accounts not yet loaded (the
   * dev central; a CouchDB node whose `_users` shard is not up). The next check the server answers
   * with these credentials starts the sync over; without it a dead leg stayed "not caught up", and
   * the desk said "syncing" for ever.
   */
  let ended = false;
  const onEnded = (err: unknown): void => {
    ended = true;
    emit({ state: 'error', error: classify(err) });
  };
  /** The `since`s of the scans' pull and push when they first start (after the events'). */
  let scansSince: { pull?: string | number; push?: string | number } = {};
  /** The current replication's events push has paused without a failure: it has sent all it had. */
  let pushCaughtUp = false;
  /** Everything of this person's is up when both pushes have caught up (the scans' starts after the events'). */
  const checkFlushed = (): void => {
    if (pushCaughtUp && scansUp !== null && scansUpIdle) settleFlushes(true);
  };

  const onDenied = (err: unknown): void => {
    // PouchDB reports `{ direction, doc: { id, error, reason } }` for a document the server refused.
    const e = (err ?? {}) as {
      doc?: { id?: string; reason?: string; error?: string };
      id?: string;
      reason?: string;
    };
    const id = e.doc?.id ?? e.id ?? '?';
    const reason = e.doc?.reason ?? e.reason ?? e.doc?.error ?? 'forbidden';
    // Another user's event, pulled from the hub or another desk, that this desk offered the
    // server too: the server takes it only from its author or the hub. Not this desk's refusal.
    if (reason === 'event.actorMismatch' && opts.ownDevice && parseEventId(id)?.device !== opts.ownDevice) return;
    const refuse = (): void => {
      if (!snap.refused.some((r) => r.id === id)) emit({ refused: [...snap.refused, { id, reason }] });
    };
    // The same event reached the server another way (the hub, another desk) between the check
    // and the write: a CouchDB-protocol server that validates even a revision it already holds
    // (pouchdb-server: the dev central and the hub) refuses it as immutable. Not a refusal.
    if (reason !== 'event.immutable') return refuse();
    settleImmutable(id, refuse);
  };
  /**
   * Immutable refusals whose comparison could not be made (the line went between the write and the
   * check): compared again when the sync is next idle and online, never counted as refusals
   * because a request failed (under random cuts that once reported a desk's own events as refused).
   */
  const unsettled = new Map<string, () => void>();
  const settleImmutable = (id: string, refuse: () => void): void => {
    unsettled.delete(id);
    void Promise.all([local.get(id), remote.get(id)])
      .then(([mine, theirs]) => (mine._rev === theirs._rev ? undefined : refuse()))
      .catch((err: unknown) => {
        const status = (err as { status?: unknown } | null)?.status;
        if (typeof status === 'number' && status > 0) refuse();
        else if (!stopped) unsettled.set(id, refuse);
      });
  };
  const settleLater = (): void => {
    for (const [id, refuse] of [...unsettled]) settleImmutable(id, refuse);
  };
  const onPulledDocs = (docs: readonly object[]): void => {
    opts.onPulled?.(docs);
    moves.down.push({ at: now(), n: docs.length });
    emit({ pulled: snap.pulled + docs.length });
    void measureDownload().catch(() => undefined);
  };
  const onPushed = (n: number): void => {
    moves.up.push({ at: now(), n });
    pushedSinceCount += n;
    emit({ pushed: snap.pushed + n });
  };
  const backOff = (delay: number): number => nextBackoff(delay, maxBackoff);
  /** A replication paused on a failure: offline, checked by a cheap probe so that the sync resumes as soon as the line does, not at the end of PouchDB's back-off. */
  const pausedByError = (err: unknown): void => {
    emit({ state: 'offline', error: classify(err) });
    opts.line?.suspect();
  };

  /** Nothing of the scans is moving, either way: with the events idle too, the desk may be online. */
  const scansSettled = (): void => {
    if (snap.state === 'syncing' && !eventsBusy && scansUpIdle && scansDownIdle) emit({ state: 'connecting' });
  };
  /** Handlers shared by the scans' two replications; `idle` sets the leg's own flag. */
  const followScans = (
    r: PouchDB.Replication.Replication<object>,
    idle: (v: boolean) => void,
    moved: (docs: readonly object[]) => void,
    /**
     * Whether a pause on a failure leaves the leg idle. The pull's: yes, nothing is moving and the
     * failure is the line's to report (offline until a check passes), as the events' pull's is;
     * held "not caught up", a desk whose server answers its checks but not its feed stayed
     * "syncing" for ever. The push's: no, while something is pending (its own count says so).
     */
    idleOnFailure: boolean,
  ): void => {
    void r
      .on('active', () => {
        idle(false);
        if (snap.state === 'offline') void verify();
        else if (snap.state !== 'syncing') emit({ state: 'syncing', error: null });
      })
      .on('change', (info) => {
        idle(false);
        if (snap.state !== 'syncing') emit({ state: 'syncing', error: null });
        moved(info.docs);
      })
      .on('paused', (err: unknown) => {
        if (err) {
          if (idleOnFailure) idle(true);
          pausedByError(err);
        } else {
          idle(true);
          scansSettled();
          checkFlushed();
        }
        void verify();
      })
      .on('denied', onDenied)
      .on('error', onEnded);
  };

  /**
   * Scans go up and come down in replications of their own, a few at a time, once the events
   * have: never in their way, and never hundreds of MB in one request or one write (see
   * WITH_SCANS). Until the push has caught up (its first `paused`), the desk is still sending:
   * the indicator says syncing, never "online", while photos taken at a home visit are still
   * going up; until the pull has, it is still receiving.
   */
  const beginScans = (): void => {
    if (scansUp || scansDown || stopped) return;
    const live = liveReplicationOptions(opts.author, opts.pull?.selector);
    const common = { live: true, retry: true, batches_limit: 1, back_off_function: backOff };
    const since = scansSince;
    scansSince = {};
    scansUpIdle = false;
    scansDownIdle = false;
    scansUp = local.replicate.to(remote, {
      ...live.scansPush,
      ...(since.push !== undefined ? { since: since.push } : {}),
      ...common,
      batch_size: opts.scanBatchSize ?? SYNC_BATCH.scans,
    });
    scansDown = local.replicate.from(remote, {
      ...live.scansPull,
      ...(since.pull !== undefined ? { since: since.pull } : {}),
      ...common,
      batch_size: opts.scanPullBatchSize ?? SYNC_BATCH.scansDown,
    });
    followScans(
      scansUp,
      (v) => (scansUpIdle = v),
      (docs) => onPushed(docs.length),
      false,
    );
    followScans(
      scansDown,
      (v) => (scansDownIdle = v),
      (docs) => onPulledDocs(docs),
      true,
    );
  };

  let firstBegin = true;
  const begin = (): void => {
    // How far behind this desk is, before the first batch lands (a first download shows progress at once).
    void withTimeout(remote.info(), opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS)
      .then((info) => {
        remoteDocs = info.doc_count;
        return measureDownload();
      })
      .catch(() => undefined);
    const live = liveReplicationOptions(opts.author, opts.pull?.selector);
    const since = firstBegin ? opts.pull?.since : undefined;
    const pushSince = firstBegin ? opts.push?.since : undefined;
    if (firstBegin) scansSince = { pull: since, push: pushSince };
    firstBegin = false;
    pushCaughtUp = false;
    replication = local.sync(remote, {
      // query_params are part of PouchDB's replication id: one push checkpoint per author.
      push: { ...live.push, ...(pushSince !== undefined ? { since: pushSince } : {}) },
      pull: { ...live.pull, ...(since !== undefined ? { since } : {}) },
      live: true,
      retry: true,
      batch_size: batchSize,
      batches_limit: opts.batchesLimit ?? SYNC_BATCH.limit,
      back_off_function: backOff,
    });
    // The replication object is also a promise; its outcome arrives through these events.
    void replication
      // A retry against a server the last check could not reach is not "syncing": it stays
      // offline until a check (started now) or a change says the server answers again.
      .on('active', () => {
        eventsBusy = true;
        if (snap.state === 'offline') void verify();
        else emit({ state: 'syncing', error: null });
      })
      .on('change', (info) => {
        eventsBusy = true;
        // `docs_written` is the running total of this replication; the batch is `docs`.
        const n = info.change.docs.length;
        failingLegs.delete(info.direction);
        if (n >= batchSize && batchSize < fullBatch && ++goodBatches >= 4) {
          // Good batches again at the smaller size: the next start goes back up.
          batchSize = Math.min(fullBatch, batchSize * 2);
          goodBatches = 0;
        }
        // Documents moved: the server answers, whatever the last check said.
        if (snap.state !== 'syncing') emit({ state: 'syncing', error: null });
        if (info.direction === 'pull') onPulledDocs(info.change.docs);
        else onPushed(n);
      })
      // Both legs have paused (a failure comes only through a leg's own `paused`: below).
      .on('paused', () => {
        eventsBusy = false;
        scansSettled();
        beginScans();
        settleLater();
        void verify();
      })
      .on('denied', onDenied)
      .on('error', onEnded);
    // The legs are there at run time (pouchdb-replication's Sync), not in its typings.
    const current = replication;
    const legs = current as unknown as Record<'push' | 'pull', PouchDB.Replication.Replication<object>>;
    for (const direction of ['push', 'pull'] as const)
      void legs[direction].on('paused', (err: unknown) => {
        if (replication !== current) return;
        if (err) {
          failingLegs.set(direction, err);
          pausedByError(err);
        } else {
          failingLegs.delete(direction);
          if (direction === 'push') {
            pushCaughtUp = true;
            checkFlushed();
          }
        }
        void verify();
      });
  };

  const cancelOne = async (
    r: { cancel: () => void; on: (e: 'complete', f: () => void) => unknown } | null,
  ): Promise<void> => {
    if (!r) return;
    // Its end is awaited briefly: a replication cancelled while its requests fail may not say so,
    // and a restart after a cut should not wait on it.
    const done = new Promise<void>((resolve) => {
      void r.on('complete', () => resolve());
      setTimeout(resolve, 500);
    });
    r.cancel();
    await done;
  };
  const cancel = async (): Promise<void> => {
    const all = [replication, scansUp, scansDown];
    replication = null;
    scansUp = null;
    scansDown = null;
    scansUpIdle = true;
    scansDownIdle = true;
    eventsBusy = false;
    failingLegs.clear();
    ended = false;
    await Promise.all(all.map(cancelOne));
  };
  let restarting: Promise<void> | null = null;
  const restart = (): Promise<void> => {
    restarting ??= (async () => {
      if (stopped) return;
      await cancel();
      if (stopped) return;
      emit({ state: 'connecting' });
      begin();
    })().finally(() => {
      restarting = null;
    });
    return restarting;
  };
  if (opts.line) {
    opts.line.onDead = () => {
      if (!stopped) emit({ state: 'offline', error: 'sync.unreachable' });
    };
    opts.line.onBack = () => void restart();
    opts.line.onTooLarge = (path) => {
      if (!/_bulk_docs|_bulk_get/.test(path) || batchSize <= SYNC_BATCH.minSize) return;
      batchSize = Math.max(SYNC_BATCH.minSize, Math.floor(batchSize / 2));
      goodBatches = 0;
      void restart();
    };
    opts.line.onGaveUp = opts.line.onTooLarge;
  }
  begin();

  return {
    snapshot: () => snap,
    syncNow: async () => {
      if (stopped) return;
      await restart();
      await verify();
    },
    flush: async () => {
      // A server the desk does not reach now is not waited for (its line may hold requests).
      if (stopped || snap.state === 'offline' || snap.state === 'error') return false;
      const sent = new Promise<boolean>((resolve) => flushWaiters.push(resolve));
      await restart();
      return sent;
    },
    stop: async () => {
      stopped = true;
      clearInterval(heartbeat);
      unwatchWrites();
      await recounting;
      opts.line?.close();
      await cancel();
      await verifying;
      emit({ state: 'stopped' });
    },
  };
}
