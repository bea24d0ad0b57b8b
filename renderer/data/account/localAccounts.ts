import { z } from 'zod';
import { staffRoleSchema, type StaffRole } from '@shared/events';
import { afterFailure, NO_FAILURES, type LockoutRecord } from '@shared/auth';
import type { PasswordVerifier } from './verifier';

/**
 * What this desk remembers about people who signed in on it online: a slow salted verifier (never
 * the password) and a snapshot of name, roles and office, so that they can sign in while the
 * server is unreachable. Plus the lockout counters. Both in localStorage, validated on read.
 */
export interface KnownUser {
  login: string;
  office: string;
  fullName: string;
  roles: StaffRole[];
  verifier: PasswordVerifier;
  /** When the server last confirmed this person (ISO). */
  confirmedAt: string;
  /**
   * This person's copies of desk secrets, per desk code: sealed under the wrapping key that their
   * verifier's slow pass gives (verifier.ts), base64url. Valid only with the verifier they were
   * made with, so a new verifier drops them.
   */
  deskSecrets?: Record<string, string>;
}

export const KNOWN_USERS_KEY = 'kense.auth.known';
export const LOCKOUT_KEY = 'kense.auth.lockout';

const verifierSchema = z.object({
  alg: z.literal('PBKDF2-SHA-256'),
  iterations: z.number().int(),
  salt: z.string(),
  hash: z.string(),
  kdf: z.literal('hkdf').optional(),
});
const knownSchema = z.record(
  z.string(),
  z.object({
    login: z.string(),
    office: z.string(),
    fullName: z.string(),
    roles: z.array(staffRoleSchema),
    verifier: verifierSchema,
    confirmedAt: z.string(),
    deskSecrets: z.record(z.string(), z.string()).optional(),
  }),
);
const lockoutSchema = z.record(
  z.string(),
  z.object({ failures: z.number().int(), lockedUntil: z.string().nullable() }),
);

function read<T>(key: string, schema: z.ZodType<T>, empty: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(localStorage.getItem(key) ?? 'null'));
    return parsed.success ? parsed.data : empty;
  } catch {
    return empty;
  }
}

const knownKey = (office: string, login: string): string => `${office}/${login}`;

export function knownUser(office: string, login: string): KnownUser | null {
  return read(KNOWN_USERS_KEY, knownSchema, {})[knownKey(office, login)] ?? null;
}

/** Keeps the person's copies of desk secrets while their verifier stays the same. */
export function rememberUser(user: KnownUser): void {
  const all = read(KNOWN_USERS_KEY, knownSchema, {});
  const before = all[knownKey(user.office, user.login)];
  const sameVerifier = before?.verifier.salt === user.verifier.salt && before.verifier.hash === user.verifier.hash;
  const deskSecrets = user.deskSecrets ?? (sameVerifier ? before.deskSecrets : undefined);
  all[knownKey(user.office, user.login)] = { ...user, ...(deskSecrets ? { deskSecrets } : {}) };
  localStorage.setItem(KNOWN_USERS_KEY, JSON.stringify(all));
}

/** Forgets a person on this desk: their verifier and their copies of desk secrets. */
export function forgetUser(office: string, login: string): void {
  const all = read(KNOWN_USERS_KEY, knownSchema, {});
  delete all[knownKey(office, login)];
  localStorage.setItem(KNOWN_USERS_KEY, JSON.stringify(all));
}

/** Stores a person's wrapped copy of a desk's secret (they must be known on this desk). */
export function rememberDeskSecret(office: string, login: string, desk: string, wrapped: string): void {
  const all = read(KNOWN_USERS_KEY, knownSchema, {});
  const user = all[knownKey(office, login)];
  if (!user) return;
  all[knownKey(office, login)] = { ...user, deskSecrets: { ...user.deskSecrets, [desk]: wrapped } };
  localStorage.setItem(KNOWN_USERS_KEY, JSON.stringify(all));
}

/** Whether anyone on this computer holds a copy of the desk's secret (then it exists: never make another). */
export function deskSecretKnownHere(office: string, desk: string): boolean {
  return Object.values(read(KNOWN_USERS_KEY, knownSchema, {})).some(
    (u) => u.office === office && u.deskSecrets?.[desk] !== undefined,
  );
}

export function lockoutOf(login: string): LockoutRecord {
  return read(LOCKOUT_KEY, lockoutSchema, {})[login] ?? NO_FAILURES;
}

function writeLockout(login: string, record: LockoutRecord | null): void {
  const all = read(LOCKOUT_KEY, lockoutSchema, {});
  if (record) all[login] = record;
  else delete all[login];
  localStorage.setItem(LOCKOUT_KEY, JSON.stringify(all));
}

export function recordFailure(login: string, now: Date): LockoutRecord {
  const next = afterFailure(lockoutOf(login), now);
  writeLockout(login, next);
  return next;
}

export function clearLockout(login: string): void {
  writeLockout(login, null);
}
