import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticate } from './authenticate';
import { KNOWN_USERS_KEY, LOCKOUT_KEY } from '../../data/account/localAccounts';

// The decisions of sign-in (online, offline, lockout) with real WebCrypto; the server is played by a
// stubbed fetch (the e2e spec tests/e2e/auth.spec.ts does the same against the real dev central).
const store = new Map<string, string>();
const storage = {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
  removeItem: (k: string) => void store.delete(k),
};
type Server = 'up' | 'down' | 'error';
let server: Server = 'up';
const accounts: Record<string, { password: string; roles: string[] }> = {
  aigerim: { password: 'right-1', roles: ['clerk', 'office:ALM01'] },
  sanzhar: { password: 'right-2', roles: ['clerk', 'office:KZO01'] },
};

beforeEach(() => {
  store.clear();
  server = 'up';
  vi.stubGlobal('localStorage', storage);
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    await Promise.resolve();
    if (server === 'down') throw new TypeError('Failed to fetch');
    if (server === 'error') return new Response('{}', { status: 503 });
    if (url.endsWith('/_session')) {
      const { name, password } = JSON.parse(init?.body as string) as { name: string; password: string };
      const a = accounts[name];
      if (!a || a.password !== password) return new Response('{"error":"unauthorized"}', { status: 401 });
      return new Response(JSON.stringify({ ok: true, name, roles: a.roles }), { status: 200 });
    }
    return new Response(JSON.stringify({ full_name: 'Сейітова Айгерім' }), { status: 200 });
  });
});
afterEach(() => vi.unstubAllGlobals());

const input = (login: string, password: string) => ({ office: 'ALM01', server: 'http://127.0.0.1:1', login, password });

describe('authenticate', () => {
  it('online: the server decides; the desk keeps a verifier and a snapshot, never the password', async () => {
    const r = await authenticate(input('Aigerim ', 'right-1'));
    expect(r).toEqual({
      ok: true,
      user: { login: 'aigerim', fullName: 'Сейітова Айгерім', roles: ['clerk'], mode: 'online' },
      wrappingKey: expect.anything() as unknown,
    });
    const kept = store.get(KNOWN_USERS_KEY) ?? '';
    expect(kept).toContain('PBKDF2-SHA-256');
    expect(kept).not.toContain('right-1');
    expect(await authenticate(input('sanzhar', 'right-2'))).toEqual({ ok: false, failure: { code: 'wrongOffice' } });
  });

  it('offline: known people sign in with the verifier; the same message for a wrong password; lockout; the server lifts it', async () => {
    await authenticate(input('aigerim', 'right-1'));
    server = 'down';
    expect(await authenticate(input('aigerim', 'right-1'))).toMatchObject({ ok: true, user: { mode: 'offline' } });
    expect(await authenticate(input('bolat', 'x'))).toEqual({ ok: false, failure: { code: 'offlineUnknown' } });
    for (let i = 4; i >= 1; i--)
      expect(await authenticate(input('aigerim', 'wrong'))).toEqual({
        ok: false,
        failure: { code: 'wrongCredentials', attemptsLeft: i },
      });
    const locked = await authenticate(input('aigerim', 'wrong'));
    expect(locked).toEqual({ ok: false, failure: { code: 'locked', secondsLeft: 900 } });
    // Locked: the right password offline does not help, a server error is the offline path too.
    expect(await authenticate(input('aigerim', 'right-1'))).toMatchObject({ ok: false, failure: { code: 'locked' } });
    server = 'error';
    expect(await authenticate(input('aigerim', 'right-1'))).toMatchObject({ ok: false, failure: { code: 'locked' } });
    // A wrong password online while locked keeps the lock; the right one lifts it.
    server = 'up';
    expect(await authenticate(input('aigerim', 'wrong'))).toMatchObject({ ok: false, failure: { code: 'locked' } });
    expect(await authenticate(input('aigerim', 'right-1'))).toMatchObject({ ok: true, user: { mode: 'online' } });
    expect(store.get(LOCKOUT_KEY)).toBe('{}');
  });

  it('the lock expires with time, and a wrong password online counts like one offline', async () => {
    let now = new Date('2026-11-23T10:00:00Z');
    const clock = (): Date => now;
    for (let i = 0; i < 5; i++) await authenticate(input('aigerim', 'wrong'), clock);
    server = 'down';
    await authenticate(input('aigerim', 'right-1'), clock).then((r) => expect(r.ok).toBe(false));
    now = new Date(now.getTime() + 15 * 60_000);
    // Never signed in online on this desk: the lock has expired, but it is unknown offline.
    expect(await authenticate(input('aigerim', 'right-1'), clock)).toEqual({
      ok: false,
      failure: { code: 'offlineUnknown' },
    });
  });

  it("offline: someone the office's staff directory here says was deactivated is refused, and forgotten on this desk", async () => {
    await authenticate(input('aigerim', 'right-1'));
    server = 'down';
    const entry = (active: boolean) => ({
      _id: 'staff:aigerim',
      type: 'staff' as const,
      v: 1 as const,
      office: 'ALM01',
      login: 'aigerim',
      fullName: 'Сейітова Айгерім',
      roles: ['clerk' as const],
      active,
      updatedAt: '2026-12-02T05:00:00.000Z',
    });
    const clock = (): Date => new Date();
    // Still active in the directory (or no entry yet): the kept verifier counts.
    expect(await authenticate(input('aigerim', 'right-1'), clock, () => Promise.resolve(entry(true)))).toMatchObject({
      ok: true,
      user: { mode: 'offline' },
    });
    expect(await authenticate(input('aigerim', 'right-1'), clock, () => Promise.resolve(null))).toMatchObject({
      ok: true,
    });
    // Deactivated: refused, and the verifier is gone from this desk.
    expect(await authenticate(input('aigerim', 'right-1'), clock, () => Promise.resolve(entry(false)))).toEqual({
      ok: false,
      failure: { code: 'deactivated' },
    });
    expect(store.get(KNOWN_USERS_KEY) ?? '').not.toContain('aigerim');
    expect(await authenticate(input('aigerim', 'right-1'), clock, () => Promise.resolve(entry(true)))).toEqual({
      ok: false,
      failure: { code: 'offlineUnknown' },
    });
  });
});
