import { appsReduce, isProbablyOpen, type AppEventValue, type AppSummary } from '@shared/couch/deskViews';
import { planBatches, SCANS_PER_BATCH, type PlannedBatch } from './downloadPlan';

/**
 * The desks' view (`_design/kense_desk/_view/apps`, `reduce=false`) read page by page into what a
 * download needs of each application: its summary (the view's own reduce), its events' revisions
 * and those of its events that carry a scan. Pure, so that it runs where the page's body lands: in
 * the view worker (viewWorker.ts) for the window, on the caller's thread where there is no worker.
 * At 100,000 applications the view is half a million rows, some 70 MB of JSON, which the window
 * no longer parses nor holds (issue 13: its tasks over 50 ms fewer; docs/performance/new-desk.md).
 */

/**
 * An application read whole: the rows of its key are all in. Its events' revisions stay with the
 * reader (`ViewReader.requests`): passed through the window, they were half of what the window
 * allocated during a first download (docs/performance/new-desk.md).
 */
export interface ToldApp {
  key: string;
  value: AppSummary;
  /** Its events that carry a scan (attachments, as the view says, or an attachment_added), by id. */
  scans: string[];
}

/** Events with a scan one `_bulk_get` may bring: its whole answer is built in the server's memory (an office hub's heap is capped). */
export const SCANS_PER_REQUEST = 8;

/**
 * The `_bulk_get` bodies (`{"docs": [{id, rev}…]}`) that fetch these revisions: one, or several
 * when more than SCANS_PER_REQUEST of them carry a scan (`scans`: those events' ids).
 */
export function bulkGetBodies(wanted: readonly IdRev[], scans: ReadonlySet<string>): string[] {
  if (wanted.length === 0) return [];
  const withScan = wanted.filter((w) => scans.has(w.id));
  if (withScan.length <= SCANS_PER_REQUEST) return [JSON.stringify({ docs: wanted })];
  const requests = [wanted.filter((w) => !scans.has(w.id))];
  for (let i = 0; i < withScan.length; i += SCANS_PER_REQUEST) requests.push(withScan.slice(i, i + SCANS_PER_REQUEST));
  return requests.filter((docs) => docs.length > 0).map((docs) => JSON.stringify({ docs }));
}

/** The requests for some applications' events, as `ViewReader.requests` makes them. */
export interface BulkGetRequests {
  /** Each request's body, JSON. */
  bodies: string[];
  /** Revisions asked for in all. */
  asked: number;
}

/** What a page of the view added. */
export interface ViewPage {
  /** Rows in the whole view (CouchDB gives it with every answer): the server's events. */
  totalRows: number | null;
  /** Where the next page starts (`startkey` and the rows of that key already read), or null: the view's end. */
  next: { key: string; skip: number } | null;
  /** Applications whose rows are all read by this page, in the view's order. */
  told: ToldApp[];
  /** The numbers the page's events gave out (registration and outgoing), in the view's order. */
  given: string[];
}

interface ViewBody {
  rows: { id: string; key: string; value: AppEventValue }[];
  total_rows?: number;
}

/**
 * An application's events' revisions as one string (a JSON list of ids and revisions): at 100,000
 * applications `{ id, rev }` objects were some 1.6 million objects on the heap at the start of the
 * history's download, which every major garbage collection traced; a string is one object, and it
 * is not looked into. Held by the reader (for the window, in the view worker).
 */
export class Revisions {
  private readonly packed = new Map<string, string>();

  static pack(revs: readonly IdRev[]): string {
    const flat: string[] = [];
    for (const r of revs) flat.push(r.id, r.rev);
    return JSON.stringify(flat);
  }

  set(appId: string, revs: readonly IdRev[]): void {
    this.packed.set(appId, Revisions.pack(revs));
  }

  /** The application's revisions, or none once taken (`drop`) or never read. */
  of(appId: string): IdRev[] {
    const packed = this.packed.get(appId);
    if (packed === undefined) return [];
    const flat = JSON.parse(packed) as string[];
    const out: IdRev[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: flat[i] ?? '', rev: flat[i + 1] ?? '' });
    return out;
  }

  drop(appId: string): void {
    this.packed.delete(appId);
  }

  /** The applications whose revisions are held. */
  appIds(): string[] {
    return [...this.packed.keys()];
  }
}

export type IdRev = { id: string; rev: string };

/**
 * The reading's state between pages: the rows of applications not yet read whole (the last key of
 * a page may go on into the next), and the applications already told (a key the server's paging
 * repeats is counted once).
 */
export class ViewReader {
  /** The told applications' events' revisions, until a request takes them. */
  readonly revisions = new Revisions();
  /** The told applications' events that carry a scan. */
  private readonly scanIds = new Set<string>();
  /** The told closed applications (the history), with their scans counted, until planned (`history`). */
  private readonly closed = new Map<string, { value: AppSummary; scans: number }>();
  private readonly values = new Map<string, AppEventValue[]>();
  private readonly revs = new Map<string, IdRev[]>();
  private readonly scans = new Map<string, string[]>();
  private readonly told = new Set<string>();
  private untold: string[] = [];
  private given: string[] = [];
  private totalRows: number | null = null;

  /**
   * A page's body as the server sent it. `pageRows`: the page asked for that many rows by key
   * (`limit`), so a shorter one is the view's end and its last key may go on into the next; none:
   * rows asked by key (`keys`), told at `end`.
   */
  page(body: ArrayBuffer | string, pageRows?: number): ViewPage {
    const parsed = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)) as ViewBody;
    this.totalRows ??= parsed.total_rows ?? null;
    this.take(parsed.rows);
    const last = parsed.rows[parsed.rows.length - 1];
    if (pageRows === undefined) return { totalRows: this.totalRows, next: null, ...this.tell(null, true) };
    if (!last || parsed.rows.length < pageRows) return { totalRows: this.totalRows, next: null, ...this.tell(null) };
    const next = { key: last.key, skip: this.values.get(last.key)?.length ?? 0 };
    return { totalRows: this.totalRows, next, ...this.tell(last.key) };
  }

  /** Every application read so far told (the end of a read by keys). */
  end(): ViewPage {
    return { totalRows: this.totalRows, next: null, ...this.tell(null) };
  }

  /**
   * These told applications' revisions, application by application (`null`: every one held); let
   * go unless `keep` (a download takes each application once).
   */
  revisionsOf(appIds: readonly string[] | null, keep = false): IdRev[] {
    const ids = appIds ?? this.revisions.appIds();
    const out = ids.flatMap((appId) => this.revisions.of(appId));
    if (!keep) for (const appId of ids) this.revisions.drop(appId);
    return out;
  }

  /** The `_bulk_get` requests that fetch every event of these told applications (see `revisionsOf`). */
  requests(appIds: readonly string[], keep = false): BulkGetRequests {
    const wanted = this.revisionsOf(appIds, keep);
    return { bodies: bulkGetBodies(wanted, this.scanIds), asked: wanted.length };
  }

  /**
   * The history's plan: the told closed applications (those of `only`, if given) newest first, in
   * batches (downloadPlan.ts); let go unless `keep`. Planned here, where their summaries are: at
   * 100,000 applications the sort was a task of 236 ms on the window's thread.
   */
  history(only: readonly string[] | null, size: number, keep = false, maxScans = SCANS_PER_BATCH): PlannedBatch[] {
    const rows: { key: string; value: AppSummary }[] = [];
    for (const key of only ?? this.closed.keys()) {
      const app = this.closed.get(key);
      if (app) rows.push({ key, value: app.value });
    }
    const batches = planBatches(rows, (key) => this.closed.get(key)?.scans ?? 0, size, maxScans);
    if (!keep) for (const r of rows) this.closed.delete(r.key);
    return batches;
  }

  private take(rows: ViewBody['rows']): void {
    for (const r of rows) {
      let vs = this.values.get(r.key);
      let revs = this.revs.get(r.key);
      if (!vs || !revs) {
        if (this.told.has(r.key)) continue;
        this.values.set(r.key, (vs = []));
        this.revs.set(r.key, (revs = []));
        this.untold.push(r.key);
      }
      vs.push(r.value);
      if (r.value.g) this.given.push(r.value.g);
      if (r.value.a || r.value.k === 'attachment_added') {
        const s = this.scans.get(r.key);
        if (!s) this.scans.set(r.key, [r.id]);
        else if (!s.includes(r.id)) s.push(r.id);
      }
      revs.push({ id: r.id, rev: r.value.r });
      for (const rev of r.value.c ?? []) revs.push({ id: r.id, rev });
    }
  }

  /**
   * The applications read whole so far, all but `open` (the page's last key, whose rows may go
   * on); `hold`: none yet, only the numbers (a read by keys tells at its end).
   */
  private tell(open: string | null, hold = false): Pick<ViewPage, 'told' | 'given'> {
    const given = this.given;
    this.given = [];
    if (hold) return { told: [], given };
    const keep = open !== null && this.untold[this.untold.length - 1] === open ? [open] : [];
    const done = keep.length > 0 ? this.untold.slice(0, -1) : this.untold;
    this.untold = keep;
    const told: ToldApp[] = [];
    for (const key of done) {
      const scans = this.scans.get(key) ?? [];
      const value = appsReduce(null, this.values.get(key) ?? [], false);
      told.push({ key, value, scans });
      if (!isProbablyOpen(value)) this.closed.set(key, { value, scans: scans.length });
      this.revisions.set(key, this.revs.get(key) ?? []);
      for (const id of scans) this.scanIds.add(id);
      this.values.delete(key);
      this.revs.delete(key);
      this.scans.delete(key);
      this.told.add(key);
    }
    return { told, given };
  }
}
