import { blindIndex } from './blindIndex';
import type { DeskKeys } from './deskKeys';
import type { ProjectFn, StoredEvent } from './projector';
import type { ApplicantRow, ApplicationRow, JournalRow, MetaRow, ReadModel, StaffRow } from './readModel';
import { openDoc } from './sealedDb';
import { sealProjection, type SealedProjection } from './sealedRows';
import { isAssigneeUnknown, loadDirectory } from './staff';
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
}

/** Where a rebuild's scan over the events by id has got to: resumed there after a reload. */
export interface ScanMark {
  seq: number | string;
  after: string;
}

export const CHECKPOINT = 'checkpoint';
/** The blind-index key's check token: a model built under other keys is dropped and rebuilt. */
export const KEY_CHECK = 'keys';
export const SCAN = 'scan';

/** An applicant row from an earlier registration than another (by time, then application id). */
const isOlder = (a: ApplicantRow, b: ApplicantRow): boolean =>
  a.lastSeenAt !== b.lastSeenAt ? a.lastSeenAt < b.lastSeenAt : a.lastAppId < b.lastAppId;

/** The row with its `assigneeUnknown` mark as the directory has it now (absent when known). */
function marked<T extends ApplicationRow>(row: T, directory: ReadonlyMap<string, StaffRow>): T {
  const { assigneeUnknown: _old, ...rest } = row;
  return (isAssigneeUnknown(row, directory) ? { ...rest, assigneeUnknown: 1 } : rest) as T;
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

  async apply(batch: ProjectionBatch): Promise<void> {
    const check = await blindIndex(this.keys.index).check();
    const projected = await mapLimited(batch.apps, CONCURRENCY, async (app) => {
      const clear = this.project(app.appId, await this.verified(app), batch.now);
      return [app.appId, await sealProjection(this.keys, clear)] as [string, SealedProjection];
    });
    const applications: ApplicationRow[] = [];
    const journal: JournalRow[] = [];
    // Every event re-projects its whole application: the applicant row keeps the details of the
    // latest registration (by time, then id), whatever order the events arrived in.
    const applicants = new Map<string, ApplicantRow>();
    for (const [, p] of projected) {
      if (p.application) applications.push(p.application);
      journal.push(...p.journal);
      const a = p.applicant;
      const seen = a && applicants.get(a.key);
      if (a && (!seen || !isOlder(a, seen))) applicants.set(a.key, a);
    }
    // A journal row is keyed by the event it records, always one of its application's: deleting the
    // batch's event ids removes every row the applications had (by key: no index scan).
    const eventIds = batch.apps.flatMap((a) => a.events.map((e) => e._id));
    const m = this.model;
    const staff = batch.staff ?? [];
    await m.transaction('rw', [m.applications, m.applicants, m.journal, m.staff, m.meta], async () => {
      // The directory first: the applications are marked by it (an unknown or deactivated executor
      // sends them to the head's inbox).
      const gone = staff.filter((s) => !s.row || s.row.login !== s.login).map((s) => s.login);
      const kept = staff.flatMap((s) => (s.row && s.row.login === s.login ? [s.row] : []));
      if (gone.length > 0) await m.staff.bulkDelete(gone);
      if (kept.length > 0) await m.staff.bulkPut(kept);
      const directory = await loadDirectory(m);
      const keys = [...applicants.keys()];
      const stored = keys.length > 0 ? await m.applicants.bulkGet(keys) : [];
      const newer = keys.flatMap((k, i) => {
        const a = applicants.get(k);
        const current = stored[i];
        return a && (!current || !isOlder(a, current)) ? [a] : [];
      });
      const meta: MetaRow[] = [{ key: KEY_CHECK, value: check }];
      if (batch.checkpoint !== undefined) meta.push({ key: CHECKPOINT, value: batch.checkpoint });
      await Promise.all([
        applications.length > 0 ? m.applications.bulkPut(applications.map((a) => marked(a, directory))) : null,
        newer.length > 0 ? m.applicants.bulkPut(newer) : null,
        // The projection is the application's whole journal: a row whose action has since been
        // superseded by a replicated event (an issuance that lost) must not stay behind.
        (eventIds.length > 0 ? m.journal.bulkDelete(eventIds) : Promise.resolve()).then(() =>
          journal.length > 0 ? m.journal.bulkPut(journal) : null,
        ),
        m.meta.bulkPut(meta),
        batch.scan === undefined
          ? null
          : batch.scan === null
            ? m.meta.delete(SCAN)
            : m.meta.put({ key: SCAN, value: JSON.stringify(batch.scan) }),
      ]);
      if (staff.length > 0) {
        // The directory changed: every application waiting on an executor is judged again.
        const waiting = await m.applications.where('role').equals('executor').toArray();
        const changed = waiting.filter((a) => (a.assigneeUnknown ?? 0) !== (isAssigneeUnknown(a, directory) ? 1 : 0));
        if (changed.length > 0) await m.applications.bulkPut(changed.map((a) => marked(a, directory)));
      }
    });
  }
}
