import { canonicalJson } from '../audit/chain';
import type { CountRow, RegionalFactDoc, Stats, StatsRow } from './regional';

/**
 * Regional totals: each office's figures summed per day and per month, kept as documents in the
 * office's reports database by the central reports writer (server/central/reports/writer.ts), so
 * that a supervisor's year is twelve small documents per office instead of a reduce over every
 * fact. Why documents and not reduce views: a reduce is stored in CouchDB 3's B-tree but computed
 * at query time by other CouchDB-protocol servers (the dev central), where a year of 20 offices ×
 * 10,000 applications took minutes; documents read the same everywhere, shard or not, and a day's
 * rows can be recomputed from its facts at any time, so a totals document is never the only copy
 * of anything.
 *
 * The rows have the keys the earlier views had (`[grain, bucket, …]`, grain 'd' or 'm') and
 * reduced values (a count, or count/sum/min/max/sum of squares), so the merge
 * (shared/reports/regional.ts `mergeRegional`) reads them as it read grouped view rows.
 */

export type Grain = 'd' | 'm';

export interface TotalsDoc {
  _id: string;
  _rev?: string;
  type: 'report_totals';
  v: 1;
  grain: Grain;
  /** 'YYYY-MM-DD' for a day, 'YYYY-MM' for a month (local dates, UTC+5). */
  bucket: string;
  /** Key [grain, bucket, service, variant, channel, measure], value a count. */
  volume: CountRow[];
  /** Registration to result, results handed over: key [grain, bucket, service, variant], working minutes. */
  durations: StatsRow[];
  /** Step passes: key [grain, bucket, service, version, variant, step, late 0/1, returned 0/1], working minutes. */
  steps: StatsRow[];
}

export const TOTALS_PREFIX = 'totals:';
export const totalsDocId = (grain: Grain, bucket: string): string => `${TOTALS_PREFIX}${grain}:${bucket}`;

type Measure =
  | 'registered'
  | 'open'
  | 'approved'
  | 'refused'
  | 'withdrawn'
  | 'notSupplied'
  | 'refusedAtIntake'
  | 'onTime'
  | 'late'
  | 'noDeadline'
  | 'returned'
  | 'extended';

/** The (day, measure) pairs a fact counts under: registrations by registration day, closures by closure day. */
function volumeOf(doc: RegionalFactDoc): [string, Measure][] {
  const out: [string, Measure][] = [];
  if (doc.intake === 'registered') {
    out.push([doc.registeredDay, 'registered']);
    if (doc.status === 'in_progress' || doc.status === 'waiting_applicant') out.push([doc.registeredDay, 'open']);
  }
  if (doc.closedDay !== null) {
    const closure: Measure | null =
      doc.status === 'closed'
        ? doc.outcome === 'refused'
          ? 'refused'
          : 'approved'
        : doc.status === 'withdrawn'
          ? 'withdrawn'
          : doc.status === 'not_supplied'
            ? 'notSupplied'
            : doc.status === 'refused_at_intake'
              ? 'refusedAtIntake'
              : null;
    if (closure !== null) out.push([doc.closedDay, closure]);
    if (doc.status === 'closed') {
      out.push([doc.closedDay, doc.late === true ? 'late' : doc.late === false ? 'onTime' : 'noDeadline']);
      if (doc.returned > 0) out.push([doc.closedDay, 'returned']);
      if (doc.extended > 0) out.push([doc.closedDay, 'extended']);
    }
  }
  return out;
}

/** One fact's day rows, unreduced: what it adds to the totals of each day it touches. */
export function factDayRows(doc: RegionalFactDoc): {
  volume: { key: unknown[]; value: number }[];
  durations: { key: unknown[]; value: number }[];
  steps: { key: unknown[]; value: number }[];
} {
  const s = doc.serviceId;
  const v = doc.variantId;
  return {
    volume: volumeOf(doc).map(([day, m]) => ({ key: ['d', day, s, v, doc.channel, m], value: 1 })),
    durations:
      doc.status === 'closed' && doc.closedDay !== null && typeof doc.minutes === 'number'
        ? [{ key: ['d', doc.closedDay, s, v], value: doc.minutes }]
        : [],
    steps: doc.steps.flatMap((p) =>
      typeof p.minutes === 'number'
        ? [
            {
              key: ['d', p.doneDay, s, doc.serviceVersion, v, p.stepId, p.late ? 1 : 0, p.returned ? 1 : 0],
              value: p.minutes,
            },
          ]
        : [],
    ),
  };
}

/** Every day a fact's figures fall on (the reports database's `by_day` view emits the same). */
export function daysTouched(doc: RegionalFactDoc): string[] {
  const r = factDayRows(doc);
  return [...new Set([...r.volume, ...r.durations, ...r.steps].map((x) => x.key[1] as string))].sort();
}

const byKey = <T extends { key: unknown[] }>(rows: Map<string, T>): T[] =>
  [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);

const addStats = (a: Stats | undefined, b: Stats): Stats =>
  a === undefined
    ? { ...b, sumsqr: b.sumsqr ?? 0 }
    : {
        sum: a.sum + b.sum,
        count: a.count + b.count,
        min: Math.min(a.min, b.min),
        max: Math.max(a.max, b.max),
        sumsqr: (a.sumsqr ?? 0) + (b.sumsqr ?? 0),
      };
const one = (x: number): Stats => ({ sum: x, count: 1, min: x, max: x, sumsqr: x * x });

type Rows = Pick<TotalsDoc, 'volume' | 'durations' | 'steps'>;

/** One bucket's totals: rows with the same key summed (counts added, stats merged), in key order. */
function summed(grain: Grain, bucket: string, parts: Iterable<Rows>): TotalsDoc {
  const volume = new Map<string, CountRow>();
  const durations = new Map<string, StatsRow>();
  const steps = new Map<string, StatsRow>();
  for (const part of parts) {
    for (const x of part.volume) {
      const k = JSON.stringify(x.key);
      volume.set(k, { key: x.key, value: (volume.get(k)?.value ?? 0) + x.value });
    }
    for (const [rows, into] of [
      [part.durations, durations],
      [part.steps, steps],
    ] as const)
      for (const x of rows) {
        const k = JSON.stringify(x.key);
        into.set(k, { key: x.key, value: addStats(into.get(k)?.value, x.value) });
      }
  }
  return {
    _id: totalsDocId(grain, bucket),
    type: 'report_totals',
    v: 1,
    grain,
    bucket,
    volume: byKey(volume),
    durations: byKey(durations),
    steps: byKey(steps),
  };
}

/** A day's totals from the facts that touch it (facts not touching it add nothing). */
export function dayTotals(day: string, facts: Iterable<RegionalFactDoc>): TotalsDoc {
  const onDay = <T extends { key: unknown[] }>(rows: T[]): T[] => rows.filter((x) => x.key[1] === day);
  return summed(
    'd',
    day,
    [...facts].map((f) => {
      const r = factDayRows(f);
      return {
        volume: onDay(r.volume),
        durations: onDay(r.durations).map((x) => ({ key: x.key, value: one(x.value) })),
        steps: onDay(r.steps).map((x) => ({ key: x.key, value: one(x.value) })),
      };
    }),
  );
}

/** A month's totals: the sum of its days' totals, keyed by month. */
export function monthTotals(month: string, days: Iterable<TotalsDoc>): TotalsDoc {
  const asMonth = <T extends { key: unknown[] }>(rows: T[]): T[] =>
    rows.map((x) => ({ ...x, key: ['m', month, ...x.key.slice(2)] }));
  return summed(
    'm',
    month,
    [...days]
      .filter((d) => d.grain === 'd' && d.bucket.slice(0, 7) === month)
      .map((d) => ({ volume: asMonth(d.volume), durations: asMonth(d.durations), steps: asMonth(d.steps) })),
  );
}

export const isEmptyTotals = (t: TotalsDoc): boolean =>
  t.volume.length === 0 && t.durations.length === 0 && t.steps.length === 0;

/** Whether two totals documents say the same (revisions aside): the writer skips a write that changes nothing. */
/** Whatever order the server hands the members back in (pouchdb-server puts `_id` last). */
export const sameTotals = (a: TotalsDoc, b: TotalsDoc): boolean => {
  const { _rev: _a, ...x } = a;
  const { _rev: _b, ...y } = b;
  return canonicalJson(x) === canonicalJson(y);
};

/** A stored document read as totals, or null when it is not one (a forged or foreign document). */
export function asTotals(doc: unknown): TotalsDoc | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as Partial<TotalsDoc>;
  if (d.type !== 'report_totals' || d.v !== 1 || (d.grain !== 'd' && d.grain !== 'm') || typeof d.bucket !== 'string')
    return null;
  if (!Array.isArray(d.volume) || !Array.isArray(d.durations) || !Array.isArray(d.steps)) return null;
  return d as TotalsDoc;
}
