import { parseEventId } from '@shared/events';
import { pouchIdbName, takeAbortCause } from './durability';
import type { PouchDB } from './pouch';

/**
 * Live two-way replication of the office database with one server (central or the office hub),
 * and an honest account of it for the sync indicator: state, last successful sync, how many of this
 * desk's events the server does not have yet (counted, never assumed), the progress of a first
 * download, and errors as translatable codes. A desk runs one of these per server it knows.
 */

export type SyncState = 'connecting' | 'syncing' | 'online' | 'offline' | 'error' | 'stopped';
export type SyncErrorCode =
  'sync.unauthorized' | 'sync.forbidden' | 'sync.unreachable' | 'sync.storageFull' | 'sync.failed';

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
  /** Replication tuning; PouchDB's defaults are 100 × 10. */
  batchSize?: number;
  batchesLimit?: number;
  /** Retry back-off cap in ms (PouchDB's default grows to 10 minutes: too slow for a desk). */
  maxBackoffMs?: number;
  /**
   * How often the server is asked whether it is there (busy or idle), and how long it may take to
   * answer. A server that goes away mid-sync (a pulled cable leaves the replication's requests
   * hanging, not failing) is "offline" within one check, not when PouchDB's own request times out.
   */
  heartbeatMs?: number;
  probeTimeoutMs?: number;
}

export interface SyncHandle {
  snapshot(): SyncSnapshot;
  /** Recounts pending events and restarts replication at once (the "sync now" button). */
  syncNow(): Promise<void>;
  stop(): Promise<void>;
}

const CONFIRMED_DOC = '_local/kense-sync-confirmed';
/** A desk asks each server every few seconds whether it is there; an office has a few dozen desks. */
export const HEARTBEAT_MS = 4_000;
export const PROBE_TIMEOUT_MS = 3_000;

/** The push filter: events recorded by the author named in the replication's query parameters. */
function authoredBy(doc: { _id: string; actor?: { login?: unknown } }, req: { query: { author?: string } }): boolean {
  return doc._id.startsWith('evt:') && doc.actor?.login === req.query.author;
}

/**
 * Without an author, every event goes up, and only events: what else the office database holds
 * came from the server (the staff directory, written by the server admin) and is never the desk's
 * to send back.
 */
function eventsOnly(doc: { _id: string }): boolean {
  return doc._id.startsWith('evt:');
}

/**
 * What names the live replications with a server: PouchDB derives each direction's checkpoint id
 * from its filter, query parameters, selector and document ids. A first download
 * (firstDownload.ts) hands over to the live replication by writing checkpoints under these.
 */
export function liveReplicationOptions(author?: string): {
  pull: PouchDB.Replication.ReplicateOptions;
  push: PouchDB.Replication.ReplicateOptions;
} {
  return { pull: {}, push: author ? { filter: authoredBy, query_params: { author } } : { filter: eventsOnly } };
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
  if (
    e.status === undefined ||
    e.status === 0 ||
    e.status >= 500 ||
    /fetch|network|ECONNREFUSED/i.test(e.message ?? '')
  )
    return 'sync.unreachable';
  return 'sync.failed';
}

/**
 * Counts local events the remote lacks. Local changes since the last point where the server was
 * known to hold everything are checked against the server with `_revs_diff` (exact). When the
 * server cannot be asked, every event changed since that point is counted: an upper bound that is
 * exact unless events arrived by pull just before the link dropped.
 */
export async function countPending(
  local: PouchDB.Database,
  remote: PouchDB.Database,
  reachable: boolean,
  opts: { ownDevice?: string; target?: string } = {},
): Promise<{ pending: number; exact: boolean }> {
  let since: number | string = 0;
  let confirmedRev: string | undefined;
  // One confirmation point per server: central and the hub confirm different things.
  const confirmedDoc = opts.target && opts.target !== 'central' ? `${CONFIRMED_DOC}-${opts.target}` : CONFIRMED_DOC;
  const own = opts.ownDevice ?? null;
  try {
    const c = await local.get<{ seq: number | string }>(confirmedDoc);
    since = c.seq;
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

export function startSync(local: PouchDB.Database, remote: PouchDB.Database, opts: SyncOptions): SyncHandle {
  const now = opts.now ?? (() => Date.now());
  let snap: SyncSnapshot = {
    target: opts.target,
    state: 'connecting',
    lastSyncAt: null,
    pendingLocal: null,
    error: null,
    refused: [],
    pulled: 0,
    pushed: 0,
    download: null,
  };
  let stopped = false;
  const pendingOpts = { ownDevice: opts.ownDevice, target: opts.target };
  // The server's document count, asked once per check (not per batch: that would double the requests).
  let remoteDocs: number | null = null;
  const measureDownload = async (): Promise<void> => {
    if (remoteDocs === null) return;
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
  const stateNow = (): SyncState => snap.state;
  const emit = (patch: Partial<SyncSnapshot>): void => {
    snap = { ...snap, ...patch };
    opts.onChange(snap);
  };

  // PouchDB reports `paused` without an error even when the server was never reached (it is
  // retrying), so "paused" is never taken as "synced": the server is asked, and the pending
  // events are counted, before the indicator says online.
  let verifying: Promise<void> | null = null;
  const verify = (): Promise<void> => {
    verifying ??= (async () => {
      try {
        const info = await withTimeout(remote.info(), opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS);
        remoteDocs = info.doc_count;
        await measureDownload();
        // While a replication is moving documents the server is plainly there: the pending count
        // (a read of the local changes since the last confirmation) waits until it pauses.
        if (snap.state === 'syncing') return;
        const { pending } = await countPending(local, remote, true, pendingOpts);
        if (stopped) return;
        // A replication may have become active during the count (TypeScript cannot see that).
        if (stateNow() !== 'syncing') emit({ state: 'online', error: null, lastSyncAt: now(), pendingLocal: pending });
        else emit({ pendingLocal: pending });
        // Back: the replication stopped when the server went (below) starts over at once.
        if (replication === null && !restarting) void restart();
      } catch (err) {
        if (stopped) return;
        const { pending } = await countPending(local, remote, false, pendingOpts).catch(() => ({
          pending: snap.pendingLocal,
        }));
        emit({ state: 'offline', error: classify(err), pendingLocal: pending });
        // The replication is stopped while the server cannot be reached: its requests may hang on a
        // silent network, holding the browser's few connections to the server (the next check could
        // not get through), and its back-off would wait up to half a minute after the server is
        // back. The heartbeat keeps asking instead, and starts it again once the server answers.
        await cancel();
      }
    })().finally(() => {
      verifying = null;
    });
    return verifying;
  };
  const heartbeat = setInterval(() => {
    if (!stopped) void verify();
  }, opts.heartbeatMs ?? HEARTBEAT_MS);

  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  let replication: PouchDB.Replication.Sync<object> | null = null;
  const begin = (): void => {
    // How far behind this desk is, before the first batch lands (a first download shows progress at once).
    void withTimeout(remote.info(), opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS)
      .then((info) => {
        remoteDocs = info.doc_count;
        return measureDownload();
      })
      .catch(() => undefined);
    replication = local.sync(remote, {
      // query_params are part of PouchDB's replication id: one push checkpoint per author.
      push: liveReplicationOptions(opts.author).push,
      live: true,
      retry: true,
      batch_size: opts.batchSize ?? 100,
      batches_limit: opts.batchesLimit ?? 10,
      back_off_function: (delay: number) => (delay === 0 ? 1000 : Math.min(maxBackoff, delay * 2)),
    });
    // The replication object is also a promise; its outcome arrives through these events.
    void replication
      // A retry against a server the last check could not reach is not "syncing": it stays
      // offline until a check (started now) or a change says the server answers again.
      .on('active', () => (snap.state === 'offline' ? void verify() : emit({ state: 'syncing', error: null })))
      .on('change', (info) => {
        // `docs_written` is the running total of this replication; the batch is `docs`.
        const n = info.change.docs.length;
        if (snap.state === 'offline') emit({ state: 'syncing', error: null });
        if (info.direction === 'pull') {
          emit({ pulled: snap.pulled + n });
          void measureDownload().catch(() => undefined);
        } else emit({ pushed: snap.pushed + n });
      })
      .on('paused', (err: unknown) => {
        if (err) emit({ state: 'offline', error: classify(err) });
        else if (snap.state === 'syncing') emit({ state: 'connecting' });
        void verify();
      })
      .on('denied', (err: unknown) => {
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
        void Promise.all([local.get(id), remote.get(id)])
          .then(([mine, theirs]) => (mine._rev === theirs._rev ? undefined : refuse()))
          .catch(refuse);
      })
      .on('error', (err: unknown) => {
        emit({ state: 'error', error: classify(err) });
      });
  };
  begin();

  let restarting: Promise<void> | null = null;
  const restart = (): Promise<void> => {
    restarting ??= (async () => {
      await cancel();
      if (!stopped) begin();
    })().finally(() => {
      restarting = null;
    });
    return restarting;
  };

  const cancel = async (): Promise<void> => {
    const r = replication;
    replication = null;
    if (!r) return;
    const done = new Promise<void>((resolve) => {
      void r.on('complete', () => resolve());
      setTimeout(resolve, 2000);
    });
    r.cancel();
    await done;
  };

  return {
    snapshot: () => snap,
    syncNow: async () => {
      if (stopped) return;
      await cancel();
      emit({ state: 'connecting' });
      begin();
      await verify();
    },
    stop: async () => {
      stopped = true;
      clearInterval(heartbeat);
      await cancel();
      await verifying;
      emit({ state: 'stopped' });
    },
  };
}
