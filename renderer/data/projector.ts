import { appEventRange } from '@shared/events';
import { buildDayRows, factDays, updateDayRows, type ReportDayRow, type ReportFact } from '@shared/reports';
import { blindIndex } from './blindIndex';
import type { DeskKeys } from './deskKeys';
import type { PouchDB } from './pouch';
import type { ApplicantRow, ApplicationRow, ReadModel, StaffRow } from './readModel';
import { sealProjection, type ClearProjection, type SealedProjection } from './sealedRows';
import { verifiedRevision, type LeafDoc } from './verifiedEvents';
import { isAssigneeUnknown, isStaffDocId, loadDirectory, staffRowOf } from './staff';

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

const CHECKPOINT = 'checkpoint';
/** The blind-index key's check token: a model built under other keys is dropped and rebuilt. */
const KEY_CHECK = 'keys';
const BATCH = 500;
/**
 * Set while the reports' day index lags behind the facts: a long catch-up (a first download, a
 * rebuild) writes only the facts and rebuilds the index once at the end, instead of rewriting the
 * same day rows batch after batch. A pass that dies midway leaves it set: the next one rebuilds.
 */
const REPORT_DAYS_STALE = 'reportDaysStale';
/** Changes left beyond which a catch-up defers the day index to its end. */
const REPORT_BULK = 2000;

/** An applicant row from an earlier registration than another (by time, then application id). */
const isOlder = (a: ApplicantRow, b: ApplicantRow): boolean =>
  a.lastSeenAt !== b.lastSeenAt ? a.lastSeenAt < b.lastSeenAt : a.lastAppId < b.lastAppId;

/** The row with its `assigneeUnknown` mark as the directory has it now (absent when known). */
function marked<T extends ApplicationRow>(row: T, directory: ReadonlyMap<string, StaffRow>): T {
  const { assigneeUnknown: _old, ...rest } = row;
  return (isAssigneeUnknown(row, directory) ? { ...rest, assigneeUnknown: 1 } : rest) as T;
}

/**
 * Follows the office database's changes feed — the desk's own appends and replicated events
 * alike: there is no second path for sync — and keeps the read model up to date, with the
 * checkpoint written in the same transaction as the rows it covers. The office's staff directory
 * (`staff:` documents) comes through the same feed into the `staff` table; when it changes, the
 * applications waiting on an executor are marked again (an unknown or deactivated executor sends
 * them to the head's inbox).
 */
export class Projector {
  private running: Promise<void> | null = null;
  private again = false;
  private feed: PouchDB.Core.Changes<object> | null = null;
  private keysChecked = false;
  /** The day index lags behind the facts (REPORT_DAYS_STALE), as last read or written; null: not read yet. */
  private daysStale: boolean | null = null;
  /** The next pass replays every event (the projection changed: a new calendar or catalogue). */
  private fromZero = false;

  constructor(
    private readonly db: PouchDB.Database,
    private readonly model: ReadModel,
    private project: ProjectFn,
    private readonly keys: DeskKeys,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * A model sealed under other keys (the desk was re-keyed, or its secret was lost and made anew)
   * would open to nothing and find nothing: it is dropped once, and this pass rebuilds it.
   */
  private async checkKeys(): Promise<string> {
    const check = await blindIndex(this.keys.index).check();
    if (this.keysChecked) return check;
    const stored = (await this.model.meta.get(KEY_CHECK))?.value;
    const empty = (await this.model.meta.get(CHECKPOINT)) === undefined;
    if (stored !== check && !empty) await this.clear();
    this.keysChecked = true;
    return check;
  }

  private async checkpoint(): Promise<number | string> {
    return (await this.model.meta.get(CHECKPOINT))?.value ?? 0;
  }

  /**
   * Projects with another function from now on (a catalogue or calendar pulled from central). With
   * `refold`, every application is folded again in the background, rows replaced in place: lists
   * stay filled meanwhile, and a due time that waited for a calendar year appears.
   */
  setProject(project: ProjectFn, refold: boolean): void {
    this.project = project;
    if (!refold) return;
    this.fromZero = true;
    void this.catchUp().catch((e: unknown) => console.error('projector', e));
  }

  /** Applies every change since the checkpoint; concurrent calls coalesce into one more pass. */
  catchUp(onProgress?: (p: ProjectorProgress) => void): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass(onProgress);
      } while (this.again);
      if (this.daysStale) await this.rebuildReportDays();
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(onProgress?: (p: ProjectorProgress) => void): Promise<void> {
    const info = await this.db.info();
    const total =
      typeof info.update_seq === 'number' ? info.update_seq : Number.parseInt(String(info.update_seq), 10) || 0;
    const check = await this.checkKeys();
    let since = this.fromZero ? 0 : await this.checkpoint();
    this.fromZero = false;
    let processed = typeof since === 'number' ? since : 0;
    const seq = typeof since === 'number' ? since : Number.parseInt(String(since), 10) || 0;
    this.daysStale ??= (await this.model.meta.get(REPORT_DAYS_STALE))?.value === 1;
    const bulk = total - seq > REPORT_BULK || this.daysStale;
    const tables = [
      this.model.applications,
      this.model.applicants,
      this.model.journal,
      this.model.staff,
      this.model.meta,
      this.model.reportFacts,
      this.model.reportDays,
    ];
    for (;;) {
      const page = await this.db.changes({ since, limit: BATCH });
      if (page.results.length === 0) break;
      const appIds = new Set<string>();
      const staffIds: string[] = [];
      for (const ch of page.results) {
        const m = /^evt:([^:]+):/.exec(ch.id);
        if (m?.[1]) appIds.add(m[1]);
        else if (isStaffDocId(ch.id)) staffIds.push(ch.id);
      }
      // The winning revision of each changed entry; a deleted or malformed one leaves the directory.
      const staff: { id: string; row: StaffRow | null }[] =
        staffIds.length === 0
          ? []
          : (await this.db.allDocs({ keys: staffIds, include_docs: true })).rows.map((r, i) => ({
              // Rows come in the order of the keys; a deleted document's row has no doc.
              id: staffIds[i] ?? '',
              row: 'doc' in r && r.doc ? staffRowOf(r.doc) : null,
            }));
      const cleared: [string, ClearProjection][] = [];
      for (const appId of appIds) cleared.push([appId, this.project(appId, await this.eventsOf(appId), this.now())]);
      // Sealed before the transaction (IndexedDB commits a transaction that waits on anything
      // else), the whole batch at once: WebCrypto's cost is per call, and the calls overlap.
      const projections: [string, SealedProjection][] = await Promise.all(
        cleared.map(async ([appId, p]) => [appId, await sealProjection(this.keys, p)] as [string, SealedProjection]),
      );
      await this.model.transaction('rw', tables, async () => {
        for (const { id, row } of staff) {
          const login = id.slice('staff:'.length);
          if (row && row.login === login) await this.model.staff.put(row);
          else await this.model.staff.delete(login);
        }
        const directory = await loadDirectory(this.model);
        const reports: { before: ReportFact | null; after: ReportFact | null }[] = [];
        for (const [appId, p] of projections) {
          if (p.application) await this.model.applications.put(marked(p.application, directory));
          // Every event re-projects its whole application: the applicant row keeps the details of
          // the latest registration (by time, then id), whatever order the events arrived in.
          const current = p.applicant ? await this.model.applicants.get(p.applicant.key) : undefined;
          if (p.applicant && (!current || !isOlder(p.applicant, current))) await this.model.applicants.put(p.applicant);
          // The projection is the application's whole journal: a row whose action has since been
          // superseded by a replicated event (an issuance that lost) must not stay behind.
          await this.model.journal.where('appId').equals(appId).delete();
          if (p.journal.length > 0) await this.model.journal.bulkPut(p.journal);
          if (p.report !== undefined) {
            const before = (await this.model.reportFacts.get(appId)) ?? null;
            const after = p.report;
            if (JSON.stringify(before) === JSON.stringify(after)) continue;
            if (after) await this.model.reportFacts.put(after);
            else await this.model.reportFacts.delete(appId);
            reports.push({ before, after });
          }
        }
        if (staff.length > 0) {
          const waiting = await this.model.applications.where('role').equals('executor').toArray();
          const changed = waiting.filter((a) => (a.assigneeUnknown ?? 0) !== (isAssigneeUnknown(a, directory) ? 1 : 0));
          if (changed.length > 0) await this.model.applications.bulkPut(changed.map((a) => marked(a, directory)));
        }
        if (reports.length > 0) {
          if (bulk) {
            await this.model.meta.put({ key: REPORT_DAYS_STALE, value: 1 });
            this.daysStale = true;
          } else await this.updateReportDays(reports);
        }
        await this.model.meta.put({ key: CHECKPOINT, value: page.last_seq });
        await this.model.meta.put({ key: KEY_CHECK, value: check });
      });
      since = page.last_seq;
      processed += page.results.length;
      onProgress?.({ processed: Math.min(processed, total), total });
    }
  }

  /** Rewrites the day rows that these changed facts touch (inside the caller's transaction). */
  private async updateReportDays(changes: { before: ReportFact | null; after: ReportFact | null }[]): Promise<void> {
    const days = new Set<string>();
    for (const c of changes) for (const f of [c.before, c.after]) if (f) for (const d of factDays(f)) days.add(d);
    const stored = await this.model.reportDays.bulkGet([...days]);
    const current = new Map<string, ReportDayRow>();
    for (const row of stored) if (row) current.set(row.day, row);
    for (const row of updateDayRows(current, changes)) {
      if (row.ids === '') await this.model.reportDays.delete(row.day);
      else await this.model.reportDays.put(row);
    }
  }

  /** The day index again from every fact (after a long catch-up, or when it was left stale). */
  async rebuildReportDays(): Promise<void> {
    await this.model.transaction('rw', [this.model.reportFacts, this.model.reportDays, this.model.meta], async () => {
      const rows = buildDayRows(await this.model.reportFacts.toArray());
      await this.model.reportDays.clear();
      await this.model.reportDays.bulkPut(rows);
      await this.model.meta.put({ key: REPORT_DAYS_STALE, value: 0 });
    });
    this.daysStale = false;
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

  /** Follows the changes feed until stopped. */
  start(): void {
    if (this.feed) return;
    // A pass that fails (the disk is full) is retried by the next change; it must not go unhandled.
    const pass = (): void => void this.catchUp().catch((e: unknown) => console.error('projector', e));
    pass();
    this.feed = this.db.changes({ since: 'now', live: true }).on('change', pass);
  }

  stop(): void {
    this.feed?.cancel();
    this.feed = null;
  }

  /** Drops the read model and replays every event (after a schema change, or on request). */
  async rebuild(onProgress?: (p: ProjectorProgress) => void): Promise<void> {
    await this.running;
    await this.clear();
    await this.catchUp(onProgress);
  }

  private async clear(): Promise<void> {
    const m = this.model;
    await m.transaction(
      'rw',
      [m.applications, m.applicants, m.journal, m.staff, m.meta, m.reportFacts, m.reportDays],
      async () => {
        await Promise.all([
          m.applications.clear(),
          m.applicants.clear(),
          m.journal.clear(),
          m.staff.clear(),
          m.meta.clear(),
          m.reportFacts.clear(),
          m.reportDays.clear(),
        ]);
      },
    );
    this.daysStale = false;
  }
}
