import { describe, expect, it } from 'vitest';
import { findReportService, planOffice, type Plan } from '../../tests/fixtures/reportOffice';
import { DEFAULT_CALENDAR } from '../calendar';
import { fold } from '../workflow';
import {
  buildDayRows,
  changedDayRows,
  DAY_PARTS,
  dayRowId,
  partOf,
  updateDayRows,
  type ReportDayRow,
} from './dayIndex';
import { factDays, isOpen, reportFact, type ReportFact } from './fact';
import { computeOfficeReport, drillIds, type ReportFilters } from './officeReport';
import { periodOf, type Period } from './period';

/**
 * The reports against a generated office whose every figure is known from its plan
 * (tests/fixtures/reportOffice.ts): the expectations below are computed from the plans, never
 * from the code under test (fold → fact → day index → report).
 */
const plans = planOffice(600);

function factOf(p: Plan, events = p.events): ReportFact | null {
  const state = fold({
    appId: p.appId,
    events,
    service: findReportService,
    calendar: DEFAULT_CALENDAR,
    now: Date.parse('2026-07-01T00:00:00Z'),
  });
  return reportFact(state, DEFAULT_CALENDAR);
}

const facts = plans.map((p) => factOf(p)).filter((f): f is ReportFact => f !== null);
const rows = buildDayRows(facts);

// ── the expectations, from the plans alone ─────────────────────────────────────────────────

const within = (period: Period, day: string): boolean => day >= period.from && day <= period.to;
const passes = (p: Plan, f: ReportFilters): boolean =>
  (!f.serviceId || p.serviceId === f.serviceId) &&
  (!f.channel || p.channel === f.channel) &&
  (!f.executor || p.executor === f.executor) &&
  (!f.variantId || f.variantId === 'main');

function middle(values: number[]): number | null {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v.length % 2
    ? (v[(v.length - 1) / 2] as number)
    : ((v[v.length / 2 - 1] as number) + (v[v.length / 2] as number)) / 2;
}
function ninetieth(values: number[]): number | null {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  // the smallest value with at least 90 % of the values at or below it
  for (const x of v) if (v.filter((y) => y <= x).length >= 0.9 * v.length) return x;
  return null;
}

function expected(period: Period, f: ReportFilters) {
  const mine = plans.filter((p) => passes(p, f));
  const registered = mine.filter((p) => !p.intakeRefused && within(period, p.registeredDay));
  const ends = mine.filter((p) => p.end && within(period, p.end.day));
  const results = ends.filter((p) => p.end?.kind === 'approved' || p.end?.kind === 'refused');
  const volume = {
    registered: registered.length,
    refusedAtIntake: mine.filter((p) => p.intakeRefused && within(period, p.registeredDay)).length,
    approved: ends.filter((p) => p.end?.kind === 'approved').length,
    refused: ends.filter((p) => p.end?.kind === 'refused').length,
    withdrawn: ends.filter((p) => p.end?.kind === 'withdrawn').length,
    notSupplied: 0,
    open: registered.filter((p) => p.end === null).length,
  };
  const sla = {
    closed: results.length,
    onTime: results.filter((p) => p.late === false).length,
    late: results.filter((p) => p.late === true).length,
    noDeadline: 0,
    returned: results.filter((p) => p.returned).length,
    extended: 0,
    medianMinutes: middle(results.map((p) => p.totalMinutes as number)),
    p90Minutes: ninetieth(results.map((p) => p.totalMinutes as number)),
  };
  const steps = new Map<string, { passes: number; late: number; returned: number; minutes: number[] }>();
  for (const p of mine)
    for (const s of p.passes) {
      if (!within(period, s.doneDay)) continue;
      const key = `${p.serviceId}@${p.serviceVersion}/${s.stepId}`;
      const e = steps.get(key) ?? { passes: 0, late: 0, returned: 0, minutes: [] };
      e.passes++;
      if (s.late) e.late++;
      if (s.returned) e.returned++;
      e.minutes.push(s.minutes);
      steps.set(key, e);
    }
  return { volume, sla, steps, results };
}

describe('office report against a generated office', () => {
  const cases: [string, Period, ReportFilters][] = [
    ['April 2026, everything', periodOf('month', '2026-04-15'), {}],
    ['the quarter, service B', periodOf('quarter', '2026-04-15'), { serviceId: 'svc-b' }],
    ['March to June, through the ЦОН', { from: '2026-03-01', to: '2026-06-30' }, { channel: 'con' }],
    ['a week with a holiday, one executor', periodOf('week', '2026-05-06'), { executor: 'exec2' }],
    ['the year, service A, main variant', periodOf('year', '2026-05-01'), { serviceId: 'svc-a', variantId: 'main' }],
  ];

  it('has the cases the legend is about', () => {
    expect(plans.some((p) => p.returned && p.end)).toBe(true);
    expect(plans.some((p) => p.serviceVersion === '2')).toBe(true);
    expect(plans.some((p) => p.intakeRefused)).toBe(true);
    expect(plans.some((p) => p.late === true)).toBe(true);
    expect(plans.some((p) => p.end?.kind === 'withdrawn')).toBe(true);
  });

  for (const [name, period, filters] of cases) {
    it(`volumes, deadlines and steps: ${name}`, () => {
      const want = expected(period, filters);
      const got = computeOfficeReport(rows, period, filters);
      expect(got.volume).toEqual(want.volume);
      expect(got.sla).toEqual(want.sla);
      expect(want.sla.closed).toBeGreaterThan(0);
      const gotSteps = new Map(
        got.steps.map((s) => [
          `${s.serviceId}@${s.serviceVersion}/${s.stepId}`,
          { passes: s.passes, late: s.late, returned: s.returned, median: s.medianMinutes, p90: s.p90Minutes },
        ]),
      );
      expect(new Set(gotSteps.keys())).toEqual(new Set(want.steps.keys()));
      for (const [key, e] of want.steps)
        expect(gotSteps.get(key), key).toEqual({
          passes: e.passes,
          late: e.late,
          returned: e.returned,
          median: middle(e.minutes),
          p90: ninetieth(e.minutes),
        });
      // The volumes by channel and by day add up to the totals.
      for (const m of ['registered', 'approved', 'refused'] as const) {
        expect(got.volumeByChannel.reduce((n, c) => n + c.volume[m], 0)).toBe(want.volume[m]);
        expect(got.trend.reduce((n, c) => n + c.volume[m], 0)).toBe(want.volume[m]);
      }
    });
  }

  it('counts both versions of a service under the service, and their steps apart', () => {
    const period = { from: '2026-03-01', to: '2026-06-30' };
    const got = computeOfficeReport(rows, period, { serviceId: 'svc-a' });
    const results = expected(period, { serviceId: 'svc-a' }).results;
    expect(new Set(results.map((p) => p.serviceVersion))).toEqual(new Set(['1', '2']));
    expect(got.slaRows).toHaveLength(1);
    expect(got.slaRows[0]?.closed).toBe(results.length);
    const reviews = got.steps.filter((s) => s.stepId === 's4');
    expect(reviews.map((s) => [s.serviceVersion, s.norms])).toEqual([
      ['1', ['3:working_days']],
      ['2', ['2:working_days']],
    ]);
  });

  it('counts a returned application once in the deadlines and each pass in the steps', () => {
    const period = { from: '2026-03-01', to: '2026-06-30' };
    const returned = plans.filter((p) => p.returned && p.end && within(period, p.end.day));
    expect(returned.length).toBeGreaterThan(0);
    const ids = drillIds(rows, period, {}, { kind: 'sla', which: 'closed' });
    for (const p of returned) expect(ids.filter((id) => id === p.appId)).toHaveLength(1);
    const reviewPasses = drillIds(
      rows,
      period,
      {},
      {
        kind: 'step',
        serviceId: 'svc-b',
        serviceVersion: '1',
        variantId: 'main',
        stepId: 's4',
        which: 'passes',
      },
    );
    const expectedB = plans.filter(
      (p) => p.serviceId === 'svc-b' && p.passes.some((s) => s.stepId === 's4' && within(period, s.doneDay)),
    );
    expect(new Set(reviewPasses)).toEqual(new Set(expectedB.map((p) => p.appId)));
    const got = computeOfficeReport(rows, period, {});
    const signB = got.steps.find((s) => s.serviceId === 'svc-b' && s.stepId === 's5');
    expect(signB?.returned).toBe(
      plans
        .filter((p) => p.serviceId === 'svc-b')
        .flatMap((p) => p.passes)
        .filter((s) => s.stepId === 's5' && s.returned).length,
    );
  });

  it('drills into the late applications of a month', () => {
    const period = periodOf('month', '2026-04-01');
    const want = expected(period, {})
      .results.filter((p) => p.late)
      .map((p) => p.appId);
    expect(new Set(drillIds(rows, period, {}, { kind: 'sla', which: 'late' }))).toEqual(new Set(want));
    expect(want.length).toBeGreaterThan(0);
  });

  it('measures steps in working time across holidays and lunch breaks', () => {
    // Passes that span a lunch break and a day off (23–25 March, 1, 7, 11 May 2026).
    const crossing = plans.flatMap((p) => p.passes).filter((s) => s.minutes > 300);
    expect(crossing.length).toBeGreaterThan(50);
    const byApp = new Map(facts.map((f) => [f.appId, f]));
    for (const p of plans)
      p.passes.forEach((s, i) =>
        expect(byApp.get(p.appId)?.steps[i]?.minutes, `${p.appId} ${s.stepId}`).toBe(s.minutes),
      );
  });

  it('rewrites only the days whose slot of the application changed, in its part of each', () => {
    const day = '2026-06-30';
    const open = facts.find((f) => isOpen(f.status) && f.steps.length > 0 && !factDays(f).includes(day));
    if (!open) throw new Error('the plan has no open application with steps');
    const part = partOf(open.appId);
    const keys = (days: string[]): [string, number][] => days.map((d) => [d, part]);
    const step = { stepId: 'review', doneAt: Date.parse(`${day}T06:00:00Z`), doneDay: day, minutes: 30, norm: null };
    // A pass ended today: only today's row; the registration day's slot is as it was.
    const passed = { ...open, steps: [...open.steps, { ...step, late: false, returned: false }] };
    expect(changedDayRows([{ before: open, after: passed }])).toEqual(keys([day]));
    expect(updateDayRows(new Map(), [{ before: open, after: passed }]).map((r) => [r.day, r.part])).toEqual(
      keys([day]),
    );
    // Closed today: the registration day's open mark changes too.
    const closed = { ...passed, status: 'closed' as const, outcome: 'approved' as const, closedDay: day };
    closed.closedAt = step.doneAt;
    expect(changedDayRows([{ before: passed, after: closed }])).toEqual(keys([open.registeredDay, day].sort()));
    // Another executor: every day the application has a slot on.
    const reassigned = { ...open, executor: `${open.executor ?? ''}x` };
    expect(changedDayRows([{ before: open, after: reassigned }])).toEqual(keys(factDays(open).sort()));
    expect(changedDayRows([{ before: open, after: open }])).toEqual([]);
  });

  it("keeps each application's slots in one part of each day, the parts spread across the day", () => {
    for (const row of rows) for (const id of row.ids.split(' ')) expect(partOf(id), id).toBe(row.part);
    // The plan's busiest day is spread over every part, none holding most of it.
    const byDay = new Map<string, ReportDayRow[]>();
    for (const row of rows) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
    const busiest = [...byDay.values()].sort((a, b) => slots(b) - slots(a))[0] ?? [];
    expect(busiest.map((r) => r.part)).toEqual([...Array(DAY_PARTS).keys()]);
    expect(Math.max(...busiest.map((r) => slots([r])))).toBeLessThan(slots(busiest) / 2);
  });

  it('keeps the day index the same when it is updated application by application, event by event', () => {
    const current = new Map<string, ReportDayRow>();
    const last = new Map<string, ReportFact | null>();
    // Events arrive interleaved across applications, as replication brings them.
    const queue = plans
      .slice(0, 150)
      .flatMap((p) => p.events.map((e, i) => ({ p, upTo: i + 1, at: Date.parse(e.at) })));
    queue.sort((a, b) => a.at - b.at);
    for (const { p, upTo } of queue) {
      const after = factOf(p, p.events.slice(0, upTo));
      const before = last.get(p.appId) ?? null;
      last.set(p.appId, after);
      for (const row of updateDayRows(current, [{ before, after }])) {
        if (row.ids === '') current.delete(dayRowId(row.day, row.part));
        else current.set(dayRowId(row.day, row.part), row);
      }
    }
    const rebuilt = buildDayRows([...last.values()].filter((f): f is ReportFact => f !== null));
    const period = { from: '2026-01-01', to: '2026-12-31' };
    expect(computeOfficeReport([...current.values()], period, {})).toEqual(computeOfficeReport(rebuilt, period, {}));
    expect([...current.values()].map((r) => [r.day, r.part]).sort(byKey)).toEqual(rebuilt.map((r) => [r.day, r.part]));
  });
});

const slots = (rs: readonly ReportDayRow[]): number => rs.reduce((n, r) => n + r.ids.split(' ').length, 0);
const byKey = (a: (string | number)[], b: (string | number)[]): number =>
  a[0] === b[0] ? Number(a[1]) - Number(b[1]) : String(a[0]) < String(b[0]) ? -1 : 1;
