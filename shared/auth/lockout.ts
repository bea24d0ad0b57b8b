/**
 * Lockout after repeated failed sign-ins on a desk, as a pure function of the recorded failures
 * and the time. Kept per login; a successful online sign-in clears it (the server has checked
 * the password), a successful offline one resets the count.
 */
export interface LockoutRecord {
  /** Consecutive failures since the last success or the last lockout. */
  failures: number;
  /** ISO time until which sign-in on this desk is refused, if locked. */
  lockedUntil: string | null;
}

export const LOCKOUT_POLICY = { maxFailures: 5, lockMinutes: 15 } as const;

export const NO_FAILURES: LockoutRecord = { failures: 0, lockedUntil: null };

export interface LockoutState {
  locked: boolean;
  /** Whole seconds left, 0 when not locked. */
  secondsLeft: number;
  /** Failures left before the lock, when not locked. */
  attemptsLeft: number;
}

export function lockoutState(
  record: LockoutRecord | undefined,
  now: Date,
  policy: { maxFailures: number; lockMinutes: number } = LOCKOUT_POLICY,
): LockoutState {
  const r = record ?? NO_FAILURES;
  const until = r.lockedUntil ? Date.parse(r.lockedUntil) : NaN;
  if (Number.isFinite(until) && until > now.getTime())
    return { locked: true, secondsLeft: Math.ceil((until - now.getTime()) / 1000), attemptsLeft: 0 };
  return { locked: false, secondsLeft: 0, attemptsLeft: Math.max(0, policy.maxFailures - r.failures) };
}

/** One more failed attempt; the failure that reaches the limit starts the lock. */
export function afterFailure(
  record: LockoutRecord | undefined,
  now: Date,
  policy: { maxFailures: number; lockMinutes: number } = LOCKOUT_POLICY,
): LockoutRecord {
  const r = record ?? NO_FAILURES;
  // A lock that has run out starts a fresh count.
  const expired = r.lockedUntil !== null && !lockoutState(r, now, policy).locked;
  const failures = (expired ? 0 : r.failures) + 1;
  if (failures >= policy.maxFailures)
    return { failures: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000).toISOString() };
  return { failures, lockedUntil: expired ? null : r.lockedUntil };
}
