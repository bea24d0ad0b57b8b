import { parse } from 'acorn';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { findReportService, planOffice } from '../../tests/fixtures/reportOffice';
import { DEFAULT_CALENDAR } from '../calendar';
import {
  buildDayRows,
  computeOfficeReport,
  mergeRegional,
  periodOf,
  regionalFactDoc,
  reportFact,
  viewQueries,
  type CountRow,
  type OfficeRows,
  type Period,
  type ReportFact,
  type Stats,
  type StatsRow,
} from '../reports';
import { fold } from '../workflow';
import {
  EVENTS_BY_APP_MAP,
  REPORT_VIEW_KEY_LENGTH,
  REPORT_VIEWS,
  REPORTS_VALIDATE_SOURCE,
  type ReportView,
} from './reportViews';

/**
 * The regional views as CouchDB runs them: their source text evaluated in a separate JavaScript
 * realm (node:vm), over documents built in that realm (so `instanceof Array` would fail there and
 * `Array.isArray` must be used), reduced the way CouchDB's built-in `_count` and `_stats` do,
 * across shards — and compared with the desk's own report over the same applications.
 */
const plans = planOffice(500, 5);
const facts: ReportFact[] = plans.flatMap((p) => {
  const f = reportFact(
    fold({
      appId: p.appId,
      events: p.events,
      service: findReportService,
      calendar: DEFAULT_CALENDAR,
      now: Date.parse('2026-07-01T00:00:00Z'),
    }),
    DEFAULT_CALENDAR,
  );
  return f ? [f] : [];
});

interface Emitted {
  key: unknown[];
  value: unknown;
}

/** Where documents are built: neither this test's realm nor the map's (as in CouchDB). */
const docRealm = vm.createContext({});

/** Runs a view's map, compiled in a fresh realm, over documents from another realm, as couchjs would. */
function mapInRealm(source: string, docs: readonly object[]): Emitted[] {
  const out: Emitted[] = [];
  const context = vm.createContext({
    emit: (key: unknown, value: unknown) => out.push({ key: JSON.parse(JSON.stringify(key)) as unknown[], value }),
  });
  const map = vm.runInContext(`(${source})`, context) as (doc: unknown) => void;
  for (const doc of docs) map(vm.runInContext(`JSON.parse(${JSON.stringify(JSON.stringify(doc))})`, docRealm));
  return out;
}

/** CouchDB's collation for the keys used here: strings, then numbers, in arrays compared element-wise. */
function inRange(key: unknown[], grain: string, from: string, to: string): boolean {
  const [g, bucket] = key as [string, string];
  return g === grain && bucket >= from && bucket <= to;
}

/** group_level reduce with a built-in: `_count` or `_stats`, by shard then re-reduced, like a cluster. */
function reduce(
  emitted: Emitted[],
  level: number,
  kind: '_count' | '_stats',
  shards = 3,
): { key: unknown[]; value: unknown }[] {
  const perShard = Array.from(
    { length: shards },
    () => new Map<string, { key: unknown[]; count: number; stats: Stats }>(),
  );
  emitted.forEach((e, i) => {
    const key = e.key.slice(0, level);
    const shard = perShard[i % shards] as Map<string, { key: unknown[]; count: number; stats: Stats }>;
    const k = JSON.stringify(key);
    const acc = shard.get(k) ?? {
      key,
      count: 0,
      stats: { sum: 0, count: 0, min: Infinity, max: -Infinity, sumsqr: 0 },
    };
    acc.count++;
    const v = Number(e.value);
    acc.stats = {
      sum: acc.stats.sum + v,
      count: acc.stats.count + 1,
      min: Math.min(acc.stats.min, v),
      max: Math.max(acc.stats.max, v),
      sumsqr: (acc.stats.sumsqr ?? 0) + v * v,
    };
    shard.set(k, acc);
  });
  const merged = new Map<string, { key: unknown[]; count: number; stats: Stats }>();
  for (const shard of perShard)
    for (const [k, a] of shard) {
      const m = merged.get(k);
      if (!m) merged.set(k, { ...a });
      else
        merged.set(k, {
          key: a.key,
          count: m.count + a.count,
          stats: {
            sum: m.stats.sum + a.stats.sum,
            count: m.stats.count + a.stats.count,
            min: Math.min(m.stats.min, a.stats.min),
            max: Math.max(m.stats.max, a.stats.max),
          },
        });
    }
  return [...merged.values()].map((m) => ({ key: m.key, value: kind === '_count' ? m.count : m.stats }));
}

function officeRows(office: string, docs: readonly object[], period: Period): OfficeRows {
  const query = (view: ReportView): { key: unknown[]; value: unknown }[] => {
    const emitted = mapInRealm(REPORT_VIEWS[view].map, docs);
    return viewQueries(period).flatMap((q) =>
      reduce(
        emitted.filter((e) => inRange(e.key, q.grain, q.from, q.to)),
        REPORT_VIEW_KEY_LENGTH[view],
        REPORT_VIEWS[view].reduce,
      ),
    );
  };
  return {
    office,
    volume: query('volume') as CountRow[],
    durations: query('durations') as StatsRow[],
    steps: query('steps') as StatsRow[],
  };
}

describe('regional report views (source text in another realm)', () => {
  it('are plain ES5', () => {
    for (const source of [...Object.values(REPORT_VIEWS).map((v) => v.map), EVENTS_BY_APP_MAP, REPORTS_VALIDATE_SOURCE])
      expect(() => parse(`(${source})`, { ecmaVersion: 5 })).not.toThrow();
  });

  const cases: [string, Period][] = [
    ['a month (by day)', periodOf('month', '2026-04-10')],
    ['a quarter (whole months)', periodOf('quarter', '2026-04-10')],
    ['ragged ends (days, months, days)', { from: '2026-03-17', to: '2026-05-20' }],
  ];
  for (const [name, period] of cases)
    it(`give the desk's figures: ${name}`, () => {
      const docs = facts.map(regionalFactDoc);
      const regional = mergeRegional(period, {}, [officeRows('ALM01', docs, period)]);
      const desk = computeOfficeReport(buildDayRows(facts), period, {});
      expect(regional.total.volume).toEqual(desk.volume);
      const { medianMinutes: _m, p90Minutes: _p, ...counts } = desk.sla;
      const { meanMinutes, ...regionalCounts } = regional.total.sla;
      expect(regionalCounts).toEqual(counts);
      // The mean, exact from _stats: the desk's results handed over in the period.
      const closed = facts.filter(
        (f) => f.status === 'closed' && f.closedDay && f.closedDay >= period.from && f.closedDay <= period.to,
      );
      expect(meanMinutes).toBeCloseTo(closed.reduce((n, f) => n + (f.minutes ?? 0), 0) / closed.length, 9);
      const steps = new Map(desk.steps.map((s) => [`${s.serviceId}/${s.serviceVersion}/${s.stepId}`, s]));
      expect(regional.steps.length).toBe(desk.steps.length);
      for (const s of regional.steps) {
        const d = steps.get(`${s.serviceId}/${s.serviceVersion}/${s.stepId}`);
        expect({ passes: s.passes, late: s.late, returned: s.returned }).toEqual({
          passes: d?.passes,
          late: d?.late,
          returned: d?.returned,
        });
      }
      // By service, filtered.
      const b = mergeRegional(period, { serviceId: 'svc-b' }, [officeRows('ALM01', docs, period)]);
      expect(b.total.volume).toEqual(computeOfficeReport(buildDayRows(facts), period, { serviceId: 'svc-b' }).volume);
    });

  it('merge offices side by side, and the total is the sum of the offices', () => {
    const period = periodOf('quarter', '2026-04-10');
    const half = Math.floor(facts.length / 2);
    const one = facts.slice(0, half).map((f) => regionalFactDoc({ ...f, office: 'ALM01' }));
    const two = facts.slice(half).map((f) => regionalFactDoc({ ...f, office: 'KZO01' }));
    const merged = mergeRegional(period, {}, [officeRows('ALM01', one, period), officeRows('KZO01', two, period)]);
    const whole = mergeRegional(period, {}, [officeRows('ALM01', [...one, ...two], period)]);
    expect(merged.offices.map((o) => o.office)).toEqual(['ALM01', 'KZO01']);
    expect(merged.total.volume).toEqual(whole.total.volume);
    expect(merged.total.sla.meanMinutes).toBeCloseTo(whole.total.sla.meanMinutes ?? NaN, 9);
    expect((merged.offices[0]?.volume.registered ?? 0) + (merged.offices[1]?.volume.registered ?? 0)).toBe(
      whole.total.volume.registered,
    );
  });

  it('hold nothing personal', () => {
    const doc = regionalFactDoc(facts[0] as ReportFact);
    const text = JSON.stringify(doc);
    for (const p of plans.slice(0, 1)) {
      const reg = p.events[0]?.payload as { regNumber?: string; applicant?: { iin?: string; surname?: string } };
      expect(text).not.toContain(reg.regNumber ?? '-');
      expect(text).not.toContain(reg.applicant?.iin ?? '-');
      expect(text).not.toContain(reg.applicant?.surname ?? '-');
    }
    expect(Object.keys(doc)).not.toContain('executor');
  });

  it('only the server admin writes a reports database', () => {
    const context = vm.createContext({});
    const validate = vm.runInContext(`(${REPORTS_VALIDATE_SOURCE})`, context) as (
      n: object,
      o: object | null,
      u: object,
    ) => void;
    const ctx = (roles: string[]): object =>
      vm.runInContext(`({ name: 'x', roles: ${JSON.stringify(roles)} })`, context) as object;
    expect(() => validate({ _id: 'fact:X' }, null, ctx(['_admin']))).not.toThrow();
    expect(() => validate({ _id: 'fact:X' }, null, ctx(['supervisor', 'reports:ALM01']))).toThrow();
  });
});
