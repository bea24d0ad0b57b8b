import { describe, expect, it } from 'vitest';
import { factsOfPlans, planOffice } from '../../tests/fixtures/reportOffice';
import { regionalFactDoc } from './regional';
import { dayTotals, daysTouched, sameTotals, type TotalsDoc } from './totals';

/** The members in another order, `_id` last: as pouchdb-server hands a stored document back. */
const reordered = (doc: TotalsDoc): TotalsDoc => {
  const { _id, ...rest } = doc;
  return Object.fromEntries([...Object.entries(rest).reverse(), ['_id', _id]]) as unknown as TotalsDoc;
};

describe('sameTotals', () => {
  const facts = factsOfPlans(planOffice(30, 3), Date.now()).map(regionalFactDoc);
  const day = facts[0] ? (daysTouched(facts[0])[0] ?? '') : '';
  const totals = dayTotals(day, facts);

  it('takes totals read back in another member order as the same (no rewrite on every pass)', () => {
    expect(totals.volume.length).toBeGreaterThan(0);
    expect(sameTotals(reordered(totals), totals)).toBe(true);
    expect(sameTotals({ ...totals, _rev: '3-abc' }, totals)).toBe(true);
  });

  it('tells totals with another count apart', () => {
    const fewer = dayTotals(day, facts.slice(1));
    expect(sameTotals(reordered(fewer), totals)).toBe(false);
  });
});
