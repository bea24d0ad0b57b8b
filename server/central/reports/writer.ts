import { canonicalJson } from '../../../shared/audit/chain';
import type { WorkCalendar } from '../../../shared/calendar';
import type { Catalogue } from '../../../shared/catalogue';
import { officeDbName, REPORTS_DESIGN_DOC_ID, reportsDbName } from '../../../shared/couch';
import { parseEvent, type EventDoc } from '../../../shared/events';
import {
  asTotals,
  dayTotals,
  daysTouched,
  factDocId,
  isEmptyTotals,
  monthTotals,
  regionalFactDoc,
  reportFact,
  sameTotals,
  TOTALS_PREFIX,
  totalsDocId,
  type RegionalFactDoc,
  type TotalsDoc,
} from '../../../shared/reports';
import { fold } from '../../../shared/workflow';

/**
 * The central reports writer: part of the Kense service beside CouchDB, holding the server admin's
 * credentials like the staff service. For each office it follows the office database's changes,
 * folds every changed application with the same workflow engine the desks run, and keeps the
 * application's report fact (no personal data: shared/reports/regional.ts) in the office's reports
 * database, which supervisors may read. Its checkpoint is a normal document there (validated: only
 * the admin writes it), not a `_local` one a member could overwrite unseen. Beside the facts it keeps
 * each day's and month's totals (shared/reports/totals.ts), which is what supervisors read: after
 * each batch, the days its facts touched (before and after) are recomputed from their facts, and
 * their months from their days.
 *
 * Why a writer at all: a CouchDB view sees one document at a time, and an application's deadline,
 * result and step durations come only from folding all its events; and CouchDB 3 has no
 * per-view security, so views in the office database could not be opened to supervisors without
 * opening every document to them.
 */
export interface ReportsWriterOptions {
  url: string;
  user: string;
  password: string;
  offices: readonly string[];
  catalogue: Catalogue;
  calendar: WorkCalendar;
  now?: () => number;
  log?: (line: string) => void;
  /** Changes read per request (default 500). */
  batch?: number;
}

const CHECKPOINT_ID = 'writer:checkpoint';
/** Says the totals cover every fact: absent on a reports database made before totals existed, or cleared. */
const TOTALS_STATE_ID = 'writer:totals';

interface Checkpoint {
  _id: string;
  _rev?: string;
  type: 'writer_checkpoint';
  seq: string | number;
  /**
   * Days whose facts were being written when the writer last stopped short of their totals (a
   * failed request, a restart): their totals are made again before anything else. Without it, the
   * facts found already written on the next pass touch no day, and the totals stayed behind.
   */
  pending?: string[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    what: string,
  ) {
    super(`${what}: HTTP ${status}`);
  }
}

/** The number a CouchDB 3 sequence starts with ("123-g1AAA…"), or the number itself (the dev server). */
const seqNumber = (seq: string | number): number => (typeof seq === 'number' ? seq : Number.parseInt(seq, 10) || 0);

export class ReportsWriter {
  private stopped = false;
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(private readonly o: ReportsWriterOptions) {}

  private async call<T>(method: string, path: string, body?: unknown, timeoutMs = 120_000): Promise<T> {
    const r = await fetch(`${this.o.url.replace(/\/+$/, '')}/${path}`, {
      method,
      headers: {
        authorization: 'Basic ' + Buffer.from(`${this.o.user}:${this.o.password}`).toString('base64'),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A long poll on a database deleted meanwhile may never answer: every request has a limit.
      signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(timeoutMs)]),
    });
    if (!r.ok) throw new HttpError(r.status, `${method} ${path.split('?')[0] ?? ''}`);
    return (await r.json()) as T;
  }

  private async checkpoint(reports: string): Promise<Checkpoint> {
    try {
      return await this.call<Checkpoint>('GET', `${reports}/${encodeURIComponent(CHECKPOINT_ID)}`);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return { _id: CHECKPOINT_ID, type: 'writer_checkpoint', seq: 0 };
      throw e;
    }
  }

  /** Brings one office's reports database up to date; returns how many facts it wrote or removed. */
  async catchUp(office: string): Promise<number> {
    const source = officeDbName(office);
    const reports = reportsDbName(office);
    let cp = await this.checkpoint(reports);
    const info = await this.call<{ update_seq: string | number }>('GET', source);
    if (seqNumber(info.update_seq) < seqNumber(cp.seq)) {
      // The office database was made anew (a restore): its facts are rebuilt from its events.
      this.o.log?.(`[reports] ${office}: the office database is behind the checkpoint; rebuilding its facts`);
      await this.clearFacts(reports);
      const { pending: _cleared, ...rest } = cp;
      cp = { ...rest, seq: 0 };
    }
    await this.ensureTotals(reports);
    if (cp.pending && cp.pending.length > 0) {
      this.o.log?.(
        `[reports] ${office}: making the totals of ${cp.pending.length} days again after an interrupted pass`,
      );
      await this.retotal(reports, cp.pending);
      const { pending: _done, ...rest } = cp;
      cp = await this.saveCheckpoint(reports, rest);
    }
    let written = 0;
    for (;;) {
      const page = await this.call<{
        results: { id: string; doc?: { type?: unknown; appId?: unknown } }[];
        last_seq: string | number;
      }>(
        'GET',
        `${source}/_changes?${new URLSearchParams({ since: String(cp.seq), limit: String(this.o.batch ?? 500), include_docs: 'true' })}`,
      );
      if (page.results.length === 0) break;
      const appIds = [
        ...new Set(
          page.results.flatMap((r) =>
            r.doc?.type === 'event' && typeof r.doc.appId === 'string' ? [r.doc.appId] : [],
          ),
        ),
      ];
      written += await this.write(source, reports, appIds, async (days) => {
        cp = await this.saveCheckpoint(reports, { ...cp, pending: days });
      });
      const { pending: _done, ...rest } = cp;
      cp = await this.saveCheckpoint(reports, { ...rest, seq: page.last_seq });
    }
    return written;
  }

  private async saveCheckpoint(reports: string, cp: Checkpoint): Promise<Checkpoint> {
    const saved = await this.call<{ rev: string }>('PUT', `${reports}/${encodeURIComponent(CHECKPOINT_ID)}`, cp);
    return { ...cp, _rev: saved.rev };
  }

  /**
   * Writes the facts of `appIds` that changed, then the totals of the days they touch; `beforeFacts`
   * is told those days first, to keep (the checkpoint's `pending`) until the totals are made.
   */
  private async write(
    source: string,
    reports: string,
    appIds: string[],
    beforeFacts: (days: string[]) => Promise<void>,
  ): Promise<number> {
    if (appIds.length === 0) return 0;
    const events = await this.call<{ rows: { key: string; doc?: unknown }[] }>(
      'POST',
      `${source}/${REPORTS_DESIGN_DOC_ID}/_view/by_app?include_docs=true`,
      { keys: appIds },
    );
    const byApp = new Map<string, EventDoc[]>();
    for (const row of events.rows) {
      const parsed = parseEvent(row.doc);
      if (!parsed.ok) continue;
      const list = byApp.get(row.key) ?? [];
      list.push(parsed.event);
      byApp.set(row.key, list);
    }
    const now = (this.o.now ?? Date.now)();
    const wanted = new Map<string, RegionalFactDoc | null>();
    for (const appId of appIds) {
      const state = fold({
        appId,
        events: byApp.get(appId) ?? [],
        service: (id, version) => this.o.catalogue.get(id, version),
        calendar: this.o.calendar,
        now,
      });
      const fact = reportFact(state, this.o.calendar);
      wanted.set(factDocId(appId), fact ? regionalFactDoc(fact) : null);
    }
    const existing = await this.call<{
      rows: { key: string; value?: { rev: string; deleted?: boolean }; doc?: Record<string, unknown> | null }[];
    }>('POST', `${reports}/_all_docs?include_docs=true`, { keys: [...wanted.keys()] });
    const docs: object[] = [];
    const touched = new Set<string>();
    for (const row of existing.rows) {
      const want = wanted.get(row.key) ?? null;
      const current = row.doc && row.value && !row.value.deleted ? row.doc : null;
      if (current) {
        const { _rev, ...rest } = current;
        // Compared whatever order the server hands the members back in (pouchdb-server puts `_id` last).
        if (want && canonicalJson(rest) === canonicalJson(want)) continue;
        docs.push(want ? { ...want, _rev } : { _id: row.key, _rev, _deleted: true });
        if (current['type'] === 'report_fact')
          for (const d of daysTouched(current as unknown as RegionalFactDoc)) touched.add(d);
      } else if (want) docs.push(want);
      if (want) for (const d of daysTouched(want)) touched.add(d);
    }
    if (docs.length === 0) return 0;
    if (touched.size > 0) await beforeFacts([...touched].sort());
    const result = await this.call<{ id: string; error?: string }[]>('POST', `${reports}/_bulk_docs`, { docs });
    const failed = result.filter((r) => r.error);
    if (failed.length > 0)
      throw new Error(`reports writer: ${failed.length} facts refused, e.g. ${JSON.stringify(failed[0])}`);
    await this.retotal(reports, [...touched], wanted);
    return docs.length;
  }

  /**
   * Recomputes the totals of `days` from their facts (the `by_day` view), and of their months from
   * their days. The facts just written are taken from `fresh` rather than the view: on a cluster a
   * view read may come from a shard copy that has not yet received them. A fact in `fresh` as null
   * was removed.
   */
  private async retotal(
    reports: string,
    days: readonly string[],
    fresh: ReadonlyMap<string, RegionalFactDoc | null> = new Map(),
  ): Promise<void> {
    if (days.length === 0) return;
    const facts = new Map<string, Map<string, RegionalFactDoc>>(days.map((d) => [d, new Map()]));
    for (let i = 0; i < days.length; i += 100) {
      const page = await this.call<{ rows: { key: string; id: string; doc?: RegionalFactDoc | null }[] }>(
        'POST',
        `${reports}/${REPORTS_DESIGN_DOC_ID}/_view/by_day?include_docs=true`,
        { keys: days.slice(i, i + 100) },
      );
      for (const row of page.rows) if (row.doc && !fresh.has(row.id)) facts.get(row.key)?.set(row.id, row.doc);
    }
    for (const [id, doc] of fresh) if (doc) for (const d of daysTouched(doc)) facts.get(d)?.set(id, doc);
    const dayDocs = new Map([...facts].map(([day, f]) => [day, dayTotals(day, f.values())]));
    // A month is the sum of its days: the other days' totals are read, the touched ones just made.
    const months = [...new Set(days.map((d) => d.slice(0, 7)))];
    const monthDocs: TotalsDoc[] = [];
    for (const month of months) {
      const stored = await this.call<{ rows: { id: string; doc?: unknown }[] }>(
        'GET',
        `${reports}/_all_docs?${new URLSearchParams({
          startkey: JSON.stringify(totalsDocId('d', `${month}-01`)),
          endkey: JSON.stringify(totalsDocId('d', `${month}-31`)),
          include_docs: 'true',
        })}`,
      );
      const inMonth = stored.rows.flatMap((r) => {
        const t = asTotals(r.doc);
        return t && !dayDocs.has(t.bucket) ? [t] : [];
      });
      monthDocs.push(monthTotals(month, [...inMonth, ...dayDocs.values()]));
    }
    await this.putTotals(reports, [...dayDocs.values(), ...monthDocs]);
  }

  /** Writes totals that changed; an empty one is removed (a day with nothing left on it). */
  private async putTotals(reports: string, totals: readonly TotalsDoc[]): Promise<void> {
    for (let i = 0; i < totals.length; i += 500) {
      const slice = totals.slice(i, i + 500);
      const current = await this.call<{
        rows: { key: string; value?: { rev: string; deleted?: boolean }; doc?: unknown }[];
      }>('POST', `${reports}/_all_docs?include_docs=true`, { keys: slice.map((t) => t._id) });
      const stored = new Map(
        current.rows.flatMap((r) =>
          r.value && !r.value.deleted ? [[r.key, { rev: r.value.rev, doc: asTotals(r.doc) }]] : [],
        ),
      );
      const docs: object[] = [];
      for (const t of slice) {
        const s = stored.get(t._id);
        if (isEmptyTotals(t)) {
          if (s) docs.push({ _id: t._id, _rev: s.rev, _deleted: true });
        } else if (!s) docs.push(t);
        else if (!s.doc || !sameTotals(s.doc, t)) docs.push({ ...t, _rev: s.rev });
      }
      if (docs.length === 0) continue;
      const result = await this.call<{ id: string; error?: string }[]>('POST', `${reports}/_bulk_docs`, { docs });
      const failed = result.filter((r) => r.error);
      if (failed.length > 0)
        throw new Error(`reports writer: ${failed.length} totals refused, e.g. ${JSON.stringify(failed[0])}`);
    }
  }

  /**
   * Makes every day's and month's totals from all the facts, once: on a reports database that has
   * facts from before totals existed, or after they were cleared. Returns how many facts it read.
   * Also the bench's way to fill totals after writing facts directly.
   */
  async ensureTotals(reports: string): Promise<number> {
    try {
      await this.call('GET', `${reports}/${encodeURIComponent(TOTALS_STATE_ID)}`);
      return 0;
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 404)) throw e;
    }
    const byDay = new Map<string, RegionalFactDoc[]>();
    let read = 0;
    for (let startkey: string | null = 'fact:'; startkey !== null;) {
      const page: { rows: { id: string; doc?: RegionalFactDoc | null }[] } = await this.call(
        'GET',
        `${reports}/_all_docs?${new URLSearchParams({ startkey: JSON.stringify(startkey), endkey: JSON.stringify('fact:\ufff0'), include_docs: 'true', limit: '2001' })}`,
      );
      const rows = page.rows.slice(0, 2000);
      for (const row of rows) {
        if (!row.doc || row.doc.type !== 'report_fact') continue;
        read++;
        for (const d of daysTouched(row.doc)) {
          const list = byDay.get(d) ?? [];
          list.push(row.doc);
          byDay.set(d, list);
        }
      }
      startkey = page.rows.length > 2000 ? (page.rows[2000]?.id ?? null) : null;
    }
    const days = [...byDay].map(([day, facts]) => dayTotals(day, facts));
    const months = [...new Set(days.map((d) => d.bucket.slice(0, 7)))].map((m) => monthTotals(m, days));
    // Totals left from before (a day no fact touches any more) are removed with the rest.
    const stale = await this.call<{ rows: { id: string; value: { rev: string } }[] }>(
      'GET',
      `${reports}/_all_docs?${new URLSearchParams({ startkey: JSON.stringify(TOTALS_PREFIX), endkey: JSON.stringify(`${TOTALS_PREFIX}\ufff0`) })}`,
    );
    const made = [...days, ...months];
    const ids = new Set(made.map((t) => t._id));
    // An empty totals document is how putTotals is told to remove one.
    const empty = stale.rows.filter((r) => !ids.has(r.id)).map((r) => ({ ...dayTotals('', []), _id: r.id }));
    await this.putTotals(reports, [...made, ...empty]);
    await this.call('PUT', `${reports}/${encodeURIComponent(TOTALS_STATE_ID)}`, { type: 'writer_totals', v: 1 });
    return read;
  }

  /** Removes the facts, and the totals with their state, so that both are made again. */
  private async clearFacts(reports: string): Promise<void> {
    for (const [from, to] of [
      ['fact:', 'fact:\ufff0'],
      [TOTALS_PREFIX, `${TOTALS_PREFIX}\ufff0`],
      [TOTALS_STATE_ID, TOTALS_STATE_ID],
    ]) {
      const all = await this.call<{ rows: { id: string; value: { rev: string } }[] }>(
        'GET',
        `${reports}/_all_docs?${new URLSearchParams({ startkey: JSON.stringify(from), endkey: JSON.stringify(to) })}`,
      );
      if (all.rows.length === 0) continue;
      await this.call('POST', `${reports}/_bulk_docs`, {
        docs: all.rows.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true })),
      });
    }
  }

  /** Follows every office until stopped: a catch-up, then a wait for the next change (long poll). */
  start(): void {
    this.loops = this.o.offices.map((office) => this.follow(office));
  }

  private async follow(office: string): Promise<void> {
    let failing = false;
    while (!this.stopped) {
      try {
        await this.catchUp(office);
        if (failing) this.o.log?.(`[reports] ${office}: writing again`);
        failing = false;
        const cp = await this.checkpoint(reportsDbName(office));
        // The dev server may not answer a quiet long poll at its timeout: the request's own limit
        // ends the wait, and a new catch-up follows either way.
        await this.call(
          'GET',
          `${officeDbName(office)}/_changes?${new URLSearchParams({ feed: 'longpoll', since: String(cp.seq), timeout: '10000', limit: '1' })}`,
          undefined,
          20_000,
        ).catch((e: unknown) => {
          if (!(e instanceof DOMException && e.name === 'TimeoutError')) throw e;
        });
      } catch (e) {
        if (this.stopped) return;
        if (!failing) this.o.log?.(`[reports] ${office}: ${e instanceof Error ? e.message : String(e)}; retrying`);
        failing = true;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }
}
