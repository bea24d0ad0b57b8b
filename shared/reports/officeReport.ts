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
 * The filters as pairs of (dimension, dictionary index) for one row, flat; null when a filtered
 * value does not occur in the row at all (nothing in it can match).
 */
function filterIndexes(row: ReportDayRow, filters: ReportFilters): number[] | null {
  const want: number[] = [];
  for (const [dim, value] of [
    [DIM.service, filters.serviceId],
    [DIM.variant, filters.variantId],
    [DIM.channel, filters.channel],
    [DIM.executor, filters.executor],
  ] as const) {
    if (value === null || value === undefined || value === '') continue;
    const i = row.dict.indexOf(value);
    if (i < 0) return null;
    want.push(dim, i);
  }
  return want;
}

/**
 * Every entry of the period's rows that passes the filters. Filters are turned into the row's
 * dictionary indexes first, so that a row without the filtered service is skipped unread.
 */
function scan(rows: readonly ReportDayRow[], period: Period, filters: ReportFilters, visit: (v: Visit) => void): void {
  for (const row of rows) {
    if (!inPeriod(period, row.day)) continue;
    const want = filterIndexes(row, filters);
    if (want === null) continue;
    let ids: string[] | null = null;
    const str = (i: number): string | null => (i < 0 ? null : (row.dict[i] ?? null));
    const { apps, entries } = row;
    for (let i = 0; i < entries.length; i += ENTRY_STRIDE) {
      const slot = entries[i + 1] as number;
      const o = slot * APP_STRIDE;
      let ok = true;
      for (let k = 0; k < want.length; k += 2) if (apps[o + (want[k] as number)] !== want[k + 1]) ok = false;
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
/** Ascending, as numbers (a typed array's sort is numeric and much faster than a comparator). */
const sortedNumbers = (xs: number[]): Float64Array => Float64Array.from(xs).sort();

const finishSla = (a: SlaAcc): Sla => {
  const sorted = sortedNumbers(a.minutes);
  return { ...a.sla, medianMinutes: median(sorted), p90Minutes: percentile(sorted, 90) };
};

function countSla(x: SlaAcc, code: number, flags: number, minutes: number): void {
  x.sla.closed++;
  if (code === SLA.onTime) x.sla.onTime++;
  else if (code === SLA.late) x.sla.late++;
  else x.sla.noDeadline++;
  if (flags & APP_FLAG.returned) x.sla.returned++;
  if (flags & APP_FLAG.extended) x.sla.extended++;
  if (minutes >= 0) x.minutes.push(minutes);
}

const REGISTERED: readonly Measure[] = ['registered'];
const REGISTERED_OPEN: readonly Measure[] = ['registered', 'open'];
const CLOSURE_MEASURES: readonly (readonly Measure[])[] = CLOSURES.map((c) => [c]);
const NONE: readonly Measure[] = [];

/** The measures a volume entry counts under (none: the entry is not a volume figure). */
function measuresOf(kind: number, a: number): readonly Measure[] {
  if (kind === ENTRY.registered) return a === 1 ? REGISTERED_OPEN : REGISTERED;
  if (kind === ENTRY.closed) return CLOSURE_MEASURES[a - 1] ?? NONE;
  return NONE;
}

type StepAcc = Omit<StepRow, 'norms' | 'medianMinutes' | 'p90Minutes'> & { norms: Set<string>; minutes: number[] };
type SlaRowAcc = SlaAcc & { serviceId: string; variantId: string };

/**
 * The office's report for a period and filters, from the day index alone. A year of a large office
 * is over half a million entries: the loop reads the packed numbers directly and looks strings up
 * once per row and dictionary index, not once per entry.
 */
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
  const slaRows = new Map<string, SlaRowAcc>();
  const steps = new Map<string, StepAcc>();

  for (const row of rows) {
    if (!inPeriod(period, row.day)) continue;
    const want = filterIndexes(row, filters);
    if (want === null) continue;
    const { apps, entries, dict } = row;
    const day = getOr(trend, bucketOf(row.day, unit, period), emptyVolume);
    // Per row: dictionary index (or a packed tuple of them) → the report's accumulator.
    const serviceVol = new Map<number, Volume>();
    const channelVol = new Map<number, Volume>();
    const slaOf = new Map<number, SlaRowAcc>();
    const stepOf = new Map<number, StepAcc>();
    for (let i = 0; i < entries.length; i += ENTRY_STRIDE) {
      const o = (entries[i + 1] as number) * APP_STRIDE;
      let ok = true;
      for (let k = 0; k < want.length; k += 2) if (apps[o + (want[k] as number)] !== want[k + 1]) ok = false;
      if (!ok) continue;
      const kind = entries[i] as number;
      const a = entries[i + 2] as number;
      const b = entries[i + 3] as number;
      const c = entries[i + 4] as number;
      const s = apps[o + DIM.service] as number;
      if (kind !== ENTRY.step) {
        const ms = measuresOf(kind, a);
        if (ms.length > 0) {
          let sv = serviceVol.get(s);
          if (!sv) serviceVol.set(s, (sv = getOr(byService, dict[s] ?? '', emptyVolume)));
          const ch = apps[o + DIM.channel] as number;
          let cv = channelVol.get(ch);
          if (!cv) channelVol.set(ch, (cv = getOr(byChannel, dict[ch] ?? '', emptyVolume)));
          for (const m of ms) {
            volume[m]++;
            sv[m]++;
            cv[m]++;
            day[m]++;
          }
        }
        if (kind === ENTRY.closed && b !== SLA.none) {
          const v = apps[o + DIM.variant] as number;
          const key = s * 65536 + v;
          let acc = slaOf.get(key);
          if (!acc) {
            const serviceId = dict[s] ?? '';
            const variantId = dict[v] ?? '';
            acc = getOr(slaRows, `${serviceId}\n${variantId}`, () => ({ ...slaAcc(), serviceId, variantId }));
            slaOf.set(key, acc);
          }
          const flags = apps[o + DIM.flags] as number;
          countSla(total, b, flags, c);
          countSla(acc, b, flags, c);
        }
      } else {
        const ver = apps[o + DIM.version] as number;
        const v = apps[o + DIM.variant] as number;
        const key = ((s * 1024 + ver) * 1024 + v) * 65536 + a;
        let acc = stepOf.get(key);
        if (!acc) {
          const serviceId = dict[s] ?? '';
          const serviceVersion = dict[ver] ?? '';
          const variantId = dict[v] ?? '';
          const stepId = dict[a] ?? '';
          acc = getOr(steps, [serviceId, serviceVersion, variantId, stepId].join('\n'), () => ({
            serviceId,
            serviceVersion,
            variantId,
            stepId,
            norms: new Set<string>(),
            passes: 0,
            late: 0,
            returned: 0,
            unmeasured: 0,
            minutes: [],
          }));
          stepOf.set(key, acc);
        }
        acc.passes++;
        if (c & STEP_FLAG.late) acc.late++;
        if (c & STEP_FLAG.returned) acc.returned++;
        if (b >= 0) acc.minutes.push(b);
        else acc.unmeasured++;
        const d = entries[i + 5] as number;
        if (d >= 0) acc.norms.add(dict[d] ?? '');
      }
    }
  }

  const byKey = <T>(m: Map<string, T>): [string, T][] =>
    [...m.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return {
    period,
    filters,
    volume,
    volumeByService: byKey(byService).map(([serviceId, v]) => ({ serviceId, volume: v })),
    volumeByChannel: byKey(byChannel).map(([channel, v]) => ({ channel, volume: v })),
    trendUnit: unit,
    trend: byKey(trend).map(([bucket, v]) => ({ bucket, volume: v })),
    sla: finishSla(total),
    slaRows: byKey(slaRows).map(([, r]) => ({ serviceId: r.serviceId, variantId: r.variantId, ...finishSla(r) })),
    steps: byKey(steps).map(([, st]) => {
      const { minutes, norms, ...rest } = st;
      const sorted = sortedNumbers(minutes);
      return { ...rest, norms: [...norms].sort(), medianMinutes: median(sorted), p90Minutes: percentile(sorted, 90) };
    }),
  };
}

function matches(v: Visit, c: DrillCriteria, period: Period, unit: TrendUnit): boolean {
  switch (c.kind) {
    case 'volume':
      return (
        measuresOf(v.kind, v.a).includes(c.measure) &&
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
