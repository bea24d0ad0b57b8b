import { describe, expect, it } from 'vitest';
import type { AppSummary } from './deskViews';
import { fieldScope, fieldSelector, widening } from './fieldScope';

const NOW = Date.UTC(2026, 11, 2, 10, 0);
const daysAgo = (d: number): string => new Date(NOW - d * 86_400_000).toISOString();
const summary = (k: string | null): AppSummary => ({ h: 'x', k, p: null, s: null, n: 3 });

describe('what a field laptop holds', () => {
  const summaries = new Map<string, AppSummary>([
    ['ASSIGNED_OPEN', summary('resolution')],
    ['COLLEAGUE_OPEN', summary('resolution')],
    ['COMMISSION_STEP', summary('step_done')],
    ['HERS_CLOSED_OLD', summary('issued')],
    ['HERS_CLOSED_RECENT', summary('issued')],
    ['WITHDRAWN_RECENT', summary('withdrawn')],
  ]);
  const named = [
    { appId: 'ASSIGNED_OPEN', at: daysAgo(90) },
    { appId: 'HERS_CLOSED_OLD', at: daysAgo(200) },
    { appId: 'HERS_CLOSED_RECENT', at: daysAgo(5) },
    { appId: 'WITHDRAWN_RECENT', at: daysAgo(29) },
  ];

  it('an executor: open applications naming her, however old, and everything hers of the last days', () => {
    expect(fieldScope({ role: 'executor', summaries, named, recentDays: 30, now: NOW })).toEqual([
      'ASSIGNED_OPEN',
      'HERS_CLOSED_RECENT',
      'WITHDRAWN_RECENT',
    ]);
    // A shorter window lets the recent closed ones go; the open one stays.
    expect(fieldScope({ role: 'executor', summaries, named, recentDays: 7, now: NOW })).toEqual([
      'ASSIGNED_OPEN',
      'HERS_CLOSED_RECENT',
    ]);
  });

  it('another role (a clerk at home, the commission): every open application of the office, and hers', () => {
    expect(fieldScope({ role: 'commission', summaries, named: [], recentDays: 30, now: NOW })).toEqual([
      'ASSIGNED_OPEN',
      'COLLEAGUE_OPEN',
      'COMMISSION_STEP',
    ]);
    expect(fieldScope({ role: 'clerk', summaries, named, recentDays: 30, now: NOW })).toContain('HERS_CLOSED_RECENT');
  });

  it('an application the server has no summary for is held only while recent', () => {
    const gone = [{ appId: 'UNKNOWN', at: daysAgo(100) }];
    expect(fieldScope({ role: 'executor', summaries, named: gone, recentDays: 30, now: NOW })).toEqual([]);
  });
});

describe('the selector the live pull sends', () => {
  it('non-events, the scope, and whatever she wrote or names her; registrations for other roles', () => {
    expect(fieldSelector(['A1', 'A2'], 'dana', 'executor')).toEqual({
      $or: [
        { _id: { $lt: 'evt:' } },
        { _id: { $gt: 'evt:\ufff0' } },
        { 'actor.login': 'dana' },
        { 'payload.executor': 'dana' },
        { appId: { $in: ['A1', 'A2'] } },
      ],
    });
    const clerk = fieldSelector([], 'aigerim', 'clerk');
    expect(clerk['$or']).toContainEqual({ kind: 'registered' });
    expect(clerk['$or']).not.toContainEqual({ appId: { $in: [] } });
  });

  it('widens by the events that arrived for applications not yet held', () => {
    const pulled = [
      { _id: 'evt:A1:1', appId: 'A1' },
      { _id: 'evt:B7:1', appId: 'B7' },
      { _id: 'evt:B7:2', appId: 'B7' },
      { _id: 'staff:dana', login: 'dana' },
      null,
    ];
    expect(widening(new Set(['A1']), pulled)).toEqual(['B7']);
  });
});
