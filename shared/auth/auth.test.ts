import { describe, expect, it } from 'vitest';
import { afterFailure, identityFor, lockoutState, LOCKOUT_POLICY, NO_FAILURES, officesOf, staffRolesOf } from '.';

describe('identity from CouchDB userCtx', () => {
  it('takes the staff roles in canonical order and the office roles', () => {
    const roles = ['office:ALM01', 'head', 'clerk', '_reader', 'office:bad', 'office:KZO01'];
    expect(staffRolesOf(roles)).toEqual(['clerk', 'head']);
    expect(officesOf(roles)).toEqual(['ALM01', 'KZO01']);
  });

  it('lets in a named staff member of the desk’s office, and says why not otherwise', () => {
    expect(identityFor({ name: 'aigerim', roles: ['clerk', 'office:ALM01'] }, 'ALM01')).toEqual({
      ok: true,
      identity: { login: 'aigerim', office: 'ALM01', roles: ['clerk'] },
    });
    expect(identityFor({ name: 'aigerim', roles: ['clerk', 'office:KZO01'] }, 'ALM01')).toEqual({
      ok: false,
      reason: 'wrongOffice',
    });
    expect(identityFor({ name: 'x', roles: ['office:ALM01', '_admin'] }, 'ALM01')).toEqual({
      ok: false,
      reason: 'noStaffRole',
    });
    expect(identityFor({ name: null, roles: [] }, 'ALM01')).toEqual({ ok: false, reason: 'anonymous' });
    // "office:ALM01x" is not office ALM01.
    expect(identityFor({ name: 'a', roles: ['clerk', 'office:ALM011'] }, 'ALM01').ok).toBe(false);
  });
});

describe('lockout policy', () => {
  const t0 = new Date('2026-11-23T10:00:00Z');
  const at = (s: number): Date => new Date(t0.getTime() + s * 1000);

  it('locks on the fifth consecutive failure, for fifteen minutes, counting down', () => {
    let r = NO_FAILURES;
    for (let i = 1; i <= 4; i++) {
      r = afterFailure(r, at(i));
      expect(lockoutState(r, at(i))).toEqual({ locked: false, secondsLeft: 0, attemptsLeft: 5 - i });
    }
    r = afterFailure(r, at(5));
    expect(lockoutState(r, at(5))).toEqual({ locked: true, secondsLeft: 15 * 60, attemptsLeft: 0 });
    expect(lockoutState(r, at(5 + 60)).secondsLeft).toBe(14 * 60);
    expect(lockoutState(r, at(5 + 15 * 60)).locked).toBe(false);
    expect(LOCKOUT_POLICY.maxFailures).toBe(5);
  });

  it('a failure while locked does not extend the lock; after it runs out the count starts afresh', () => {
    let r = NO_FAILURES;
    for (let i = 1; i <= 5; i++) r = afterFailure(r, at(i));
    const until = r.lockedUntil;
    r = afterFailure(r, at(10));
    expect(r.lockedUntil).toBe(until);
    const later = at(5 + 15 * 60 + 1);
    r = afterFailure(r, later);
    expect(r).toEqual({ failures: 1, lockedUntil: null });
    expect(lockoutState(r, later).attemptsLeft).toBe(4);
  });

  it('a clock set back does not unlock early, and garbage means not locked', () => {
    let r = NO_FAILURES;
    for (let i = 1; i <= 5; i++) r = afterFailure(r, at(i));
    expect(lockoutState(r, at(-3600)).locked).toBe(true);
    expect(lockoutState({ failures: 0, lockedUntil: 'nonsense' }, t0).locked).toBe(false);
  });
});
