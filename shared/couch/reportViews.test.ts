import { parse } from 'acorn';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { factsOfPlans, planOffice } from '../../tests/fixtures/reportOffice';
import {
  buildDayRows,
  computeOfficeReport,
  mergeRegional,
  periodOf,
  regionalFactDoc,
  bucketRanges,
  dayTotals,
  daysTouched,
  monthTotals,
  type OfficeRows,
  type Period,
  type RegionalFactDoc,
  type ReportFact,
  type TotalsDoc,
} from '../reports';
import { BY_DAY_MAP, EVENTS_BY_APP_MAP, REPORT_VIEWS, REPORTS_VALIDATE_SOURCE } from './reportViews';

/**
 * The reports database as the writer keeps it and a supervisor reads it: the `by_day` view's
 * source text evaluated as CouchDB runs it (a separate JavaScript realm, node:vm, over documents
 * built in another, so `instanceof Array` would fail there and `Array.isArray` must be used) picks
 * each day's facts; the day totals are made from them and the months from the days, as the writer
 * does; the ranges a report reads are merged — and compared with the desk's own report over the
 * same applications.
 */
const plans = planOffice(500, 5);
const facts: ReportFact[] = factsOfPlans(plans, Date.parse('2026-07-01T00:00:00Z'));

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

/** The totals the writer would keep for these facts: days from the `by_day` view's answer, months from days. */
function totalsOf(docs: readonly RegionalFactDoc[]): Map<string, TotalsDoc> {
  const byDay = new Map<string, RegionalFactDoc[]>();
  const byId = new Map(docs.map((d) => [d._id, d]));
  // The view emits no id in this harness: documents are given one at a time.
  for (const doc of docs)
    for (const e of mapInRealm(BY_DAY_MAP, [doc])) {
      const day = e.key as unknown as string;
      byDay.set(day, [...(byDay.get(day) ?? []), byId.get(doc._id) as RegionalFactDoc]);
    }
  const days = [...byDay].map(([day, f]) => dayTotals(day, f));
  const months = [...new Set(days.map((d) => d.bucket.slice(0, 7)))].map((m) => monthTotals(m, days));
  return new Map([...days, ...months].map((t) => [t._id, t]));
}

/** What a supervisor's computer reads for the period: the totals documents in each range. */
function officeRows(office: string, docs: readonly RegionalFactDoc[], period: Period): OfficeRows {
  const totals = [...totalsOf(docs).values()];
  const read = bucketRanges(period).flatMap((r) =>
    totals.filter((t) => t.grain === r.grain && t.bucket >= r.from && t.bucket <= r.to),
  );
  return {
    office,
    volume: read.flatMap((t) => t.volume),
    durations: read.flatMap((t) => t.durations),
    steps: read.flatMap((t) => t.steps),
  };
}

describe('regional totals (the view in another realm, the writer’s sums)', () => {
  it('the views are plain ES5', () => {
    for (const source of [...Object.values(REPORT_VIEWS).map((v) => v.map), EVENTS_BY_APP_MAP, REPORTS_VALIDATE_SOURCE])
      expect(() => parse(`(${source})`, { ecmaVersion: 5 })).not.toThrow();
  });

  it('`by_day` names every day a fact counts on, so that a day recomputed from it misses no fact', () => {
    let some = 0;
    for (const doc of facts.map(regionalFactDoc)) {
      const emitted = mapInRealm(BY_DAY_MAP, [doc]).map((e) => e.key as unknown as string);
      expect(new Set(emitted).size).toBe(emitted.length);
      for (const d of daysTouched(doc)) expect(emitted).toContain(d);
      some += emitted.length;
    }
    expect(some).toBeGreaterThan(facts.length);
  });

  it('a month is the sum of its days, and the totals change with a fact', () => {
    const docs = facts.map(regionalFactDoc);
    const totals = totalsOf(docs);
    const april = totals.get('totals:m:2026-04');
    const aprilDays = [...totals.values()].filter((t) => t.grain === 'd' && t.bucket.startsWith('2026-04'));
    const count = (ts: readonly TotalsDoc[]): number => ts.flatMap((t) => t.volume).reduce((n, r) => n + r.value, 0);
    expect(count([april as TotalsDoc])).toBe(count(aprilDays));
    expect(count(aprilDays)).toBeGreaterThan(0);
    // Closing an open application moves it from 'open' on its registration day to a result on its closing day.
    const open = docs.find((d) => d.status === 'in_progress' && d.intake === 'registered');
    if (!open) throw new Error('no open application in the generated office');
    const closed: RegionalFactDoc = {
      ...open,
      status: 'closed',
      outcome: 'approved',
      closedDay: '2026-06-30',
      late: false,
    };
    const after = totalsOf(docs.map((d) => (d._id === open._id ? closed : d)));
    const measure = (t: TotalsDoc | undefined, m: string): number =>
      (t?.volume ?? []).filter((r) => r.key[5] === m).reduce((n, r) => n + r.value, 0);
    const regDay = `totals:d:${open.registeredDay}`;
    expect(measure(after.get(regDay), 'open')).toBe(measure(totals.get(regDay), 'open') - 1);
    expect(measure(after.get('totals:d:2026-06-30'), 'approved')).toBe(
      measure(totals.get('totals:d:2026-06-30'), 'approved') + 1,
    );
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
