import { z } from 'zod';
import { isFinal, OPEN_STATUSES, type Status } from '@shared/workflow';
import type { PouchDB } from '../store/pouch';
import type { ReadModel } from '../store/readModel';

/**
 * Purge of closed applications from a home-visit laptop (a lost laptop should carry as little
 * personal data as possible). The events and scans stay on the server; here they are removed with
 * a real `purge` (no deletion tombstone, so nothing replicates to the server), the read-model rows
 * go with them, and a guard keeps later pulls from bringing them back. Only an application that is
 * closed, older than the desk's setting and whose every revision the server confirms is purged:
 * an event the server does not hold is never lost.
 */

export const DAY_MS = 86_400_000;
export const MAX_PURGE_DAYS = 3650;

/** The desk setting: never, or N calendar days after the application was closed. */
export const purgePolicySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('never') }).strict(),
  z.object({ mode: z.literal('afterDays'), days: z.number().int().min(1).max(MAX_PURGE_DAYS) }).strict(),
]);
export type PurgePolicy = z.infer<typeof purgePolicySchema>;
export const DEFAULT_PURGE_POLICY: PurgePolicy = { mode: 'never' };

/** What one run did; the Settings screen shows the last one. */
export interface PurgeReport {
  at: number;
  /** ok: the run finished; offline: the server could not confirm, nothing was purged after that point. */
  outcome: 'ok' | 'offline' | 'disabled';
  applications: number;
  events: number;
  attachments: number;
  /** Eligible by date, but some event is not on the server yet: kept until it is. */
  keptUnsynced: number;
  /** Registration numbers of the applications purged (not personal data), for the report. */
  regNumbers: string[];
}

interface PurgeStateDoc {
  _id: typeof PURGE_STATE_ID;
  _rev?: string;
  policy: PurgePolicy;
  /** appId → when it was purged: the guard refuses to pull these back. */
  purged: Record<string, number>;
  lastRun: PurgeReport | null;
}

export const PURGE_STATE_ID = '_local/kense-purge';
/** PouchDB's own intended bound on its `_local/purges` log (its trimming has a bug: it never trims). */
const PURGE_LOG_LIMIT = 1000;
const REPORT_NUMBERS = 50;

/** The part of a read-model row the decision needs. */
export interface PurgeCandidate {
  appId: string;
  status: string;
  closedAt: number | null;
}

/**
 * Which applications may leave this desk now: final (closed, refused, withdrawn, not supplied),
 * with a closing time at least `days` full days before `now`. Sorted, for a stable order.
 * Whether the server holds them is checked afterwards, against the server itself.
 */
export function eligibleForPurge(rows: readonly PurgeCandidate[], policy: PurgePolicy, now: number): string[] {
  if (policy.mode === 'never') return [];
  const cutoff = now - policy.days * DAY_MS;
  return rows
    .filter((r) => r.closedAt !== null && isFinal(r.status as Status) && r.closedAt <= cutoff)
    .map((r) => r.appId)
    .sort();
}

async function readState(db: PouchDB.Database): Promise<PurgeStateDoc> {
  try {
    const doc = await db.get<Omit<PurgeStateDoc, '_id'>>(PURGE_STATE_ID);
    const policy = purgePolicySchema.safeParse(doc.policy);
    return {
      _id: PURGE_STATE_ID,
      _rev: doc._rev,
      policy: policy.success ? policy.data : DEFAULT_PURGE_POLICY,
      purged: typeof doc.purged === 'object' && doc.purged !== null ? doc.purged : {},
      lastRun: doc.lastRun ?? null,
    };
  } catch (e) {
    if ((e as { status?: number }).status !== 404) throw e;
    return { _id: PURGE_STATE_ID, policy: DEFAULT_PURGE_POLICY, purged: {}, lastRun: null };
  }
}

/** One writer per database: the settings screen and a run must not race on the `_local` document. */
const queues = new WeakMap<PouchDB.Database, Promise<unknown>>();
function serial<T>(db: PouchDB.Database, task: () => Promise<T>): Promise<T> {
  const prev = queues.get(db) ?? Promise.resolve();
  const next = prev.then(task, task);
  queues.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}

async function updateState(db: PouchDB.Database, change: (s: PurgeStateDoc) => PurgeStateDoc): Promise<PurgeStateDoc> {
  const next = change(await readState(db));
  const r = await db.put(next);
  return { ...next, _rev: r.rev };
}

export interface PurgeInfo {
  policy: PurgePolicy;
  lastRun: PurgeReport | null;
  purgedCount: number;
}

export async function readPurgeInfo(db: PouchDB.Database): Promise<PurgeInfo> {
  const s = await readState(db);
  return { policy: s.policy, lastRun: s.lastRun, purgedCount: Object.keys(s.purged).length };
}

export function setPurgePolicy(db: PouchDB.Database, policy: PurgePolicy): Promise<void> {
  const parsed = purgePolicySchema.parse(policy);
  return serial(db, async () => {
    await updateState(db, (s) => ({ ...s, policy: parsed }));
  });
}

// --- The guard: purged applications are not pulled back --------------------------------------

const guarded = new WeakMap<PouchDB.Database, Set<string>>();
const APP_OF = /^evt:([^:]+):/;

type RevsDiff = PouchDB.Database['revsDiff'];

/**
 * Replication asks the target which revisions it lacks (`revsDiff`) and fetches only those. The
 * guard answers "not needed" for documents of applications purged here, the way CouchDB's own
 * purge remembers purged revisions: so a replication that starts over from zero (a lost
 * checkpoint, a new server address) does not download them again, and a late event of a purged
 * application is not pulled either. Idempotent; the set loads from the `_local` document.
 */
export function installPurgeGuard(db: PouchDB.Database): void {
  if (guarded.has(db)) return;
  const purged = new Set<string>();
  guarded.set(db, purged);
  const loaded = readState(db).then(
    (s) => Object.keys(s.purged).forEach((id) => purged.add(id)),
    () => undefined,
  );
  const original = db.revsDiff.bind(db) as (diff: PouchDB.Core.RevisionDiffOptions) => Promise<unknown>;
  const wrapped = async (diff: PouchDB.Core.RevisionDiffOptions): Promise<unknown> => {
    await loaded;
    const keep: PouchDB.Core.RevisionDiffOptions = {};
    for (const [id, revs] of Object.entries(diff)) {
      const appId = APP_OF.exec(id)?.[1];
      if (appId === undefined || !purged.has(appId)) keep[id] = revs;
    }
    return Object.keys(keep).length === 0 ? {} : original(keep);
  };
  type Callback = (err: unknown, result?: unknown) => void;
  (db as unknown as { revsDiff: RevsDiff }).revsDiff = ((diff: PouchDB.Core.RevisionDiffOptions, cb?: Callback) => {
    const p = wrapped(diff);
    if (cb)
      p.then(
        (r) => cb(null, r),
        (e: unknown) => cb(e),
      );
    return p;
  }) as unknown as RevsDiff;
}

// --- The run -----------------------------------------------------------------------------------

interface LeafDoc {
  id: string;
  revs: string[];
  attachments: number;
}

type PurgeableDb = PouchDB.Database & { purge(docId: string, rev: string): Promise<unknown> };

/** Every stored document of one application, with all its leaf revisions (conflicts included). */
async function docsOf(db: PouchDB.Database, appId: string): Promise<LeafDoc[]> {
  const r = await db.allDocs({
    startkey: `evt:${appId}:`,
    endkey: `evt:${appId}:\ufff0`,
    include_docs: true,
    conflicts: true,
  });
  return r.rows.flatMap((row) => {
    const doc = row.doc as
      (PouchDB.Core.ExistingDocument<object> & { _conflicts?: string[]; _attachments?: object }) | undefined;
    if (!doc) return [];
    return [
      {
        id: row.id,
        revs: [doc._rev, ...(doc._conflicts ?? [])],
        attachments: Object.keys(doc._attachments ?? {}).length,
      },
    ];
  });
}

export interface PurgeRun {
  db: PouchDB.Database;
  /** Read for the closed applications (the rows are removed through `drop`, never here). */
  model: ReadModel;
  /** Removes purged applications from the read model: the projection's writer (Projector.drop). */
  drop: (appIds: readonly string[]) => Promise<void>;
  /** The server that must confirm it holds every revision: the desk's sync server (see docs/threat-model.md §8 on hubs). */
  remote: PouchDB.Database;
  now?: () => number;
}

/**
 * Runs the purge once: at desk open and daily. Never throws for an unreachable server (the run
 * stops and says so); a storage error is thrown to the caller.
 */
export function runPurge(run: PurgeRun): Promise<PurgeReport> {
  const { db, model, remote, drop } = run;
  const now = (run.now ?? Date.now)();
  installPurgeGuard(db);
  return serial(db, async () => {
    const state = await readState(db);
    const report: PurgeReport = {
      at: now,
      outcome: 'ok',
      applications: 0,
      events: 0,
      attachments: 0,
      keptUnsynced: 0,
      regNumbers: [],
    };
    if (state.policy.mode === 'never') {
      report.outcome = 'disabled';
    } else {
      const rows = await model.applications.where('status').noneOf(OPEN_STATUSES).toArray();
      const regNumbers = new Map(rows.map((r) => [r.appId, r.regNumber]));
      for (const appId of eligibleForPurge(rows, state.policy, now)) {
        const docs = await docsOf(db, appId);
        let missing: number;
        try {
          const diff = await remote.revsDiff(Object.fromEntries(docs.map((d) => [d.id, d.revs])));
          missing = Object.keys(diff).length;
        } catch {
          report.outcome = 'offline';
          break;
        }
        if (missing > 0) {
          report.keptUnsynced++;
          continue;
        }
        // Marked first: a crash between the two leaves documents that the next run purges, and
        // the guard already refuses to pull them back.
        await updateState(db, (s) => ({ ...s, purged: { ...s.purged, [appId]: now } }));
        guarded.get(db)?.add(appId);
        for (const d of docs) {
          for (const rev of d.revs) await (db as PurgeableDb).purge(d.id, rev);
          report.events++;
          report.attachments += d.attachments;
        }
        await drop([appId]);
        report.applications++;
        const reg = regNumbers.get(appId);
        if (reg && report.regNumbers.length < REPORT_NUMBERS) report.regNumbers.push(reg);
      }
      if (report.events > 0) await trimPurgeLog(db);
    }
    await updateState(db, (s) => ({ ...s, lastRun: report }));
    return report;
  });
}

/** PouchDB appends every purge to `_local/purges` and, through a bug, never trims it. */
async function trimPurgeLog(db: PouchDB.Database): Promise<void> {
  try {
    const log = await db.get<{ purges: unknown[] }>('_local/purges');
    if (log.purges.length <= PURGE_LOG_LIMIT) return;
    await db.put({ ...log, purges: log.purges.slice(-PURGE_LOG_LIMIT) });
  } catch {
    // No log, or a concurrent write: the next run trims it.
  }
}
