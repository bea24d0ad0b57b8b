import { identityFor, lockoutState, type IdentityRefusal } from '@shared/auth';
import type { StaffRole } from '@shared/events';
import type { StaffDirectoryEntry } from '@shared/staff';
import {
  checkPassword,
  checkVerifier,
  checkWithServer,
  clearLockout,
  forgetUser,
  fullNameOf,
  knownUser,
  localDirectoryEntry,
  lockoutOf,
  makeVerifier,
  makeVerifierWithKey,
  recordFailure,
  rememberUser,
  type DeskKeyFailure,
  type Online,
  type PasswordVerifier,
} from '../../data';

/** Who signed in, before choosing the role to act in. */
export interface Authenticated {
  login: string;
  fullName: string;
  roles: StaffRole[];
  mode: 'online' | 'offline';
}

export type AuthFailure =
  | { code: 'wrongCredentials'; attemptsLeft: number }
  | { code: 'locked'; secondsLeft: number }
  | { code: IdentityRefusal }
  | { code: 'offlineUnknown' }
  /** Offline, and the office's staff directory on this desk says the account was deactivated. */
  | { code: 'deactivated' }
  | { code: 'serverError'; status: number }
  | { code: 'notSetUp' }
  | { code: DeskKeyFailure };

/**
 * `wrappingKey` unwraps this person's copy of the desk secret (browser mode); null when their
 * verifier predates it (an offline sign-in then cannot unlock: deskUnlock.ts says so).
 */
export type AuthResult =
  { ok: true; user: Authenticated; wrappingKey: CryptoKey | null } | { ok: false; failure: AuthFailure };

// Compared against when the login is unknown, so that the answer takes as long either way.
let decoy: Promise<PasswordVerifier> | null = null;

function failed(login: string, now: Date): AuthResult {
  const after = lockoutState(recordFailure(login, now), now);
  return after.locked
    ? { ok: false, failure: { code: 'locked', secondsLeft: after.secondsLeft } }
    : { ok: false, failure: { code: 'wrongCredentials', attemptsLeft: after.attemptsLeft } };
}

/**
 * Signs a person in on a desk of `office`: against the server when it answers; otherwise with
 * the verifier this desk kept from their last online sign-in. Lockout after repeated failures
 * (shared/auth/lockout.ts) stops offline guessing; a successful online sign-in clears it.
 */
export async function authenticate(
  input: { office: string | null; server: string | null; login: string; password: string },
  now: () => Date = () => new Date(),
  /** The office's staff directory on this desk (consulted offline only: online, the server decides). */
  directory: (office: string, login: string) => Promise<StaffDirectoryEntry | null> = localDirectoryEntry,
): Promise<AuthResult> {
  const login = input.login.trim().toLowerCase();
  const { office, server, password } = input;
  if (!office) return { ok: false, failure: { code: 'notSetUp' } };

  const online: Online = server ? await checkWithServer(server, login, password) : { kind: 'unreachable' };
  if (online.kind === 'accepted') {
    const who = identityFor({ name: online.name ?? login, roles: online.roles }, office);
    if (!who.ok) return { ok: false, failure: { code: who.reason } };
    clearLockout(login);
    const fullName = await fullNameOf(server as string, login, password);
    // The verifier this desk already has for them, if the password still matches it: their copy of
    // the desk secret stays valid and sign-in costs one slow pass, not two.
    const known = knownUser(office, who.identity.login);
    const kept = known?.verifier.kdf === 'hkdf' ? await checkPassword(password, known.verifier) : null;
    const fresh = kept?.ok && kept.wrappingKey ? null : await makeVerifierWithKey(password);
    const verifier = fresh ? fresh.verifier : (known as NonNullable<typeof known>).verifier;
    const wrappingKey = fresh ? fresh.wrappingKey : kept?.ok ? kept.wrappingKey : null;
    rememberUser({
      login: who.identity.login,
      office,
      fullName,
      roles: who.identity.roles,
      verifier,
      confirmedAt: now().toISOString(),
    });
    return {
      ok: true,
      user: { login: who.identity.login, fullName, roles: who.identity.roles, mode: 'online' },
      wrappingKey,
    };
  }
  if (online.kind === 'error') return { ok: false, failure: { code: 'serverError', status: online.status } };
  const lock = lockoutState(lockoutOf(login), now());
  if (online.kind === 'refused') {
    // The server said no: a failure like any other (the lock only grows while it lasts).
    return lock.locked
      ? { ok: false, failure: { code: 'locked', secondsLeft: lock.secondsLeft } }
      : failed(login, now());
  }

  // Unreachable: the offline path, for people this desk has seen online.
  if (lock.locked) return { ok: false, failure: { code: 'locked', secondsLeft: lock.secondsLeft } };
  const known = knownUser(office, login);
  if (!known) {
    decoy ??= makeVerifier('decoy');
    await checkVerifier(password, await decoy);
    return { ok: false, failure: { code: 'offlineUnknown' } };
  }
  const checked = await checkPassword(password, known.verifier);
  if (!checked.ok) return failed(login, now());
  // Deactivated by the office admin since this desk last saw the server: the verifier kept here no
  // longer counts (the server already refuses the person), and is dropped.
  const entry = await directory(office, login).catch(() => null);
  if (entry && !entry.active) {
    forgetUser(office, login);
    return { ok: false, failure: { code: 'deactivated' } };
  }
  // The right password resets the count; only the server clears a lock (above).
  clearLockout(login);
  return {
    ok: true,
    user: { login, fullName: known.fullName, roles: known.roles, mode: 'offline' },
    wrappingKey: checked.wrappingKey,
  };
}
