import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { officeDbName } from '@shared/couch';
import type { DataKeyRequest, DataKeyResult, KenseBridge } from '@shared/ipc/contract';
import { deskKeysFromRaw, newDeskSecret, type DeskKeys } from '../seal/deskKeys';
import { openJson, sealJson } from '../seal/envelope';
import { PouchDB } from '../store/pouch';
import { checkSealKey, sealKeyMatches } from '../seal/sealedDb';
import { basicAuth } from '../remote/serverAuth';
import { signOut } from '../../state/credentials';
import { useDeskKeys } from '../../state/deskKeys';
import { authenticate } from '../../features/auth/authenticate';
import { ESCROW_PREFIX, escrowDoc, keep, legacyEscrowDocId, unlockDesk, type UnlockInput } from './deskUnlock';
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

const officeUrl = `${central.url}/${officeDbName(OFFICE)}`;

/** The escrow documents the server holds for a desk (as its admin sees them). */
async function escrows(desk: string): Promise<{ _id: string; _rev: string; secret: string; by: string }[]> {
  const range = `startkey=${encodeURIComponent(JSON.stringify(`${ESCROW_PREFIX}${desk}:`))}&endkey=${encodeURIComponent(JSON.stringify(`${ESCROW_PREFIX}${desk}:\ufff0`))}`;
  const r = await fetch(`${officeUrl}/_all_docs?include_docs=true&${range}`, { headers: { authorization: admin } });
  return ((await r.json()) as { rows: { doc: { _id: string; _rev: string; secret: string; by: string } }[] }).rows.map(
    (row) => row.doc,
  );
}

async function signInAndUnlock(
  login: string,
  password: string,
  desk: string,
  server: string | null = central.url,
  sealCheck?: UnlockInput['sealCheck'],
): Promise<Awaited<ReturnType<typeof unlockDesk>>> {
  const auth = await authenticate({ office: OFFICE, server, login, password });
  if (!auth.ok) throw new Error(`sign-in failed: ${auth.failure.code}`);
  return unlockDesk(
    { office: OFFICE, desk, server, login, password, mode: auth.user.mode, wrappingKey: auth.wrappingKey, sealCheck },
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
    const [escrow] = await escrows(desk);
    expect(escrow?.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(escrow?.by).toBe(aliya);
    const secret = escrow?.secret ?? '-';
    const stored = localStorage.getItem(KNOWN_USERS_KEY) ?? '';
    expect(stored).not.toContain(secret);
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
    // Aliya's desk secret was made here while the server could not take it: never escrowed.
    const auth = await authenticate({ office: OFFICE, server: central.url, login: aliya, password: pa });
    if (!auth.ok) throw new Error('sign-in failed');
    const made = newDeskSecret();
    const a1 = await deskKeysFromRaw(made);
    await keep({ office: OFFICE, desk, login: aliya, wrappingKey: auth.wrappingKey }, made);
    expect(await escrows(desk)).toEqual([]);

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
    const url = `${officeUrl}/${encodeURIComponent((await escrows(desk))[0]?._id ?? '')}`;
    const mine = await fetch(url, { headers: { authorization: basicAuth(aliya, pa) } });
    expect(mine.status).toBe(200);
    const theirs = await fetch(url, { headers: { authorization: basicAuth(other, po) } });
    expect([401, 403]).toContain(theirs.status);
    const anonymous = await fetch(url);
    expect([401, 403]).toContain(anonymous.status);
  });

  it('a colleague cannot overwrite the escrow; another secret added for the desk neither stops it unlocking nor goes unreported (finding 9)', async () => {
    const desk = `T${rnd().toUpperCase()}`;
    const [aliya, bolat, mallory] = [`aliya${rnd()}`, `bolat${rnd()}`, `mallory${rnd()}`];
    const [pa, pb, pm] = await Promise.all([makeUser(aliya), makeUser(bolat), makeUser(mallory)]);
    // The desk's local replica and its key check, as the first sign-in leaves them.
    const replica = new PouchDB(`escrow_${rnd()}`, { adapter: 'indexeddb' });
    const sealCheck = (keys: DeskKeys): ReturnType<typeof sealKeyMatches> => sealKeyMatches(replica, keys);
    try {
      const a1 = keysOf(await signInAndUnlock(aliya, pa, desk, central.url, sealCheck));
      expect(await checkSealKey(replica, a1)).toBe('ok');
      const [genuine] = await escrows(desk);
      const asMallory = { authorization: basicAuth(mallory, pm), 'content-type': 'application/json' };

      // Overwrite in place, delete, or a new branch under the same id with another secret: refused.
      const other = escrowDoc(OFFICE, desk, newDeskSecret(), mallory, '2000-01-01T00:00:00.000Z');
      const id = encodeURIComponent(genuine?._id ?? '');
      const overwrite = await fetch(`${officeUrl}/${id}`, {
        method: 'PUT',
        headers: asMallory,
        body: JSON.stringify({ ...other, _id: genuine?._id, _rev: genuine?._rev }),
      });
      expect(overwrite.status).toBe(403);
      const branch = await fetch(`${officeUrl}/_bulk_docs`, {
        method: 'POST',
        headers: asMallory,
        body: JSON.stringify({
          new_edits: false,
          docs: [{ ...other, _id: genuine?._id, _rev: `1-${'f'.repeat(32)}` }],
        }),
      });
      expect(JSON.stringify(await branch.json())).toContain('forbidden');
      const del = await fetch(`${officeUrl}/${id}?rev=${genuine?._rev ?? ''}`, {
        method: 'DELETE',
        headers: asMallory,
      });
      expect(del.status).toBe(403);
      expect((await escrows(desk)).map((d) => d.secret)).toEqual([genuine?.secret]);

      // What a colleague can do: add another escrow for the desk (dated earlier, to be taken first),
      // and overwrite the old, unvalidated `_local` escrow.
      expect(
        (
          await fetch(`${officeUrl}/${encodeURIComponent(other._id)}`, {
            method: 'PUT',
            headers: asMallory,
            body: JSON.stringify(other),
          })
        ).status,
      ).toBe(201);
      const legacy = await fetch(`${officeUrl}/${legacyEscrowDocId(desk)}`, {
        method: 'PUT',
        headers: asMallory,
        body: JSON.stringify({ secret: String(other['secret']) }),
      });
      expect(legacy.ok).toBe(true);

      // Bolat, new to this desk, still gets the desk's own secret (the one that opens its data), and
      // hears that something else is there; so does Aliya, who holds her own copy.
      const b1 = await signInAndUnlock(bolat, pb, desk, central.url, sealCheck);
      expect(b1.ok && b1.warning).toBe('deskKey.escrowForeign');
      expect(await sameSecret(a1, keysOf(b1))).toBe(true);
      const a2 = await signInAndUnlock(aliya, pa, desk, central.url, sealCheck);
      expect(a2.ok && a2.warning).toBe('deskKey.escrowForeign');
      // Were every escrow foreign, a newcomer is refused with a reason, never handed a wrong key.
      const stranger = `carol${rnd()}`;
      const pc = await makeUser(stranger);
      const refused = await signInAndUnlock(stranger, pc, desk, central.url, () => Promise.resolve('mismatch'));
      expect(refused).toEqual({ ok: false, code: 'deskKey.escrowMismatch' });
    } finally {
      await replica.destroy();
    }
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
