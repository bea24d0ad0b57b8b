import type { WorkCalendar } from '../../../shared/calendar';
import type { Catalogue } from '../../../shared/catalogue';
import { officeDbName, REPORTS_DESIGN_DOC_ID, reportsDbName } from '../../../shared/couch';
import { parseEvent, type EventDoc } from '../../../shared/events';
import { factDocId, regionalFactDoc, reportFact, type RegionalFactDoc } from '../../../shared/reports';
import { fold } from '../../../shared/workflow';

/**
 * The central reports writer: part of the Kense service beside CouchDB, holding the server admin's
 * credentials like the staff service. For each office it follows the office database's changes,
 * folds every changed application with the same workflow engine the desks run, and keeps the
 * application's report fact (no personal data: shared/reports/regional.ts) in the office's reports
 * database, which supervisors may read. Its checkpoint is a normal document there (validated: only
 * the admin writes it), not a `_local` one a member could overwrite unseen.
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

interface Checkpoint {
  _id: string;
  _rev?: string;
  type: 'writer_checkpoint';
  seq: string | number;
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
      cp = { ...cp, seq: 0 };
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
      written += await this.write(source, reports, appIds);
      const saved = await this.call<{ rev: string }>('PUT', `${reports}/${encodeURIComponent(CHECKPOINT_ID)}`, {
        ...cp,
        seq: page.last_seq,
      });
      cp = { ...cp, _rev: saved.rev, seq: page.last_seq };
    }
    return written;
  }

  private async write(source: string, reports: string, appIds: string[]): Promise<number> {
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
    for (const row of existing.rows) {
      const want = wanted.get(row.key) ?? null;
      const current = row.doc && row.value && !row.value.deleted ? row.doc : null;
      if (current) {
        const { _rev, ...rest } = current;
        if (want && JSON.stringify(rest) === JSON.stringify(want)) continue;
        docs.push(want ? { ...want, _rev } : { _id: row.key, _rev, _deleted: true });
      } else if (want) docs.push(want);
    }
    if (docs.length === 0) return 0;
    const result = await this.call<{ id: string; error?: string }[]>('POST', `${reports}/_bulk_docs`, { docs });
    const failed = result.filter((r) => r.error);
    if (failed.length > 0)
      throw new Error(`reports writer: ${failed.length} facts refused, e.g. ${JSON.stringify(failed[0])}`);
    return docs.length;
  }

  private async clearFacts(reports: string): Promise<void> {
    const all = await this.call<{ rows: { id: string; value: { rev: string } }[] }>(
      'GET',
      `${reports}/_all_docs?${new URLSearchParams({ startkey: JSON.stringify('fact:'), endkey: JSON.stringify('fact:\ufff0') })}`,
    );
    if (all.rows.length === 0) return;
    await this.call('POST', `${reports}/_bulk_docs`, {
      docs: all.rows.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true })),
    });
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
