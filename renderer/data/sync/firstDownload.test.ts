import { describe, expect, it } from 'vitest';
import { isProbablyOpen, type AppSummary } from '@shared/couch';
import { downloadOrder } from './downloadPlan';
import { Revisions } from './viewReader';

const summary = (h: string, k: string | null, n = 2): AppSummary => ({ h, k, p: null, s: null, n });

describe('the order of a first download', () => {
  it('takes an application as closed only after an issuance, a refusal at intake or a withdrawal', () => {
    expect(['issued', 'intake_refused', 'withdrawn'].map((k) => isProbablyOpen({ k }))).toEqual([false, false, false]);
    expect(['registered', 'step_done', 'signed', 'wait_expired', null].map((k) => isProbablyOpen({ k }))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('brings the open applications first, each group by latest event, newest first', () => {
    const order = downloadOrder(
      [
        { key: 'A', value: summary('0002:D1', 'issued', 3) },
        { key: 'B', value: summary('0001:D1', 'registered') },
        { key: 'C', value: summary('0005:D1', 'withdrawn') },
        { key: 'D', value: summary('0004:D1', 'step_done', 5) },
      ],
      // The scans each holds (the batches bound them), carried along.
      (appId) => (appId === 'D' ? 2 : 0),
    );
    expect(order).toEqual([
      { appId: 'D', events: 5, scans: 2, open: true },
      { appId: 'B', events: 2, scans: 0, open: true },
      { appId: 'C', events: 2, scans: 0, open: false },
      { appId: 'A', events: 3, scans: 0, open: false },
    ]);
  });
});

describe('the order of a large first download', () => {
  it('is the order of the applications’ latest events as texts: by wall time, within a millisecond by the HLC’s rest', () => {
    // HLCs as the view gives them (`hlc:device`), many sharing a millisecond; open and closed mixed.
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      key: `APP${String(i).padStart(5, '0')}`,
      value: summary(
        `${String(1_764_000_000_000 + next(400)).padStart(15, '0')}-${String(next(3)).padStart(4, '0')}:D${String(next(4))}`,
        next(3) === 0 ? 'registered' : 'issued',
        1 + next(9),
      ),
    }));
    // What the order means, said the plain way: open first, then the latest event's text, descending.
    const expected = [...rows]
      .sort((a, b) => {
        const [oa, ob] = [isProbablyOpen(a.value), isProbablyOpen(b.value)];
        if (oa !== ob) return oa ? -1 : 1;
        return a.value.h < b.value.h ? 1 : a.value.h > b.value.h ? -1 : 0;
      })
      .map((r) => r.key);
    const ties = new Set(rows.map((r) => r.value.h)).size;
    expect(ties).toBeLessThan(rows.length);
    expect(downloadOrder(rows).map((o) => o.appId)).toEqual(expected);
  });
});

describe("the view's revisions held until fetched", () => {
  it('gives back each application its revisions in the order given, conflicts included, until dropped', () => {
    const held = new Revisions();
    const a = [
      { id: 'evt:A:0001:D1:ab', rev: '1-aa' },
      { id: 'evt:A:0002:D1:cd', rev: '1-bb' },
      // A conflict: the same event at a second revision.
      { id: 'evt:A:0002:D1:cd', rev: '2-cc' },
    ];
    // Whatever a server's ids hold (CouchDB takes any string): quotes, spaces, separators.
    const b = [{ id: 'evt:B:0001:D1:"x y",\\z', rev: '1-dd' }];
    held.set('A', a);
    held.set('B', b);
    expect(held.of('A')).toEqual(a);
    expect(held.of('B')).toEqual(b);
    expect(held.appIds()).toEqual(['A', 'B']);
    held.drop('A');
    expect(held.of('A')).toEqual([]);
    expect(held.of('unknown')).toEqual([]);
    expect(held.appIds()).toEqual(['B']);
  });
});
