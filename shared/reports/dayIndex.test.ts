import { describe, expect, it } from 'vitest';
import { buildDayRows, updateDayRows } from './dayIndex';
import type { ReportFact } from './fact';
import { computeOfficeReport, drillIds } from './officeReport';

/** A closed application registered and closed on `day`, with one step pass. */
function closedFact(i: number, day: string): ReportFact {
  const at = Date.parse(`${day}T05:00:00Z`);
  return {
    appId: `X${i}`,
    office: 'ALM01',
    serviceId: i % 2 === 0 ? 'svc-a' : 'svc-b',
    serviceVersion: '1',
    variantId: 'main',
    channel: 'desk',
    executor: `exec${i % 7}`,
    intake: 'registered',
    registeredAt: at,
    registeredDay: day,
    status: 'closed',
    outcome: 'approved',
    closedAt: at + 3_600_000,
    closedDay: day,
    dueAt: at + 7_200_000,
    late: i % 3 === 0,
    minutes: i % 500,
    extended: 0,
    returned: 0,
    steps: [
      {
        stepId: 'review',
        doneAt: at + 1_800_000,
        doneDay: day,
        minutes: i % 100,
        norm: '1:working_days',
        late: i % 5 === 0,
        returned: false,
      },
    ],
  };
}

const sortedMiddle = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

describe('day index: packed storage', () => {
  it('keeps an ordinary day in 16-bit arrays, the minutes in 32 bits', () => {
    const [row] = buildDayRows([closedFact(1, '2026-03-02'), { ...closedFact(2, '2026-03-02'), minutes: 70_000 }]);
    expect(row?.apps).toBeInstanceOf(Int16Array);
    expect(row?.entries).toBeInstanceOf(Int16Array);
    expect(row?.minutes).toBeInstanceOf(Int32Array);
    const r = computeOfficeReport(row ? [row] : [], { from: '2026-03-01', to: '2026-03-31' }, {});
    // Minutes beyond 16 bits survive (a long application's working minutes).
    expect(r.sla.p90Minutes).toBe(70_000);
  });

  it('stores a day with more applications than 16 bits index in 32-bit arrays, with the same figures', () => {
    const n = 33_000;
    const day = '2026-03-02';
    const facts = Array.from({ length: n }, (_, i) => closedFact(i, day));
    const [row] = buildDayRows(facts);
    expect(row?.apps).toBeInstanceOf(Int32Array);
    expect(row?.entries).toBeInstanceOf(Int32Array);
    const period = { from: '2026-03-01', to: '2026-03-31' };
    const r = computeOfficeReport(row ? [row] : [], period, {});
    expect(r.volume.registered).toBe(n);
    expect(r.volume.approved).toBe(n);
    expect(r.sla.late).toBe(facts.filter((f) => f.late).length);
    expect(r.sla.medianMinutes).toBe(sortedMiddle(facts.map((f) => f.minutes ?? 0)));
    // Step rows are per service: svc-a first.
    const svcA = facts.filter((f) => f.serviceId === 'svc-a');
    expect(r.steps.map((st) => st.serviceId)).toEqual(['svc-a', 'svc-b']);
    expect(r.steps[0]?.late).toBe(svcA.filter((f) => f.steps[0]?.late).length);
    expect(r.steps[0]?.medianMinutes).toBe(sortedMiddle(svcA.map((f) => f.steps[0]?.minutes ?? 0)));
    // The last slots (beyond 32767) drill down to their own applications.
    const late = drillIds(
      row ? [row] : [],
      period,
      { executor: 'exec6' },
      {
        kind: 'step',
        serviceId: 'svc-b',
        serviceVersion: '1',
        variantId: 'main',
        stepId: 'review',
        which: 'late',
      },
    );
    const expected = facts
      .filter((f) => f.executor === 'exec6' && f.serviceId === 'svc-b' && f.steps[0]?.late)
      .map((f) => f.appId);
    expect(late).toEqual(expected);
    expect(late).toContain('X32815');
    // Updated back under 16 bits: one application's worth removed is still 32-bit, 32,000 fewer is 16.
    const [smaller] = updateDayRows(
      new Map(row ? [[day, row]] : []),
      facts.slice(0, 32_000).map((f) => ({ before: f, after: null })),
    );
    expect(smaller?.entries).toBeInstanceOf(Int16Array);
    expect(computeOfficeReport(smaller ? [smaller] : [], period, {}).volume.registered).toBe(n - 32_000);
  });
});
