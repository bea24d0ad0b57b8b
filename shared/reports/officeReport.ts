import {
  APP_FLAG,
  APP_STRIDE,
  CLOSURES,
  DIM,
  ENTRY,
  ENTRY_STRIDE,
  SLA,
  STEP_FLAG,
  type ReportDayRow,
} from './dayIndex';
import type { Closure } from './fact';
import { bucketOf, bucketsOf, inPeriod, trendUnit, type Period, type TrendUnit } from './period';
import { median, percentile } from './stats';

/** What a head narrows a report to; unset means every one. */
export interface ReportFilters {
  serviceId?: string | null;
  variantId?: string | null;
  channel?: string | null;
  executor?: string | null;
}

/** The volume figures: what was registered and how applications ended, in the period. */
export const MEASURES = [
  'registered',
  'refusedAtIntake',
  'approved',
  'refused',
  'withdrawn',
  'notSupplied',
  'open',
] as const;
export type Measure = (typeof MEASURES)[number];
export type Volume = Record<Measure, number>;

export const emptyVolume = (): Volume => ({
  registered: 0,
  refusedAtIntake: 0,
  approved: 0,
  refused: 0,
  withdrawn: 0,
  notSupplied: 0,
  open: 0,
});

/** Results handed over in the period against the overall deadline. */
export interface Sla {
  closed: number;
  onTime: number;
  late: number;
  /** No deadline to judge by (none in the regulation, or a calendar year missing). */
  noDeadline: number;
  /** Of these, applications returned for rework at least once / with an extended term. */
  returned: number;
  extended: number;
  /** Registration to result, whole working minutes. */
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface SlaRow extends Sla {
  serviceId: string;
  variantId: string;
}

/** Passes through one step of one regulation version that ended in the period. */
export interface StepRow {
  serviceId: string;
  serviceVersion: string;
  variantId: string;
  stepId: string;
  /** The norms the passes were measured against (more than one when an extension set another). */
  norms: string[];
  passes: number;
  late: number;
  /** Passes ended by a return for rework. */
  returned: number;
  /** Passes whose duration is unknown (a calendar year missing): counted, not in the durations. */
  unmeasured: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface OfficeReport {
  period: Period;
  filters: ReportFilters;
  volume: Volume;
  volumeByService: { serviceId: string; volume: Volume }[];
  volumeByChannel: { channel: string; volume: Volume }[];
  trendUnit: TrendUnit;
  /** One point per bucket of the period (day, week or month), empty buckets included. */
  trend: { bucket: string; volume: Volume }[];
  sla: Sla;
  slaRows: SlaRow[];
  steps: StepRow[];
}

/** A figure to drill into: the applications behind it, within the report's period and filters. */
export type DrillCriteria =
  | { kind: 'volume'; measure: Measure; serviceId?: string; channel?: string; bucket?: string }
  | { kind: 'sla'; which: 'closed' | 'onTime' | 'late' | 'noDeadline'; serviceId?: string; variantId?: string }
  | {
      kind: 'step';
      serviceId: string;
      serviceVersion: string;
      variantId: string;
      stepId: string;
      which: 'passes' | 'late' | 'returned';
    };

/** One entry with everything a report or a drill-down asks of it, read from the packed row. */
interface Visit {
  day: string;
  appId: () => string;
  serviceId: string;
  serviceVersion: string;
  variantId: string;
  channel: string;
  executor: string | null;
  appFlags: number;
  kind: number;
  a: number;
  b: number;
  c: number;
  d: number;
  str: (i: number) => string | null;
}

/**
 * Every entry of the period's rows that passes the filters. Filters are turned into the row's
 * dictionary indexes first, so that a row without the filtered service is skipped unread.
 */
function scan(rows: readonly ReportDayRow[], period: Period, filters: ReportFilters, visit: (v: Visit) => void): void {
  for (const row of rows) {
    if (!inPeriod(period, row.day)) continue;
    const want: [number, number][] = [];
    let skip = false;
    const need = (dim: number, value: string | null | undefined): void => {
      if (value === null || value === undefined || value === '') return;
      const i = row.dict.indexOf(value);
      if (i < 0) skip = true;
      else want.push([dim, i]);
    };
    need(DIM.service, filters.serviceId);
    need(DIM.variant, filters.variantId);
    need(DIM.channel, filters.channel);
    need(DIM.executor, filters.executor);
    if (skip) continue;
    let ids: string[] | null = null;
    const str = (i: number): string | null => (i < 0 ? null : (row.dict[i] ?? null));
    const { apps, entries } = row;
    for (let i = 0; i < entries.length; i += ENTRY_STRIDE) {
      const slot = entries[i + 1] as number;
      const o = slot * APP_STRIDE;
      let ok = true;
      for (const [dim, idx] of want) if (apps[o + dim] !== idx) ok = false;
      if (!ok) continue;
      visit({
        day: row.day,
        appId: () => (ids ??= row.ids.split(' '))[slot] ?? '',
        serviceId: str(apps[o + DIM.service] as number) ?? '',
        serviceVersion: str(apps[o + DIM.version] as number) ?? '',
        variantId: str(apps[o + DIM.variant] as number) ?? '',
        channel: str(apps[o + DIM.channel] as number) ?? '',
        executor: str(apps[o + DIM.executor] as number),
        appFlags: apps[o + DIM.flags] as number,
        kind: entries[i] as number,
        a: entries[i + 2] as number,
        b: entries[i + 3] as number,
        c: entries[i + 4] as number,
        d: entries[i + 5] as number,
        str,
      });
    }
  }
}

function getOr<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

interface SlaAcc {
  sla: Omit<Sla, 'medianMinutes' | 'p90Minutes'>;
  minutes: number[];
}
const slaAcc = (): SlaAcc => ({
  sla: { closed: 0, onTime: 0, late: 0, noDeadline: 0, returned: 0, extended: 0 },
  minutes: [],
});
const finishSla = (a: SlaAcc): Sla => {
  const sorted = a.minutes.sort((x, y) => x - y);
  return { ...a.sla, medianMinutes: median(sorted), p90Minutes: percentile(sorted, 90) };
};

/** The measure a volume entry counts under (null: the entry is not a volume figure). */
function measuresOf(v: Visit): Measure[] {
  if (v.kind === ENTRY.registered) return v.a === 1 ? ['registered', 'open'] : ['registered'];
  if (v.kind === ENTRY.closed) return [CLOSURES[v.a - 1] as Closure];
  return [];
}

/** The office's report for a period and filters, from the day index alone. */
export function computeOfficeReport(
  rows: readonly ReportDayRow[],
  period: Period,
  filters: ReportFilters,
): OfficeReport {
  const volume = emptyVolume();
  const byService = new Map<string, Volume>();
  const byChannel = new Map<string, Volume>();
  const unit = trendUnit(period);
  const trend = new Map<string, Volume>(bucketsOf(period, unit).map((b) => [b, emptyVolume()]));
  const total = slaAcc();
  const slaRows = new Map<string, SlaAcc & { serviceId: string; variantId: string }>();
  const steps = new Map<
    string,
    Omit<StepRow, 'norms' | 'medianMinutes' | 'p90Minutes'> & { norms: Set<string>; minutes: number[] }
  >();

  scan(rows, period, filters, (v) => {
    for (const m of measuresOf(v)) {
      volume[m]++;
      getOr(byService, v.serviceId, emptyVolume)[m]++;
      getOr(byChannel, v.channel, emptyVolume)[m]++;
      getOr(trend, bucketOf(v.day, unit, period), emptyVolume)[m]++;
    }
    if (v.kind === ENTRY.closed && v.b !== SLA.none) {
      const row = getOr(slaRows, `${v.serviceId}\n${v.variantId}`, () => ({
        ...slaAcc(),
        serviceId: v.serviceId,
        variantId: v.variantId,
      }));
      for (const acc of [total, row]) {
        acc.sla.closed++;
        if (v.b === SLA.onTime) acc.sla.onTime++;
        else if (v.b === SLA.late) acc.sla.late++;
        else acc.sla.noDeadline++;
        if (v.appFlags & APP_FLAG.returned) acc.sla.returned++;
        if (v.appFlags & APP_FLAG.extended) acc.sla.extended++;
        if (v.c >= 0) acc.minutes.push(v.c);
      }
    }
    if (v.kind === ENTRY.step) {
      const stepId = v.str(v.a) ?? '';
      const s = getOr(steps, [v.serviceId, v.serviceVersion, v.variantId, stepId].join('\n'), () => ({
        serviceId: v.serviceId,
        serviceVersion: v.serviceVersion,
        variantId: v.variantId,
        stepId,
        norms: new Set<string>(),
        passes: 0,
        late: 0,
        returned: 0,
        unmeasured: 0,
        minutes: [],
      }));
      s.passes++;
      if (v.c & STEP_FLAG.late) s.late++;
      if (v.c & STEP_FLAG.returned) s.returned++;
      if (v.b >= 0) s.minutes.push(v.b);
      else s.unmeasured++;
      const norm = v.str(v.d);
      if (norm) s.norms.add(norm);
    }
  });

  const byKey = <T>(m: Map<string, T>): [string, T][] =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    period,
    filters,
    volume,
    volumeByService: byKey(byService).map(([serviceId, volume]) => ({ serviceId, volume })),
    volumeByChannel: byKey(byChannel).map(([channel, volume]) => ({ channel, volume })),
    trendUnit: unit,
    trend: byKey(trend).map(([bucket, volume]) => ({ bucket, volume })),
    sla: finishSla(total),
    slaRows: byKey(slaRows).map(([, r]) => ({ serviceId: r.serviceId, variantId: r.variantId, ...finishSla(r) })),
    steps: byKey(steps).map(([, s]) => {
      const { minutes, norms, ...rest } = s;
      const sorted = minutes.sort((x, y) => x - y);
      return { ...rest, norms: [...norms].sort(), medianMinutes: median(sorted), p90Minutes: percentile(sorted, 90) };
    }),
  };
}

function matches(v: Visit, c: DrillCriteria, period: Period, unit: TrendUnit): boolean {
  switch (c.kind) {
    case 'volume':
      return (
        measuresOf(v).includes(c.measure) &&
        (c.serviceId === undefined || v.serviceId === c.serviceId) &&
        (c.channel === undefined || v.channel === c.channel) &&
        (c.bucket === undefined || bucketOf(v.day, unit, period) === c.bucket)
      );
    case 'sla':
      return (
        v.kind === ENTRY.closed &&
        v.b !== SLA.none &&
        (c.which === 'closed' || v.b === SLA[c.which]) &&
        (c.serviceId === undefined || v.serviceId === c.serviceId) &&
        (c.variantId === undefined || v.variantId === c.variantId)
      );
    case 'step':
      return (
        v.kind === ENTRY.step &&
        v.serviceId === c.serviceId &&
        v.serviceVersion === c.serviceVersion &&
        v.variantId === c.variantId &&
        v.str(v.a) === c.stepId &&
        (c.which === 'passes' ||
          (c.which === 'late' && (v.c & STEP_FLAG.late) !== 0) ||
          (c.which === 'returned' && (v.c & STEP_FLAG.returned) !== 0))
      );
  }
}

/** The applications behind a figure, each once, in the order they were met (by day). */
export function drillIds(
  rows: readonly ReportDayRow[],
  period: Period,
  filters: ReportFilters,
  criteria: DrillCriteria,
): string[] {
  const unit = trendUnit(period);
  const out = new Set<string>();
  scan(rows, period, filters, (v) => {
    if (matches(v, criteria, period, unit)) out.add(v.appId());
  });
  return [...out];
}

/** The services, variants, channels and executors met in the period's rows (for the filter lists). */
export function reportOptions(
  rows: readonly ReportDayRow[],
  period: Period,
): { services: string[]; variants: string[]; channels: string[]; executors: string[] } {
  const sets = [new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>()] as const;
  const dims = [DIM.service, DIM.variant, DIM.channel, DIM.executor] as const;
  for (const row of rows) {
    if (!inPeriod(period, row.day)) continue;
    for (let o = 0; o < row.apps.length; o += APP_STRIDE)
      dims.forEach((dim, k) => {
        const s = row.dict[row.apps[o + dim] ?? -1];
        if (s !== undefined) sets[k]?.add(s);
      });
  }
  const [services, variants, channels, executors] = sets.map((x) => [...x].sort());
  return { services: services ?? [], variants: variants ?? [], channels: channels ?? [], executors: executors ?? [] };
}
