import { emptyVolume, type Measure, type ReportFilters, type Sla, type Volume } from './officeReport';
import type { ReportFact } from './fact';
import { splitByMonths, trendUnit, type Period } from './period';

/**
 * Regional reports: the same figures across a supervisor's offices, from the day and month totals
 * the reports writer keeps in each office's reports database (shared/reports/totals.ts), read per
 * office and merged here. Totals hold counts, sums, minimum and maximum: means are exact, medians
 * and percentiles are not available (the screen and docs say so).
 */

/** The document the reports writer keeps per application: the fact without the executor or exact times. */
export interface RegionalFactDoc {
  _id: string;
  type: 'report_fact';
  v: 1;
  office: string;
  serviceId: string;
  serviceVersion: string;
  variantId: string;
  channel: string;
  intake: ReportFact['intake'];
  registeredDay: string;
  status: ReportFact['status'];
  outcome: ReportFact['outcome'];
  closedDay: string | null;
  late: boolean | null;
  minutes: number | null;
  extended: number;
  returned: number;
  steps: { stepId: string; doneDay: string; minutes: number | null; late: boolean; returned: boolean }[];
}

export const factDocId = (appId: string): string => `fact:${appId}`;

export function regionalFactDoc(f: ReportFact): RegionalFactDoc {
  return {
    _id: factDocId(f.appId),
    type: 'report_fact',
    v: 1,
    office: f.office,
    serviceId: f.serviceId,
    serviceVersion: f.serviceVersion,
    variantId: f.variantId,
    channel: f.channel,
    intake: f.intake,
    registeredDay: f.registeredDay,
    status: f.status,
    outcome: f.outcome,
    closedDay: f.closedDay,
    late: f.late,
    minutes: f.minutes,
    extended: f.extended,
    returned: f.returned,
    steps: f.steps.map((s) => ({
      stepId: s.stepId,
      doneDay: s.doneDay,
      minutes: s.minutes,
      late: s.late,
      returned: s.returned,
    })),
  };
}

/** Supervisors hold `supervisor` and `reports:<CODE>` for each office they oversee. */
export const REPORTS_ROLE_PREFIX = 'reports:';
export function reportOfficesOf(roles: readonly string[]): string[] {
  return roles
    .filter((r) => r.startsWith(REPORTS_ROLE_PREFIX))
    .map((r) => r.slice(REPORTS_ROLE_PREFIX.length))
    .filter((o) => /^[A-Z0-9]{2,16}$/.test(o))
    .sort();
}

// ── querying ────────────────────────────────────────────────────────────────────────────────────

export interface BucketRange {
  grain: 'd' | 'm';
  from: string;
  to: string;
}

/**
 * The totals one report needs: by day for a period drawn day by day, else whole months by month
 * and the days at either end by day. Each range is one request per office.
 */
export function bucketRanges(period: Period): BucketRange[] {
  if (trendUnit(period) === 'day') return [{ grain: 'd', from: period.from, to: period.to }];
  const split = splitByMonths(period);
  return [
    ...(split.months ? [{ grain: 'm' as const, from: split.months.from, to: split.months.to }] : []),
    ...split.days.map((d) => ({ grain: 'd' as const, ...d })),
  ];
}

export interface Stats {
  sum: number;
  count: number;
  min: number;
  max: number;
  sumsqr?: number;
}
export interface CountRow {
  key: unknown[];
  value: number;
}
export interface StatsRow {
  key: unknown[];
  value: Stats;
}

/** One office's totals rows for the report's ranges. */
export interface OfficeRows {
  office: string;
  volume: CountRow[];
  durations: StatsRow[];
  steps: StatsRow[];
}

// ── merging ─────────────────────────────────────────────────────────────────────────────────────

export type RegionalSla = Omit<Sla, 'medianMinutes' | 'p90Minutes'> & { meanMinutes: number | null };

export interface RegionalFigures {
  volume: Volume;
  sla: RegionalSla;
}

export interface RegionalStepRow {
  serviceId: string;
  serviceVersion: string;
  variantId: string;
  stepId: string;
  passes: number;
  late: number;
  returned: number;
  meanMinutes: number | null;
  minMinutes: number | null;
  maxMinutes: number | null;
}

export interface RegionalReport {
  period: Period;
  filters: ReportFilters;
  offices: ({ office: string } & RegionalFigures)[];
  total: RegionalFigures;
  byService: ({ serviceId: string } & RegionalFigures)[];
  /** By day for a short period, else by month: one point per bucket met, per office. */
  trendGrain: 'd' | 'm';
  trend: { bucket: string; office: string; registered: number; results: number }[];
  steps: RegionalStepRow[];
}

const SLA_MEASURES = ['onTime', 'late', 'noDeadline', 'returned', 'extended'] as const;
const emptyFigures = (): {
  volume: Volume;
  sla: Record<(typeof SLA_MEASURES)[number], number>;
  sum: number;
  n: number;
} => ({
  volume: emptyVolume(),
  sla: { onTime: 0, late: 0, noDeadline: 0, returned: 0, extended: 0 },
  sum: 0,
  n: 0,
});
type Acc = ReturnType<typeof emptyFigures>;

function finish(a: Acc): RegionalFigures {
  const closed = a.sla.onTime + a.sla.late + a.sla.noDeadline;
  return { volume: a.volume, sla: { closed, ...a.sla, meanMinutes: a.n > 0 ? a.sum / a.n : null } };
}

const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const passes = (f: ReportFilters, service: unknown, variant: unknown, channel?: unknown): boolean =>
  (!f.serviceId || service === f.serviceId) &&
  (!f.variantId || variant === f.variantId) &&
  (channel === undefined || !f.channel || channel === f.channel);

/**
 * One report from every office's rows. Filters by service, variant and channel apply to the keys;
 * the durations and step rows have no channel in their keys, so with a channel filter they are
 * left out (null) rather than shown for every channel.
 */
export function mergeRegional(period: Period, filters: ReportFilters, rows: readonly OfficeRows[]): RegionalReport {
  const offices = new Map<string, Acc>();
  const total = emptyFigures();
  const services = new Map<string, Acc>();
  const trend = new Map<string, { bucket: string; office: string; registered: number; results: number }>();
  const steps = new Map<string, RegionalStepRow & { sum: number; n: number }>();
  const byChannel = Boolean(filters.channel);
  const trendGrain = bucketRanges(period)[0]?.grain ?? 'm';
  for (const o of rows) {
    const acc = offices.get(o.office) ?? emptyFigures();
    offices.set(o.office, acc);
    for (const r of o.volume) {
      const [grain, bucket, s, v, c, m] = r.key;
      if (!passes(filters, s, v, c)) continue;
      const service = services.get(str(s)) ?? emptyFigures();
      services.set(str(s), service);
      const measure = str(m);
      for (const a of [acc, total, service]) {
        if (measure in a.volume) a.volume[measure as Measure] += r.value;
        if ((SLA_MEASURES as readonly string[]).includes(measure))
          a.sla[measure as (typeof SLA_MEASURES)[number]] += r.value;
      }
      if (measure === 'registered' || measure === 'approved' || measure === 'refused') {
        // Day-grained edges of a long period count in their month.
        const b = trendGrain === 'm' && grain === 'd' ? str(bucket).slice(0, 7) : str(bucket);
        const key = `${b}\n${o.office}`;
        const t = trend.get(key) ?? { bucket: b, office: o.office, registered: 0, results: 0 };
        trend.set(key, t);
        if (measure === 'registered') t.registered += r.value;
        else t.results += r.value;
      }
    }
    if (!byChannel) {
      for (const r of o.durations) {
        const [, , s, v] = r.key;
        if (!passes(filters, s, v)) continue;
        const service = services.get(str(s)) ?? emptyFigures();
        services.set(str(s), service);
        for (const a of [acc, total, service]) {
          a.sum += r.value.sum;
          a.n += r.value.count;
        }
      }
      for (const r of o.steps) {
        const [, , s, ver, v, step, late, returned] = r.key;
        if (!passes(filters, s, v)) continue;
        const key = [str(s), str(ver), str(v), str(step)].join('\n');
        const e = steps.get(key) ?? {
          serviceId: str(s),
          serviceVersion: str(ver),
          variantId: str(v),
          stepId: str(step),
          passes: 0,
          late: 0,
          returned: 0,
          meanMinutes: null,
          minMinutes: null,
          maxMinutes: null,
          sum: 0,
          n: 0,
        };
        steps.set(key, e);
        e.passes += r.value.count;
        if (late === 1) e.late += r.value.count;
        if (returned === 1) e.returned += r.value.count;
        e.sum += r.value.sum;
        e.n += r.value.count;
        e.minMinutes = e.minMinutes === null ? r.value.min : Math.min(e.minMinutes, r.value.min);
        e.maxMinutes = e.maxMinutes === null ? r.value.max : Math.max(e.maxMinutes, r.value.max);
      }
    }
  }
  const sorted = <T>(m: Map<string, T>): [string, T][] =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const withoutMean = (f: RegionalFigures): RegionalFigures =>
    byChannel ? { ...f, sla: { ...f.sla, meanMinutes: null } } : f;
  return {
    period,
    filters,
    offices: sorted(offices).map(([office, a]) => ({ office, ...withoutMean(finish(a)) })),
    total: withoutMean(finish(total)),
    byService: sorted(services).map(([serviceId, a]) => ({ serviceId, ...withoutMean(finish(a)) })),
    trendGrain,
    trend: [...trend.values()].sort((a, b) =>
      a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.office < b.office ? -1 : 1,
    ),
    steps: byChannel
      ? []
      : sorted(steps).map(([, { sum, n, ...e }]) => ({ ...e, meanMinutes: n > 0 ? sum / n : null })),
  };
}
