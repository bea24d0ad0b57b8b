import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { officeDbName } from '@shared/couch';
import type { DataKeyRequest, DataKeyResult, KenseBridge } from '@shared/ipc/contract';
import type { DeskKeys } from '../../data/deskKeys';
import { openJson, sealJson } from '../../data/envelope';
import { basicAuth } from '../../data/serverAuth';
import { signOut } from '../../state/credentials';
import { useDeskKeys } from '../../state/deskKeys';
import { authenticate } from './authenticate';
import { escrowDocId, unlockDesk } from './deskUnlock';
import { KNOWN_USERS_KEY, knownUser } from './localAccounts';

/**
 * The desk key's life at sign-in, in Chromium (real WebCrypto, real localStorage) against the real
 * dev central on loopback: made and escrowed by the first online sign-in, obtained by a colleague
 * new to the desk, unlocked offline by people the desk knows, refused with a reason otherwise.
 */
const central = inject('central');
const admin = basicAuth(central.user, central.password);
const rnd = (): string => Math.random().toString(36).slice(2, 8);
const OFFICE = 'ALM01';

async function makeUser(login: string, office = OFFICE): Promise<string> {
  const password = `pw-${rnd()}`;
  const r = await fetch(`${central.url}/_users/org.couchdb.user:${login}`, {
    method: 'PUT',
    headers: { authorization: admin, 'content-type': 'application/json' },
    body: JSON.stringify({
      _id: `org.couchdb.user:${login}`,
      name: login,
      password,
      type: 'user',
      roles: ['clerk', `office:${office}`],
    }),
  });
  expect(r.ok).toBe(true);
  return password;
}

const escrowUrl = (desk: string): string =>
  `${central.url}/${officeDbName(OFFICE)}/${escrowDocId(desk).replace(':', '%3A')}`;

async function signInAndUnlock(
  login: string,
  password: string,
  desk: string,
  server: string | null = central.url,
): Promise<Awaited<ReturnType<typeof unlockDesk>>> {
  const auth = await authenticate({ office: OFFICE, server, login, password });
  if (!auth.ok) throw new Error(`sign-in failed: ${auth.failure.code}`);
  return unlockDesk(
    { office: OFFICE, desk, server, login, password, mode: auth.user.mode, wrappingKey: auth.wrappingKey },
    undefined,
  );
}

function keysOf(r: Awaited<ReturnType<typeof unlockDesk>>): DeskKeys {
  if (!r.ok) throw new Error(r.code);
  return r.keys;
}

/** Two unlocks gave the same desk secret: what one seals, the other opens. */
async function sameSecret(a: DeskKeys, b: DeskKeys): Promise<boolean> {
  try {
    return (await openJson(b.data, await sealJson(a.data, 'probe', 'ctx'), 'ctx')) === 'probe';
  } catch {
    return false;
  }
}

beforeEach(() => localStorage.clear());
afterEach(() => localStorage.clear());

describe('desk key at sign-in (browser mode, real central)', () => {
  it('first online sign-in makes and escrows the secret; a colleague new to the desk gets it; offline sign-ins of known people unlock', async () => {
    const desk = `T${rnd().toUpperCase()}`;
    const [aliya, bolat] = [`aliya${rnd()}`, `bolat${rnd()}`];
    const [pa, pb] = await Promise.all([makeUser(aliya), makeUser(bolat)]);

    const a1 = keysOf(await signInAndUnlock(aliya, pa, desk));
    // Escrowed on the server, in the office database, not in clear on this computer.
    const escrow = (await (await fetch(escrowUrl(desk), { headers: { authorization: admin } })).json()) as {
      secret: string;
    };
    expect(escrow.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = localStorage.getItem(KNOWN_USERS_KEY) ?? '';
    expect(stored).not.toContain(escrow.secret);
    expect(stored).not.toContain(pa);
    expect(knownUser(OFFICE, aliya)?.deskSecrets?.[desk]).toBeTruthy();

    // A second online sign-in keeps the same verifier (one slow pass) and the same secret.
    const salt = knownUser(OFFICE, aliya)?.verifier.salt;
    const a2 = keysOf(await signInAndUnlock(aliya, pa, desk));
    expect(knownUser(OFFICE, aliya)?.verifier.salt).toBe(salt);
    expect(await sameSecret(a1, a2)).toBe(true);

    // Bolat has never used this desk: the escrow gives him the same secret.
    const b1 = keysOf(await signInAndUnlock(bolat, pb, desk));
    expect(await sameSecret(a1, b1)).toBe(true);

    // Offline, both unlock from their own copies.
    expect(await sameSecret(a1, keysOf(await signInAndUnlock(aliya, pa, desk, null)))).toBe(true);
    expect(await sameSecret(a1, keysOf(await signInAndUnlock(bolat, pb, desk, null)))).toBe(true);

    // Known on this computer, but never on this other desk, and offline: a clear refusal.
    expect(await signInAndUnlock(aliya, pa, `${desk}X`, null)).toEqual({
      ok: false,
      code: 'deskKey.offlineFirstTime',
    });
  });

  it('never makes a second secret for a desk whose secret exists here but not on the server; escrows it at the next online sign-in', async () => {
    const desk = `T${rnd().toUpperCase()}`;
    const [aliya, bolat] = [`aliya${rnd()}`, `bolat${rnd()}`];
    const [pa, pb] = await Promise.all([makeUser(aliya), makeUser(bolat)]);
    const a1 = keysOf(await signInAndUnlock(aliya, pa, desk));
    // The escrow is lost on the server (or was never written).
    const doc = (await (await fetch(escrowUrl(desk), { headers: { authorization: admin } })).json()) as {
      _rev: string;
    };
    await fetch(`${escrowUrl(desk)}?rev=${doc._rev}`, { method: 'DELETE', headers: { authorization: admin } });

    expect(await signInAndUnlock(bolat, pb, desk)).toEqual({ ok: false, code: 'deskKey.elsewhere' });
    keysOf(await signInAndUnlock(aliya, pa, desk)); // re-escrows
    expect(await sameSecret(a1, keysOf(await signInAndUnlock(bolat, pb, desk)))).toBe(true);
  });

  it("the escrow is readable by the office's staff only", async () => {
    const desk = `T${rnd().toUpperCase()}`;
    const aliya = `aliya${rnd()}`;
    const other = `kzo${rnd()}`;
    const [pa, po] = await Promise.all([makeUser(aliya), makeUser(other, 'KZO01')]);
    keysOf(await signInAndUnlock(aliya, pa, desk));
    const mine = await fetch(escrowUrl(desk), { headers: { authorization: basicAuth(aliya, pa) } });
    expect(mine.status).toBe(200);
    const theirs = await fetch(escrowUrl(desk), { headers: { authorization: basicAuth(other, po) } });
    expect([401, 403]).toContain(theirs.status);
    const anonymous = await fetch(escrowUrl(desk));
    expect([401, 403]).toContain(anonymous.status);
  });

  it('Electron: the key comes from the OS key store, only through the bridge; its refusals are reasons', async () => {
    const raw = new Uint8Array(32).fill(7);
    const asked: DataKeyRequest[] = [];
    const bridge = (answer: DataKeyResult): KenseBridge =>
      ({
        getDataKey: (request: DataKeyRequest) => {
          asked.push(request);
          return Promise.resolve(answer);
        },
      }) as unknown as KenseBridge;
    const input = {
      office: OFFICE,
      desk: 'D01',
      server: null,
      login: 'x',
      password: 'y',
      mode: 'offline' as const,
      wrappingKey: null,
    };
    const ok = await unlockDesk(input, bridge({ ok: true, key: raw }));
    expect(ok.ok).toBe(true);
    expect(asked).toEqual([{ scope: 'ALM01/D01' }]);
    expect(raw.every((b) => b === 0)).toBe(true); // the raw bytes do not linger
    expect(await unlockDesk(input, bridge({ ok: false, code: 'key.osStoreUnavailable' }))).toEqual({
      ok: false,
      code: 'deskKey.osStoreUnavailable',
    });
  });

  it('sign-out drops the keys', async () => {
    const aliya = `aliya${rnd()}`;
    const pa = await makeUser(aliya);
    useDeskKeys.getState().set(keysOf(await signInAndUnlock(aliya, pa, `T${rnd().toUpperCase()}`)));
    expect(useDeskKeys.getState().keys).not.toBeNull();
    signOut();
    expect(useDeskKeys.getState().keys).toBeNull();
  });
});
