import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import {
  isValidPeriod,
  MEASURES,
  periodOf,
  PERIOD_KINDS,
  type Period,
  type PeriodKind,
  type ReportFilters,
} from '@shared/reports';
import type { Drill } from './tables';

/**
 * The report's period, filters and the figure drilled into live in the address (`#/reports?…`),
 * so that opening an application's card and coming back returns to the same report and list.
 */
export type DrillState = Drill;

const opt = z.string().optional();
const drillSchema: z.ZodType<DrillState> = z.union([
  z.object({ kind: z.literal('volume'), measure: z.enum(MEASURES), serviceId: opt, channel: opt, bucket: opt }),
  z.object({
    kind: z.literal('sla'),
    which: z.enum(['closed', 'onTime', 'late', 'noDeadline']),
    serviceId: opt,
    variantId: opt,
  }),
  z.object({
    kind: z.literal('step'),
    serviceId: z.string(),
    serviceVersion: z.string(),
    variantId: z.string(),
    stepId: z.string(),
    which: z.enum(['passes', 'late', 'returned']),
  }),
  z.object({ kind: z.literal('now'), which: z.enum(['open', 'overdue', 'atRisk']), holder: opt }),
]);

export interface ReportParams {
  kind: PeriodKind;
  period: Period;
  filters: ReportFilters;
  drill: DrillState | null;
  set: (
    change: Partial<{ kind: PeriodKind; period: Period; filters: ReportFilters; drill: DrillState | null }>,
  ) => void;
}

export function useReportParams(today: string): ReportParams {
  const [params, setParams] = useSearchParams();
  const raw = params.toString();
  const parsed = useMemo(() => {
    const p = new URLSearchParams(raw);
    const kindRaw = p.get('period') ?? 'month';
    const kind: PeriodKind = (PERIOD_KINDS as readonly string[]).includes(kindRaw) ? (kindRaw as PeriodKind) : 'month';
    const from = p.get('from') ?? today;
    const to = p.get('to') ?? from;
    let period: Period =
      kind === 'range' ? { from, to } : periodOf(kind, isValidPeriod({ from, to: from }) ? from : today);
    if (!isValidPeriod(period)) period = periodOf('month', today);
    const filters: ReportFilters = {
      serviceId: p.get('service'),
      variantId: p.get('variant'),
      channel: p.get('channel'),
      executor: p.get('executor'),
    };
    let drill: DrillState | null = null;
    try {
      const d = p.get('drill');
      if (d) drill = drillSchema.parse(JSON.parse(d));
    } catch {
      drill = null;
    }
    return { kind, period, filters, drill };
  }, [raw, today]);
  return {
    ...parsed,
    set: (change) => {
      const next = { ...parsed, ...change };
      const p = new URLSearchParams();
      p.set('period', next.kind);
      p.set('from', next.period.from);
      if (next.kind === 'range') p.set('to', next.period.to);
      const f = next.filters;
      if (f.serviceId) p.set('service', f.serviceId);
      if (f.variantId) p.set('variant', f.variantId);
      if (f.channel) p.set('channel', f.channel);
      if (f.executor) p.set('executor', f.executor);
      if (next.drill) p.set('drill', JSON.stringify(next.drill));
      // Opening a list is a step the back button undoes; changing the period or a filter is not.
      setParams(p, { replace: !('drill' in change) || change.drill === null });
    },
  };
}
