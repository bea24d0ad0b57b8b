import { describe, expect, it } from 'vitest';
import { DAY_MS, eligibleForPurge, purgePolicySchema, type PurgeCandidate } from './purge';

// 23 Nov 2026, 10:00 in Almaty (UTC+5).
const now = Date.parse('2026-11-23T10:00:00+05:00');
const closed = (appId: string, closedAt: string | null, status = 'closed'): PurgeCandidate => ({
  appId,
  status,
  closedAt: closedAt === null ? null : Date.parse(closedAt),
});

describe('which closed applications may leave a home-visit laptop', () => {
  const rows: PurgeCandidate[] = [
    closed('A-exactly-30-days', '2026-10-24T10:00:00+05:00'),
    closed('B-a-minute-short', '2026-10-24T10:01:00+05:00'),
    closed('C-long-ago', '2025-01-15T16:30:00+05:00'),
    closed('D-refused-at-intake', '2026-08-01T09:00:00+05:00', 'refused_at_intake'),
    closed('E-withdrawn', '2026-08-01T09:00:00+05:00', 'withdrawn'),
    closed('F-not-supplied', '2026-08-01T09:00:00+05:00', 'not_supplied'),
    // Open applications never go, whatever their dates say.
    closed('G-in-progress', '2026-01-01T09:00:00+05:00', 'in_progress'),
    closed('H-waiting', '2026-01-01T09:00:00+05:00', 'waiting_applicant'),
    closed('I-final-without-date', null),
  ];

  it('never, when the desk keeps everything (the default)', () => {
    expect(eligibleForPurge(rows, { mode: 'never' }, now)).toEqual([]);
  });

  it('N full days after closing, counted to the minute; only final statuses with a closing time', () => {
    expect(eligibleForPurge(rows, { mode: 'afterDays', days: 30 }, now)).toEqual([
      'A-exactly-30-days',
      'C-long-ago',
      'D-refused-at-intake',
      'E-withdrawn',
      'F-not-supplied',
    ]);
    expect(eligibleForPurge(rows, { mode: 'afterDays', days: 30 }, now + 60_000)).toContain('B-a-minute-short');
  });

  it('a longer period keeps more; a year keeps all but the old one', () => {
    expect(eligibleForPurge(rows, { mode: 'afterDays', days: 90 }, now)).toEqual([
      'C-long-ago',
      'D-refused-at-intake',
      'E-withdrawn',
      'F-not-supplied',
    ]);
    expect(eligibleForPurge(rows, { mode: 'afterDays', days: 365 }, now)).toEqual(['C-long-ago']);
    expect(eligibleForPurge(rows, { mode: 'afterDays', days: 1 }, Date.parse('2025-01-16T16:29:00+05:00'))).toEqual([]);
    expect(
      eligibleForPurge(rows, { mode: 'afterDays', days: 1 }, Date.parse('2025-01-15T16:30:00+05:00') + DAY_MS),
    ).toEqual(['C-long-ago']);
  });

  it('the setting accepts never or 1–3650 whole days, nothing else', () => {
    expect(purgePolicySchema.safeParse({ mode: 'never' }).success).toBe(true);
    expect(purgePolicySchema.safeParse({ mode: 'afterDays', days: 30 }).success).toBe(true);
    for (const bad of [
      { mode: 'afterDays', days: 0 },
      { mode: 'afterDays', days: -5 },
      { mode: 'afterDays', days: 1.5 },
      { mode: 'afterDays', days: 3651 },
      { mode: 'afterDays' },
      { mode: 'always' },
      { mode: 'never', days: 3 },
      null,
    ])
      expect(purgePolicySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
