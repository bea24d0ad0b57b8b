import { appEventRange } from '@shared/events';
import { STAFF_DIRECTORY_PREFIX } from '@shared/staff';
import { blindIndex } from '../seal/blindIndex';
import type { DeskKeys } from '../seal/deskKeys';
import type { PouchDB } from '../store/pouch';
import {
  CHECKPOINT,
  KEY_CHECK,
  purgedFacts,
  keepPurgedFacts,
  SCAN,
  type AppEvents,
  type ChangedBatch,
  type ScanMark,
  type StaffChange,
  type StoredDoc,
} from './projectBatch';
import { inlineProjection, type ProjectionRunner } from './projectionHost';
import type { ProjectSource } from './projectionWorker';
import type { ReadModel } from '../store/readModel';
import { unopened } from '../seal/sealedDb';
import { changedIds } from '../store/changedIds';
import { docsInRanges } from '../store/docsInRanges';
import { onWrites, type WrittenWhere } from '../store/writes';
import type { ClearProjection } from '../seal/sealedRows';
import { isStaffDocId, staffRowOf } from '../read/staff';
import { verifiedRevision, type LeafDoc } from './verifiedEvents';

/** An event document as stored: the envelope fields the projector needs. */
export interface StoredEvent {
  _id: string;
  appId: string;
  kind: string;
  hlc: string;
  device: string;
  [key: string]: unknown;
}

/** Folds all events of one application (in any order: the fold orders them itself), in clear. */
export type ProjectFn = (appId: string, events: StoredEvent[], now: number) => ClearProjection;

export interface ProjectorProgress {
  processed: number;
  total: number;
}

export interface ProjectorOptions {
  /** Where batches are folded and written; on this thread when absent (projectionHost.ts). */
  runner?: ProjectionRunner;
  /** Changes read per incremental batch: thousands, so that the worker's transactions are large. */
  changesPage?: number;
  /** Events read per batch of a scan (whole applications: a page is cut where the last one starts). */
  scanPage?: number;
}
/**
 * Changes left beyond which a catch-up leaves the reports' day index to its end (one rebuild from
 * the facts) instead of rewriting the same day rows batch after batch.
 */
const REPORT_BULK = 2000;
/** Range reads issued together (IndexedDB serves them in parallel). */
const READS_AT_ONCE = 64;

const appIdOf = (id: string): string | null => /^evt:([^:]+):/.exec(id)?.[1] ?? null;
/** A local sequence as a number (the IndexedDB adapters' are numbers already). */
const seqOf = (seq: number | string): number => (typeof seq === 'number' ? seq : Number.parseInt(String(seq), 10) || 0);

/**
 * Follows the office database's changes — the desk's own appends and replicated events alike:
 * there is no second path for sync — and keeps the read model up to date, with the checkpoint
 * written in the same transaction as the rows it covers. It hears of writes from the replica's
 * `bulkDocs` (store/writes.ts) and reads the changes' ids from the adapter's index
 * (store/changedIds.ts): never a document it does not project.
 *
 * The work is split: this side (the desk's thread) reads which applications changed, in pages of
 * thousands; the runner (the projection worker, projectionHost.ts) reads their stored events whole
 * on a connection of its own (store/replicaReader.ts), opens, folds, seals and writes them. An
 * application with a conflict it leaves to this side, which reads it with its other leaves through
 * PouchDB. A scan reads the events here and hands them over. An empty model (a
 * first start, a rebuild, a new read-model version) is filled by a scan of the events by id, so
 * each application is read and folded once, whatever order its events arrived in; the scan's
 * position is kept, and a reload resumes it. The office's staff directory (`staff:` documents)
 * comes the same way into the `staff` table; when it changes, the applications waiting on
 * an executor are marked again (an unknown or deactivated executor sends them to the head's inbox).
 */
export class Projector {
  private running: Promise<void> | null = null;
  /** Asked for again during a pass (a caller after its write): one more pass follows. */
  private again = false;
  /**
   * The sequence the passes have read the changes up to, and the highest a write announced during
   * a pass: a write the running pass has already read asks for no pass of its own (see `written`).
   */
  private readUpTo = 0;
  private announced = 0;
  /** The sequence the last pass that ended had applied every change up to. */
  private appliedUpTo = 0;
  /** Between `start` and `stop`: what stops following the replica's writes. */
  private unwatch: (() => void) | null = null;
  private keysChecked = false;
  private readonly runner: ProjectionRunner;
  private readonly changesPage: number;
  private readonly scanPage: number;
  /** The next pass folds every application again, rows replaced in place (a new calendar or catalogue). */
  private refold = false;
  /**
   * The reports' day index may lag behind the facts: this pass deferred it, or an earlier run
   * (before a reload) may have left it stale. The end of the catch-up rebuilds it if so.
   */
  private daysMaybeStale = true;

  constructor(
    private readonly db: PouchDB.Database,
    private readonly model: ReadModel,
    project: ProjectFn,
    private readonly keys: DeskKeys,
    private readonly now: () => number = () => Date.now(),
    opts: ProjectorOptions = {},
  ) {
    this.runner = opts.runner ?? inlineProjection(model, project, keys, (ranges) => docsInRanges(db, ranges));
    this.changesPage = opts.changesPage ?? 2000;
    this.scanPage = opts.scanPage ?? 4000;
  }

  /** Where the projection runs (the bench and the tests check it is the worker). */
  get where(): ProjectionRunner['where'] {
    return this.runner.where;
  }

  /**
   * A model sealed under other keys (the desk was re-keyed, or its secret was lost and made anew)
   * would open to nothing and find nothing: it is dropped once, and this pass rebuilds it.
   */
  private async checkKeys(): Promise<void> {
    if (this.keysChecked) return;
    const check = await blindIndex(this.keys.index).check();
    const stored = (await this.model.meta.get(KEY_CHECK))?.value;
    const empty = (await this.model.meta.get(CHECKPOINT)) === undefined;
    if (stored !== check && !empty) await this.clear();
    this.keysChecked = true;
  }

  /**
   * Projects with another fold from now on (a catalogue or calendar pulled from central). With
   * `refold`, every application is folded again in the background, rows replaced in place (a scan
   * that keeps the model): lists stay filled meanwhile, and a due time that waited for a calendar
   * year appears.
   */
  setProject(project: ProjectFn, source: ProjectSource, refold: boolean): void {
    const set = this.runner.setProject(project, source);
    void set
      .then(() => {
        if (!refold) return;
        this.refold = true;
        return this.catchUp();
      })
      .catch((e: unknown) => console.error('projector', e));
  }

  /** Applies every change since the checkpoint; concurrent calls coalesce into one more pass. */
  catchUp(onProgress?: (p: ProjectorProgress) => void): Promise<void> {
    this.again = true;
    if (this.running) return this.running;
    this.running = (async () => {
      // Asked for during the day index's rebuild too: the loop goes round again.
      while (this.again || this.announced > this.readUpTo || this.daysMaybeStale) {
        while (this.again || this.announced > this.readUpTo) {
          this.again = false;
          await this.pass(onProgress);
        }
        if (this.daysMaybeStale) {
          await this.runner.apply({ apps: [], now: this.now(), reportDays: 'rebuild' });
          this.daysMaybeStale = false;
        }
      }
    })()
      .catch((e: unknown) => {
        // What the failed pass read is read again by the next: a change at or below it must ask for one.
        this.readUpTo = this.appliedUpTo;
        throw e;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async pass(onProgress?: (p: ProjectorProgress) => void): Promise<void> {
    const info = await this.db.info();
    const total =
      typeof info.update_seq === 'number' ? info.update_seq : Number.parseInt(String(info.update_seq), 10) || 0;
    await this.checkKeys();
    const [checkpoint, scan] = await this.model.meta.bulkGet([CHECKPOINT, SCAN]);
    let since: number | string;
    let processed: number;
    const refold = this.refold;
    this.refold = false;
    if (scan || checkpoint === undefined || refold) {
      // Without a checkpoint the model is empty (new, or cleared): its scan writes fresh rows.
      const mark: ScanMark =
        scan && !refold
          ? (JSON.parse(String(scan.value)) as ScanMark)
          : { seq: info.update_seq, after: '', ...(refold ? {} : { fresh: true }) };
      await this.scanPass(mark, total, onProgress);
      since = mark.seq;
      processed = typeof since === 'number' ? since : 0;
    } else {
      since = checkpoint.value;
      processed = typeof since === 'number' ? since : 0;
    }
    const behind = total - (typeof since === 'number' ? since : Number.parseInt(String(since), 10) || 0);
    const reportDays = behind > REPORT_BULK ? 'defer' : undefined;
    if (reportDays) this.daysMaybeStale = true;
    const appsOf = (ids: readonly string[]): { appIds: string[]; staffIds: string[] } => {
      const appIds = new Set<string>();
      const staffIds: string[] = [];
      for (const id of ids) {
        const appId = appIdOf(id);
        if (appId) appIds.add(appId);
        else if (isStaffDocId(id)) staffIds.push(id);
      }
      return { appIds: [...appIds], staffIds };
    };
    let page = await changedIds(this.db, since, this.changesPage);
    let pageApps = appsOf(page.ids);
    for (;;) {
      this.readUpTo = Math.max(this.readUpTo, seqOf(page.lastSeq));
      if (page.ids.length === 0) break;
      // A short page is the end: what is written after it is announced by its write (or asked
      // for by its writer), and the next pass reads it.
      const full = page.ids.length >= this.changesPage;
      // The next page's ids, so that the runner reads its events while it writes this one's.
      const nextPage = full ? await changedIds(this.db, page.lastSeq, this.changesPage) : null;
      const next = nextPage && { page: nextPage, apps: appsOf(nextPage.ids) };
      const { appIds, staffIds } = pageApps;
      const common: Omit<ChangedBatch, 'appIds'> = {
        now: this.now(),
        checkpoint: page.lastSeq,
        ...(reportDays ? { reportDays } : {}),
      };
      // The runner reads the page's events (in the worker: neither their reading nor a copy to
      // post them is this thread's); an application with a conflict comes back, read here with
      // its leaves, and goes with the checkpoint. One page at a time: a page's checkpoint never
      // goes before the applications it left.
      const left = await this.runner.applyChanged({
        ...common,
        appIds,
        staff: await this.readStaff(staffIds),
        ...(next && next.page.ids.length > 0
          ? { next: { appIds: next.apps.appIds, checkpoint: next.page.lastSeq } }
          : {}),
      });
      if (left.length > 0) await this.runner.apply({ ...common, apps: await this.readLeft(left) });
      processed += page.ids.length;
      onProgress?.({ processed: Math.min(processed, total), total });
      since = page.lastSeq;
      if (!next) break;
      ({ page, apps: pageApps } = next);
    }
    this.appliedUpTo = seqOf(since);
  }

  /**
   * Resolves once the read model reflects every change the replica holds now: joins the running
   * pass when it has read them (or will, announced), starts one only when none covers them.
   */
  async settle(): Promise<void> {
    const seq = seqOf((await this.db.info()).update_seq);
    if (this.running) {
      this.announced = Math.max(this.announced, seq);
      return this.running;
    }
    if (this.appliedUpTo >= seq && !this.daysMaybeStale) return;
    return this.catchUp();
  }

  /**
   * Fills an empty model: every event by id (an application's events sort together), whole
   * applications per batch, then the checkpoint at the sequence the scan started from (what was
   * written meanwhile follows by the changes).
   */
  private async scanPass(mark: ScanMark, total: number, onProgress?: (p: ProjectorProgress) => void): Promise<void> {
    const reads = unopened(this.db);
    let startkey = mark.after ? `evt:${mark.after}:\ufff0` : 'evt:';
    let processed = 0;
    // Every application is folded: the day index is built once, at the end of the catch-up.
    this.daysMaybeStale = true;
    // The staff directory first (a few dozen documents): the applications are marked by it.
    const staffIds = (
      await this.db.allDocs({ startkey: STAFF_DIRECTORY_PREFIX, endkey: `${STAFF_DIRECTORY_PREFIX}\ufff0` })
    ).rows.map((r) => r.id);
    let writing: Promise<void> = this.runner.apply({
      apps: [],
      staff: await this.readStaff(staffIds),
      now: this.now(),
      scan: mark,
    });
    for (;;) {
      const page = await reads.allDocs({
        startkey,
        endkey: 'evt:\ufff0',
        include_docs: true,
        conflicts: true,
        limit: this.scanPage,
      });
      const rows = page.rows.flatMap((r) => (r.doc ? [r.doc as unknown as StoredDoc] : []));
      if (rows.length === 0) break;
      const groups = new Map<string, StoredDoc[]>();
      for (const doc of rows) {
        const appId = appIdOf(doc._id);
        if (!appId) continue;
        const g = groups.get(appId);
        if (g) g.push(doc);
        else groups.set(appId, [doc]);
      }
      const full = page.rows.length === this.scanPage;
      const lastApp = [...groups.keys()].pop();
      // The page may end inside the last application: it is read whole with the next page.
      if (full && lastApp !== undefined && groups.size > 1) groups.delete(lastApp);
      if (full && groups.size === 1 && lastApp !== undefined) groups.set(lastApp, await this.readEvents(lastApp));
      const apps = await Promise.all([...groups].map(([appId, events]) => this.withLeaves(appId, events)));
      const after = [...groups.keys()].pop() ?? mark.after;
      await writing;
      const count = apps.reduce((n, a) => n + a.events.length, 0);
      const scan: ScanMark = { ...mark, after };
      writing = this.runner.apply({ apps, now: this.now(), scan, reportDays: 'defer' }).then(() => {
        processed += count;
        onProgress?.({ processed: Math.min(processed, total), total });
      });
      writing.catch(() => undefined);
      if (!full) break;
      startkey = `evt:${after}:\ufff0`;
    }
    await writing;
    await this.runner.apply({ apps: [], now: this.now(), checkpoint: mark.seq, scan: null });
  }

  /** The winning revision of each changed directory entry; a deleted or malformed one leaves the directory. */
  private async readStaff(ids: string[]): Promise<StaffChange[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.allDocs({ keys: ids, include_docs: true })).rows;
    // Rows come in the order of the keys; a deleted document's row has no doc.
    return rows.map((r, i) => ({
      login: (ids[i] ?? '').slice(STAFF_DIRECTORY_PREFIX.length),
      row: 'doc' in r && r.doc ? staffRowOf(r.doc) : null,
    }));
  }

  /** The stored events of one application, each with the other leaves of those in conflict. */
  private async readEvents(appId: string): Promise<StoredDoc[]> {
    const r = await unopened(this.db).allDocs({ ...appEventRange(appId), include_docs: true, conflicts: true });
    return r.rows.flatMap((row) => (row.doc ? [row.doc as unknown as StoredDoc] : []));
  }

  private async withLeaves(appId: string, events: StoredDoc[]): Promise<AppEvents> {
    const reads = unopened(this.db);
    const leaves: StoredDoc[] = [];
    for (const doc of events)
      for (const rev of doc._conflicts ?? []) leaves.push((await reads.get(doc._id, { rev })) as unknown as StoredDoc);
    return { appId, events, leaves };
  }

  /**
   * The applications a runner left (an event in conflict), through PouchDB, which knows the
   * revision tree's rules: each event with its other leaves, the reads issued together.
   */
  private async readLeft(appIds: readonly string[]): Promise<AppEvents[]> {
    const apps: AppEvents[] = [];
    for (let k = 0; k < appIds.length; k += READS_AT_ONCE)
      apps.push(
        ...(await Promise.all(
          appIds.slice(k, k + READS_AT_ONCE).map(async (appId) => this.withLeaves(appId, await this.readEvents(appId))),
        )),
      );
    return apps;
  }

  /**
   * All events of one application (their ids sort together, `evt:<appId>:…`), each as the revision
   * whose content its id names: a forged revision that won a conflict is never folded as the event.
   * Where no revision verifies (edited in place on disk), the stored one is returned as it is: the
   * fold refuses it (`parseEvent`: event.contentMismatch), the card's audit trail lists it.
   */
  async eventsOf(appId: string): Promise<StoredEvent[]> {
    const r = await this.db.allDocs<StoredEvent>({ ...appEventRange(appId), include_docs: true, conflicts: true });
    const out: StoredEvent[] = [];
    for (const row of r.rows) {
      if (!row.doc) continue;
      const doc = (await verifiedRevision(this.db, row.doc as unknown as LeafDoc)) ?? row.doc;
      out.push(doc as unknown as StoredEvent);
    }
    return out;
  }

  /** Follows the replica's writes until stopped. */
  start(): void {
    if (this.unwatch) return;
    this.unwatch = onWrites(this.db, (where) => this.written(where));
    this.passInBackground();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = null;
  }

  /** A pass that fails (the disk is full) is retried by the next write; it must not go unhandled. */
  private passInBackground(): void {
    void this.catchUp().catch((e: unknown) => console.error('projector', e));
  }

  /**
   * A write asks for a pass, unless the running one has read it already (a caller's `catchUp` or
   * `settle` right after its write would otherwise add a second, empty pass to every append: the
   * desk's own appends count on this notice alone). Another window's write always does: its
   * sequence is not this window's to know.
   */
  private written(where: WrittenWhere): void {
    if (where === 'elsewhere') {
      if (this.running) this.again = true;
      else this.passInBackground();
      return;
    }
    void this.db
      .info()
      .then((info) => {
        const seq = seqOf(info.update_seq);
        if (seq <= this.readUpTo) return;
        if (this.running) this.announced = Math.max(this.announced, seq);
        else this.passInBackground();
      })
      .catch(() => this.passInBackground());
  }

  /** Drops the read model and replays every event (after a schema change, or on request). */
  async rebuild(onProgress?: (p: ProjectorProgress) => void): Promise<void> {
    await this.running;
    await this.clear();
    await this.catchUp(onProgress);
  }

  /**
   * Purged applications out of the read model (purge/purge.ts), through the runner that writes
   * every batch: the read model keeps one writer.
   */
  drop(appIds: readonly string[]): Promise<void> {
    return this.runner.drop(appIds);
  }

  /** Stops following and lets the worker go (after `stop` and the last pass). */
  close(): void {
    this.stop();
    this.runner.close();
  }

  /**
   * Empties the read model as a new read-model version does (desk.ts): its database is deleted
   * and made anew. Clearing the tables instead left the scan that follows writing over what the
   * clear had removed: it ran at 0.85× a new database's rate (bench page, 20,000 applications;
   * docs/performance/new-desk.md). Other connections to it (the projection worker's, another
   * window's) close on the deletion and open again at their next use (Dexie's auto-open); the
   * empty tables are cleared once more so that live queries hear of it, as they did of a clear.
   * The report facts of purged applications come along (nothing personal, sealed under no key),
   * the day index marked to be built again from every fact.
   */
  private async clear(): Promise<void> {
    this.readUpTo = 0;
    this.announced = 0;
    this.appliedUpTo = 0;
    const m = this.model;
    const kept = await purgedFacts(m);
    await m.delete({ disableAutoOpen: false });
    await m.open();
    const tables = [m.applications, m.applicants, m.search, m.journal, m.staff, m.meta, m.reportFacts, m.reportDays];
    await m.transaction('rw', tables, async () => {
      await Promise.all(tables.map((t) => t.clear()));
      await keepPurgedFacts(m, kept);
    });
  }
}
