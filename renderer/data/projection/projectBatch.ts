import {
  buildDayRows,
  changedDayRows,
  dayRowId,
  updateDayRows,
  type DayRowKey,
  type FactChange,
  type ReportDayRow,
  type ReportFact,
} from '@shared/reports';
import { appEventRange } from '@shared/events';
import { blindIndex } from '../seal/blindIndex';
import type { DeskKeys } from '../seal/deskKeys';
import type { ProjectFn, StoredEvent } from './projector';
import {
  journalKey,
  type ApplicantRow,
  type ApplicationRow,
  type JournalRow,
  type MetaRow,
  type ReadModel,
  type SearchRow,
  type StaffRow,
  type StoredFact,
} from '../store/readModel';
import { openDoc } from '../seal/sealedDb';
import type { RangeReader } from '../store/docsInRanges';
import { sealProjection, type SealedProjection } from '../seal/sealedRows';
import { isAssigneeUnknown, loadDirectory } from '../read/staff';
import { pickVerified, type LeafDoc } from './verifiedEvents';

/**
 * One batch of the projection, from events as the local replica stores them to read-model rows
 * written in one transaction: open the sealed payloads, keep for each event the revision whose
 * content its id names, fold each application once, seal its rows, and write them all with bulk
 * operations. It runs in the projection worker (projectionWorker.ts), off the window's thread; the
 * Projector (projector.ts) reads the events and hands batches over. Stateless between batches but
 * for the read model itself and the verdict cache of verifiedEvents.ts.
 */

/** A document as stored (sealed payload, `_conflicts` when it has any). */
export type StoredDoc = LeafDoc;

export interface AppEvents {
  appId: string;
  /** The winning revision of each of the application's events, as stored. */
  events: StoredDoc[];
  /** The other leaves of the events that have conflicts, as stored: a forged winner is passed over. */
  leaves: StoredDoc[];
}

/** A changed entry of the office's staff directory: its row, or null when deleted or malformed. */
export interface StaffChange {
  login: string;
  row: StaffRow | null;
}

export interface ProjectionBatch {
  apps: AppEvents[];
  /** Staff-directory entries changed (written before the applications, which are marked by them). */
  staff?: StaffChange[];
  /** The time the rows' flags are computed at (overdue, at risk). */
  now: number;
  /** The changes-feed position these rows cover, written with them. */
  checkpoint?: number | string;
  /** A rebuild scan's position (the last application written, the sequence it will end at). */
  scan?: ScanMark | null;
  /**
   * The reports' day index: kept up to date batch by batch (absent); left stale in a long catch-up
   * (`defer`: a scan, a first download), the same day rows are not rewritten batch after batch;
   * or built again from every fact if it was left stale (`rebuild`, at the end of a catch-up).
   */
  reportDays?: 'defer' | 'rebuild';
}

/**
 * A page of changes as the projector hands it over when the runner reads the replica itself
 * (`BatchProjector.applyChanged`): the applications it names, not their events.
 */
export interface ChangedBatch extends Omit<ProjectionBatch, 'apps' | 'scan'> {
  appIds: string[];
  /** The page after this one, whose events the runner may read while it writes this page's. */
  next?: { appIds: string[]; checkpoint: number | string };
}

/** A page of changes as the read ahead knows it: the same applications up to the same sequence. */
const pageKey = (appIds: readonly string[], checkpoint: number | string | undefined): string =>
  `${String(checkpoint)}\n${appIds.join('\n')}`;

/** Where a rebuild's scan over the events by id has got to: resumed there after a reload. */
export interface ScanMark {
  seq: number | string;
  after: string;
  /**
   * The scan fills an emptied model (not a refold over kept rows): its applications have no row
   * yet, so no journal row is deleted and no report fact read before they are written.
   */
  fresh?: boolean;
}

export const CHECKPOINT = 'checkpoint';
/** The blind-index key's check token: a model built under other keys is dropped and rebuilt. */
export const KEY_CHECK = 'keys';
export const SCAN = 'scan';
/**
 * Set while the reports' day index lags behind the facts (a long catch-up writes only the facts):
 * the end of the catch-up rebuilds it once. A pass that dies midway leaves it set: the next
 * catch-up's end rebuilds.
 */
export const REPORT_DAYS_STALE = 'reportDaysStale';

/** The facts that changed: the stored ones (`before`, in the order of `facts`) against the folded. */
function factChanges(
  facts: readonly { appId: string; after: ReportFact | null }[],
  before: readonly (ReportFact | undefined)[],
): FactChange[] {
  const changes: FactChange[] = [];
  facts.forEach(({ after }, i) => {
    const b = before[i] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(after)) changes.push({ before: b, after });
  });
  return changes;
}

/** The day index again from every fact, if it was left stale; its own transaction (the lists are not held). */
async function rebuildReportDaysIfStale(m: ReadModel): Promise<void> {
  await m.transaction('rw', [m.reportFacts, m.reportDays, m.meta], async () => {
    if ((await m.meta.get(REPORT_DAYS_STALE))?.value !== 1) return;
    const rows = buildDayRows(await m.reportFacts.toArray());
    await m.reportDays.clear();
    await m.reportDays.bulkPut(rows);
    await m.meta.put({ key: REPORT_DAYS_STALE, value: 0 });
  });
}

/** An applicant row from an earlier registration than another (by time, then application id). */
const isOlder = (a: ApplicantRow, b: ApplicantRow): boolean =>
  a.lastSeenAt !== b.lastSeenAt ? a.lastSeenAt < b.lastSeenAt : a.lastAppId < b.lastAppId;

/** The row with its `assigneeUnknown` mark as the directory has it now (absent when known). */
function marked<T extends ApplicationRow>(row: T, directory: ReadonlyMap<string, StaffRow>): T {
  const { assigneeUnknown: _old, ...rest } = row;
  return (isAssigneeUnknown(row, directory) ? { ...rest, assigneeUnknown: 1 } : rest) as T;
}

/**
 * A page of changes naming at least this many applications first asks which of them have an
 * application row (a count of one key each). One without has neither a search row nor journal rows
 * — those are written with it and dropped with it — so there is nothing to compare or delete: in a
 * catch-up of thousands (a new desk's download) most are new, and those reads and deletes were a
 * fifth of its projection's time. A smaller batch (an append) reads as before: one more round trip
 * would be its latency.
 */
const ASK_WHICH_EXIST = 64;

/** The applications among `apps` that have an application row. */
async function withRows(m: ReadModel, apps: readonly AppEvents[]): Promise<Set<string>> {
  const counts = await Promise.all(apps.map((a) => m.applications.where('appId').equals(a.appId).count()));
  return new Set(apps.flatMap((a, i) => ((counts[i] ?? 0) > 0 ? [a.appId] : [])));
}

/** WebCrypto's cost is per call and calls queue on one thread: a few at a time beat thousands at once. */
const CONCURRENCY = 16;

async function mapLimited<T, R>(items: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Removes purged applications from the read model (purge/purge.ts): their rows and journal, and
 * each applicant's row unless another application here still names it. Their report facts stay,
 * marked purged: the office's figures still count what was purged from this desk.
 */
export async function dropApplications(model: ReadModel, appIds: readonly string[]): Promise<void> {
  if (appIds.length === 0) return;
  const tables = [model.applications, model.applicants, model.search, model.journal, model.reportFacts];
  await model.transaction('rw', tables, async () => {
    const facts = (await model.reportFacts.bulkGet([...appIds])).filter((f) => f !== undefined);
    await model.reportFacts.bulkPut(facts.map((f): StoredFact => ({ ...f, purged: 1 })));
    const rows = (await model.applications.bulkGet([...appIds])).filter((r) => r !== undefined);
    await model.applications.bulkDelete([...appIds]);
    await model.search.bulkDelete([...appIds]);
    // A journal row's id is its event's: the application's rows are its events' range of ids.
    await Promise.all(
      appIds.map((appId) => {
        const { startkey, endkey } = appEventRange(appId);
        return model.journal.where('id').between(startkey, endkey, true, true).delete();
      }),
    );
    const keys = new Set(rows.flatMap((r) => (r.applicantKey ? [r.applicantKey] : [])));
    for (const key of keys) {
      if ((await model.applications.where('applicantKey').equals(key).count()) === 0)
        await model.applicants.delete(key);
    }
  });
}

/**
 * The report facts of applications purged from this desk: `dropApplications` took their rows and
 * marked their facts, and no event is left to fold them again, so a rebuild carries them over
 * (Projector.clear).
 */
export function purgedFacts(model: ReadModel): Promise<StoredFact[]> {
  return model.reportFacts.where('purged').equals(1).toArray();
}

/**
 * Puts carried facts of purged applications into a model (an emptied one: Projector.clear; a new
 * read-model version's: Desk.open, from `olderPurgedFacts`), none over a fact the model has, and
 * marks the day index to be built again from every fact at the end of the next catch-up.
 */
export async function keepPurgedFacts(model: ReadModel, kept: readonly StoredFact[]): Promise<void> {
  if (kept.length === 0) return;
  await model.transaction('rw', [model.reportFacts, model.meta], async () => {
    const have = await model.reportFacts.bulkGet(kept.map((f) => f.appId));
    const missing = kept.filter((_, i) => have[i] === undefined);
    if (missing.length === 0) return;
    await model.reportFacts.bulkPut(missing);
    await model.meta.put({ key: REPORT_DAYS_STALE, value: 1 });
  });
}

export class BatchProjector {
  constructor(
    private readonly model: ReadModel,
    private project: ProjectFn,
    private readonly keys: DeskKeys,
  ) {}

  /** Folds with another function from the next batch on (a catalogue or calendar pulled from central). */
  setProject(project: ProjectFn): void {
    this.project = project;
  }

  /** The events of one application as the fold must see them: opened, each the verified revision. */
  private async verified(app: AppEvents): Promise<StoredEvent[]> {
    const open = (d: StoredDoc): Promise<StoredDoc> => openDoc(this.keys, d);
    const out: StoredEvent[] = [];
    for (const stored of app.events) {
      const doc = await open(stored);
      let chosen = pickVerified(doc, []);
      if (!chosen && doc._conflicts?.length) {
        const leaves = await Promise.all(app.leaves.filter((l) => l._id === doc._id).map(open));
        chosen = pickVerified(doc, leaves);
      }
      // None verifies (edited in place on disk): the stored one, which the fold refuses and the
      // integrity check names, as Projector.eventsOf does.
      out.push((chosen ?? doc) as unknown as StoredEvent);
    }
    return out;
  }

  /** Purged applications out of the read model, in turn with the batches (the one writer). */
  drop(appIds: readonly string[]): Promise<void> {
    // A page read ahead may hold their events from before the purge.
    this.readAhead = null;
    return dropApplications(this.model, appIds);
  }

  /**
   * Reads these applications' stored events (`read`: one transaction for the page) and applies them
   * as one batch. An application holding an event in conflict is not read here (its other leaves
   * take PouchDB's revision tree): its id is returned, and then neither its rows nor the page's
   * checkpoint are written — the caller reads it and applies it with the checkpoint.
   */
  async applyChanged(batch: ChangedBatch, read: RangeReader): Promise<string[]> {
    const { appIds, checkpoint, next, ...rest } = batch;
    const reading =
      this.readAhead?.page === pageKey(appIds, checkpoint) ? this.readAhead.reads : read(appIds.map(appEventRange));
    this.readAhead = null;
    if (next) {
      // Read from now: its ids and checkpoint were taken before, so whatever the page covers is
      // in what this read finds (a later write has a later sequence, and a later page).
      const reads = read(next.appIds.map(appEventRange));
      reads.catch(() => undefined);
      this.readAhead = { page: pageKey(next.appIds, next.checkpoint), reads };
    }
    const ranges = await reading;
    const apps: AppEvents[] = [];
    const pending: string[] = [];
    appIds.forEach((appId, i) => {
      const events = ranges[i];
      if (events) apps.push({ appId, events, leaves: [] });
      else pending.push(appId);
    });
    await this.apply({ ...rest, apps, ...(pending.length === 0 && checkpoint !== undefined ? { checkpoint } : {}) });
    return pending;
  }

  /** The next page of changes' events, read while this one is written (`applyChanged`). */
  private readAhead: { page: string; reads: ReturnType<RangeReader> } | null = null;

  async apply(batch: ProjectionBatch): Promise<void> {
    const check = await blindIndex(this.keys.index).check();
    const projected = await mapLimited(batch.apps, CONCURRENCY, async (app) => {
      const clear = this.project(app.appId, await this.verified(app), batch.now);
      return [app.appId, await sealProjection(this.keys, clear)] as [string, SealedProjection];
    });
    const applications: ApplicationRow[] = [];
    const search: SearchRow[] = [];
    const journal: JournalRow[] = [];
    // Every event re-projects its whole application: the applicant row keeps the details of the
    // latest registration (by time, then id), whatever order the events arrived in.
    const applicants = new Map<string, ApplicantRow>();
    // What the reports count, per application folded here (a stand-in fold may give none: undefined).
    const facts: { appId: string; after: ReportFact | null }[] = [];
    for (const [appId, p] of projected) {
      // A fold that finds no registration says nothing of the fact: a purged application's (an
      // event of it arriving after the purge) stays, and one not replicated yet has none.
      if (p.report !== undefined && p.application) facts.push({ appId, after: p.report });
      if (p.application) applications.push(p.application);
      search.push({ appId, tokens: p.search ?? [] });
      journal.push(...p.journal);
      const a = p.applicant;
      const seen = a && applicants.get(a.key);
      if (a && (!seen || !isOlder(a, seen))) applicants.set(a.key, a);
    }
    const fresh = batch.scan?.fresh === true;
    const rewritten = new Set(journal.map((j) => j.id));
    const m = this.model;
    const staff = batch.staff ?? [];
    const defer = batch.reportDays === 'defer';
    const tables = [m.applications, m.applicants, m.search, m.journal, m.staff, m.meta, m.reportFacts, m.reportDays];
    await m.transaction('rw', tables, async () => {
      // Each await inside is a round trip to the store (the most of an append's time until shown):
      // what is read is read together, then everything is written together.
      // The directory first: the applications are marked by it (an unknown or deactivated executor
      // sends them to the head's inbox).
      const gone = staff.filter((s) => !s.row || s.row.login !== s.login).map((s) => s.login);
      const kept = staff.flatMap((s) => (s.row && s.row.login === s.login ? [s.row] : []));
      const keys = [...applicants.keys()];
      // Which applications may have rows: none (an emptied model's scan), those a large page of
      // changes finds an application row of (ASK_WHICH_EXIST), or all (an append; a refold's scan,
      // over kept rows).
      const ask = batch.scan === undefined && batch.apps.length >= ASK_WHICH_EXIST;
      const known = fresh ? new Set<string>() : ask ? await withRows(m, batch.apps) : null;
      const hasRows = (appId: string): boolean => known === null || known.has(appId);
      const searchAsked = search.filter((r) => hasRows(r.appId));
      // A journal row is keyed by the event it records, always one of its application's: the batch's
      // event ids cover every row the applications had (by key: no index scan). Those written again
      // are replaced by their put; only the others are deleted (each delete and put rewrites the
      // row's index entries: at 100,000 applications the writes were most of an append's time).
      const staleJournal = batch.apps
        .filter((a) => hasRows(a.appId))
        .flatMap((a) => a.events.map((e) => journalKey(e._id)).filter((k) => !rewritten.has(k)));
      const [directory, stored, storedSearch, storedFacts, daysStale] = await Promise.all([
        Promise.all([
          gone.length > 0 ? m.staff.bulkDelete(gone) : null,
          kept.length > 0 ? m.staff.bulkPut(kept) : null,
        ]).then(() => loadDirectory(m)),
        keys.length > 0 ? m.applicants.bulkGet(keys) : [],
        searchAsked.length > 0 ? m.search.bulkGet(searchAsked.map((r) => r.appId)) : [],
        // An emptied model's scan has no facts to read (a rebuild carries over only those of
        // purged applications, which it does not fold).
        facts.length > 0 && !fresh ? m.reportFacts.bulkGet(facts.map((f) => f.appId)) : [],
        facts.length > 0 && !defer ? m.meta.get(REPORT_DAYS_STALE) : undefined,
      ]);
      const newer = keys.flatMap((k, i) => {
        const a = applicants.get(k);
        const current = stored[i];
        return a && (!current || !isOlder(a, current)) ? [a] : [];
      });
      // Search tokens change only with the names: most appends write none (each token is an index entry).
      const storedTokens = new Map(searchAsked.map((r, i) => [r.appId, storedSearch[i]?.tokens.join(' ')]));
      const putSearch = search.filter((r) => r.tokens.length > 0 && storedTokens.get(r.appId) !== r.tokens.join(' '));
      const goneSearch = search.flatMap((r) =>
        r.tokens.length === 0 && storedTokens.get(r.appId) !== undefined ? [r.appId] : [],
      );
      // The report facts that changed, and the day index with them unless deferred or already stale.
      const changes = factChanges(facts, storedFacts);
      const keepDays = changes.length > 0 && !defer && daysStale?.value !== 1;
      const days = keepDays ? changedDayRows(changes) : [];
      const dayRows = days.length > 0 ? await m.reportDays.bulkGet(days) : [];
      const current = new Map<string, ReportDayRow>();
      for (const row of dayRows) if (row) current.set(dayRowId(row.day, row.part), row);
      const rows = keepDays ? updateDayRows(current, changes) : [];
      const meta: MetaRow[] = [{ key: KEY_CHECK, value: check }];
      if (batch.checkpoint !== undefined) meta.push({ key: CHECKPOINT, value: batch.checkpoint });
      if (changes.length > 0 && !keepDays) meta.push({ key: REPORT_DAYS_STALE, value: 1 });
      const putFacts = changes.flatMap((c) => (c.after ? [c.after] : []));
      const goneFacts = changes.flatMap((c) => (!c.after && c.before ? [c.before.appId] : []));
      const goneDays = rows.filter((r) => r.ids === '').map((r): DayRowKey => [r.day, r.part]);
      const keptDays = rows.filter((r) => r.ids !== '');
      await Promise.all([
        applications.length > 0 ? m.applications.bulkPut(applications.map((a) => marked(a, directory))) : null,
        newer.length > 0 ? m.applicants.bulkPut(newer) : null,
        putSearch.length > 0 ? m.search.bulkPut(putSearch) : null,
        goneSearch.length > 0 ? m.search.bulkDelete(goneSearch) : null,
        // The projection is the application's whole journal: a row whose action has since been
        // superseded by a replicated event (an issuance that lost) must not stay behind.
        staleJournal.length > 0 ? m.journal.bulkDelete(staleJournal) : null,
        journal.length > 0 ? m.journal.bulkPut(journal) : null,
        m.meta.bulkPut(meta),
        batch.scan === undefined
          ? null
          : batch.scan === null
            ? m.meta.delete(SCAN)
            : m.meta.put({ key: SCAN, value: JSON.stringify(batch.scan) }),
        putFacts.length > 0 ? m.reportFacts.bulkPut(putFacts) : null,
        goneFacts.length > 0 ? m.reportFacts.bulkDelete(goneFacts) : null,
        goneDays.length > 0 ? m.reportDays.bulkDelete(goneDays) : null,
        keptDays.length > 0 ? m.reportDays.bulkPut(keptDays) : null,
      ]);
      if (staff.length > 0) {
        // The directory changed: every application waiting on an executor is judged again.
        const waiting = await m.applications.where('role').equals('executor').toArray();
        const changed = waiting.filter((a) => (a.assigneeUnknown ?? 0) !== (isAssigneeUnknown(a, directory) ? 1 : 0));
        if (changed.length > 0) await m.applications.bulkPut(changed.map((a) => marked(a, directory)));
      }
    });
    if (batch.reportDays === 'rebuild') await rebuildReportDaysIfStale(m);
  }
}
