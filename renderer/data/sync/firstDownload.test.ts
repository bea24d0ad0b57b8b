import { describe, expect, it } from 'vitest';
import { isProbablyOpen, type AppSummary } from '@shared/couch';
import { downloadOrder } from './firstDownload';

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
