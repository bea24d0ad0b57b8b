import { appsReduce, type AppEventValue, type AppSummary } from '@shared/couch/deskViews';

/**
 * The desks' view (`_design/kense_desk/_view/apps`, `reduce=false`) read page by page into what a
 * download needs of each application: its summary (the view's own reduce), its events' revisions
 * and those of its events that carry a scan. Pure, so that it runs where the page's body lands: in
 * the view worker (viewWorker.ts) for the window, on the caller's thread where there is no worker.
 * At 100,000 applications the view is half a million rows, some 70 MB of JSON, which the window
 * no longer parses nor holds (issue 13: its tasks over 50 ms fewer; docs/performance/new-desk.md).
 */

/** An application read whole: the rows of its key are all in. */
export interface ToldApp {
  key: string;
  value: AppSummary;
  /** Its events' revisions, packed (`Revisions`). */
  revs: string;
  /** Its events that carry a scan (attachments, as the view says, or an attachment_added), by id. */
  scans: string[];
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
 * applications `{ id, rev }` objects were some 1.6 million objects on the window's heap at the start
 * of the history's download, which every major garbage collection traced; a string is one object,
 * and it is not looked into.
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

  /** As `Revisions.pack` made it (a `ToldApp`'s `revs`). */
  setPacked(appId: string, packed: string): void {
    this.packed.set(appId, packed);
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

  /** Every revision held, application by application. */
  all(): IdRev[] {
    return [...this.packed.keys()].flatMap((appId) => this.of(appId));
  }
}

export type IdRev = { id: string; rev: string };

/**
 * The reading's state between pages: the rows of applications not yet read whole (the last key of
 * a page may go on into the next), and the applications already told (a key the server's paging
 * repeats is counted once).
 */
export class ViewReader {
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
      told.push({
        key,
        value: appsReduce(null, this.values.get(key) ?? [], false),
        revs: Revisions.pack(this.revs.get(key) ?? []),
        scans: this.scans.get(key) ?? [],
      });
      this.values.delete(key);
      this.revs.delete(key);
      this.scans.delete(key);
      this.told.add(key);
    }
    return { told, given };
  }
}
