import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { DeskKeys } from '../seal/deskKeys';
import { openJson, sealJson } from '../seal/envelope';
import { basicAuth } from '../remote/serverAuth';
import { authenticate } from '../../features/auth/authenticate';
import { changeOwnPassword } from './changePassword';
import { unlockDesk } from './deskUnlock';

/**
 * A staff member changes their own password (issue 12, finding 4), in Chromium against the real dev
 * central: the server takes the new one in their own `_users` document after the old one is
 * checked, and this desk's offline sign-in follows — the new password unlocks the desk's data
 * offline, the old one no longer signs in.
 */
const central = inject('central');
const admin = basicAuth(central.user, central.password);
const rnd = (): string => Math.random().toString(36).slice(2, 8);
const OFFICE = 'ALM01';

async function makeUser(login: string, password: string): Promise<void> {
  const r = await fetch(`${central.url}/_users/org.couchdb.user:${login}`, {
    method: 'PUT',
    headers: { authorization: admin, 'content-type': 'application/json' },
    body: JSON.stringify({ name: login, password, type: 'user', roles: ['clerk', `office:${OFFICE}`] }),
  });
  expect(r.ok).toBe(true);
}

const session = async (login: string, password: string): Promise<number> =>
  (
    await fetch(`${central.url}/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: login, password }),
    })
  ).status;

async function signInAndUnlock(login: string, password: string, desk: string, server: string | null) {
  const auth = await authenticate({ office: OFFICE, server, login, password });
  if (!auth.ok) return { auth, keys: null };
  const r = await unlockDesk(
    { office: OFFICE, desk, server, login, password, mode: auth.user.mode, wrappingKey: auth.wrappingKey },
    undefined,
  );
  return { auth, keys: r.ok ? r.keys : null };
}

async function sameSecret(a: DeskKeys, b: DeskKeys): Promise<boolean> {
  try {
    return (await openJson(b.data, await sealJson(a.data, 'probe', 'ctx'), 'ctx')) === 'probe';
  } catch {
    return false;
  }
}

beforeEach(() => localStorage.clear());
afterEach(() => localStorage.clear());

describe('changing one’s own password (browser mode, real central)', () => {
  it('checks the old password, sets the new one on the server, and moves the offline sign-in and desk key to it', async () => {
    const login = `saule${rnd()}`;
    const desk = `T${rnd().toUpperCase()}`;
    await makeUser(login, 'first-password');
    const online = await signInAndUnlock(login, 'first-password', desk, central.url);
    expect(online.keys).not.toBeNull();

    const base = { server: central.url, office: OFFICE, login };
    expect(await changeOwnPassword({ ...base, oldPassword: 'not-mine', newPassword: 'second-password' })).toEqual({
      ok: false,
      code: 'wrongPassword',
    });
    expect(await changeOwnPassword({ ...base, oldPassword: 'first-password', newPassword: 'short' })).toEqual({
      ok: false,
      code: 'tooShort',
    });
    expect(await session(login, 'first-password')).toBe(200);

    expect(await changeOwnPassword({ ...base, oldPassword: 'first-password', newPassword: 'second-password' })).toEqual(
      {
        ok: true,
      },
    );
    expect(await session(login, 'first-password')).toBe(401);
    expect(await session(login, 'second-password')).toBe(200);

    // Offline on this desk: the new password signs in and opens the same desk data; the old one does not.
    const offline = await signInAndUnlock(login, 'second-password', desk, null);
    expect(offline.auth).toMatchObject({ ok: true, user: { mode: 'offline' } });
    expect(offline.keys && online.keys && (await sameSecret(online.keys, offline.keys))).toBe(true);
    expect((await authenticate({ office: OFFICE, server: null, login, password: 'first-password' })).ok).toBe(false);
  });

  it('says the server cannot be reached, and changes nothing', async () => {
    const r = await changeOwnPassword({
      server: 'http://127.0.0.1:9',
      office: OFFICE,
      login: 'nobody',
      oldPassword: 'first-password',
      newPassword: 'second-password',
    });
    expect(r).toEqual({ ok: false, code: 'unreachable' });
  });
});
