import { officeDbName } from '@shared/couch';
import type { KenseBridge } from '@shared/ipc/contract';
import { deskKeysFromRaw, newDeskSecret, type DeskKeys } from '../../data/deskKeys';
import { EnvelopeError, fromBase64Url, openBytes, sealBytes, toBase64Url } from '../../data/envelope';
import { base, basicAuth } from '../../data/serverAuth';
import type { DeskKeyFailure } from './authenticate';
import { deskSecretKnownHere, knownUser, rememberDeskSecret } from './localAccounts';

/**
 * Unlocks the desk's keys after a successful sign-in (docs/threat-model.md §5). One 32-byte desk
 * secret per office/desk is the root of the keys that seal the local replica.
 *
 * - Electron: the main process keeps it wrapped by the OS key store and hands it over only now,
 *   after the sign-in.
 * - Browser mode: never stored in clear. Each person who signed in here holds a copy sealed under
 *   the key their verifier's slow pass gives (localAccounts.ts `deskSecrets`). Someone new to the
 *   desk gets it from the escrow: a `_local` document in the office database on the server they
 *   just signed in against (`_local/kense-desk-key:<DESK>`; never replicated, readable only by the
 *   office's members, who can read every clear document there anyway). The first online sign-in
 *   on a new desk makes the secret and escrows it.
 *
 * The raw secret lives only inside this function; what leaves it are non-extractable keys.
 */
export interface UnlockInput {
  office: string;
  desk: string;
  server: string | null;
  login: string;
  password: string;
  mode: 'online' | 'offline';
  wrappingKey: CryptoKey | null;
}

export type UnlockResult = { ok: true; keys: DeskKeys } | { ok: false; code: DeskKeyFailure };

export const escrowDocId = (desk: string): string => `_local/kense-desk-key:${desk}`;
const wrapContext = (office: string, desk: string, login: string): string =>
  `kense/desk-secret/${office}/${desk}/${login}`;

type Escrow = { kind: 'found'; secret: Uint8Array } | { kind: 'absent' } | { kind: 'refused' };

function escrowUrl(server: string, office: string, desk: string): string {
  return `${base(server)}/${officeDbName(office)}/_local/${encodeURIComponent(`kense-desk-key:${desk}`)}`;
}

async function readEscrow(input: UnlockInput & { server: string }): Promise<Escrow> {
  try {
    const r = await fetch(escrowUrl(input.server, input.office, input.desk), {
      headers: { authorization: basicAuth(input.login, input.password), accept: 'application/json' },
      credentials: 'omit',
      signal: AbortSignal.timeout(8000),
    });
    if (r.status === 404) return { kind: 'absent' };
    if (!r.ok) return { kind: 'refused' };
    const doc = (await r.json()) as { secret?: unknown };
    if (typeof doc.secret !== 'string') return { kind: 'refused' };
    const secret = fromBase64Url(doc.secret);
    return secret.byteLength === 32 ? { kind: 'found', secret } : { kind: 'refused' };
  } catch {
    return { kind: 'refused' };
  }
}

/** Creates the escrow; false when one already exists (someone else made the secret first) or on failure. */
async function writeEscrow(input: UnlockInput & { server: string }, secret: Uint8Array): Promise<boolean> {
  try {
    const r = await fetch(escrowUrl(input.server, input.office, input.desk), {
      method: 'PUT',
      headers: {
        authorization: basicAuth(input.login, input.password),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        secret: toBase64Url(secret),
        desk: input.desk,
        by: input.login,
        at: new Date().toISOString(),
      }),
      credentials: 'omit',
      signal: AbortSignal.timeout(8000),
    });
    return r.ok;
  } catch {
    return false;
  }
}

/** Keeps this person's own copy of the desk secret, sealed under their wrapping key. */
export async function keep(
  input: Pick<UnlockInput, 'office' | 'desk' | 'login' | 'wrappingKey'>,
  secret: Uint8Array,
): Promise<void> {
  if (!input.wrappingKey) return;
  const sealed = await sealBytes(input.wrappingKey, secret, wrapContext(input.office, input.desk, input.login));
  rememberDeskSecret(input.office, input.login, input.desk, toBase64Url(sealed));
}

/**
 * This person's copies of desk secrets, moved from the wrapping key of their old verifier to the
 * new one's (after a password change: their next offline sign-in on each desk still unlocks it).
 * A copy that does not open is left out (the escrow gives it again at the next online sign-in).
 */
export async function rewrapDeskSecrets(
  office: string,
  login: string,
  copies: Record<string, string>,
  from: CryptoKey,
  to: CryptoKey,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [desk, wrapped] of Object.entries(copies)) {
    const context = wrapContext(office, desk, login);
    try {
      const secret = await openBytes(from, fromBase64Url(wrapped), context);
      out[desk] = toBase64Url(await sealBytes(to, secret, context));
      secret.fill(0);
    } catch (e) {
      if (!(e instanceof EnvelopeError)) throw e;
    }
  }
  return out;
}

async function fromOwnCopy(input: UnlockInput): Promise<Uint8Array | null> {
  const wrapped = knownUser(input.office, input.login)?.deskSecrets?.[input.desk];
  if (!wrapped || !input.wrappingKey) return null;
  try {
    return await openBytes(
      input.wrappingKey,
      fromBase64Url(wrapped),
      wrapContext(input.office, input.desk, input.login),
    );
  } catch (e) {
    if (e instanceof EnvelopeError) return null;
    throw e;
  }
}

async function browserSecret(input: UnlockInput): Promise<{ ok: true; secret: Uint8Array } | UnlockResult> {
  const own = await fromOwnCopy(input);
  const online = input.mode === 'online' && input.server ? { ...input, server: input.server } : null;
  if (own) {
    // Escrow a secret made while the server could not take it (or before escrow existed).
    if (online && (await readEscrow(online)).kind === 'absent') await writeEscrow(online, own);
    return { ok: true, secret: own };
  }
  if (!online) return { ok: false, code: 'deskKey.offlineFirstTime' };
  const escrow = await readEscrow(online);
  if (escrow.kind === 'found') {
    await keep(input, escrow.secret);
    return { ok: true, secret: escrow.secret };
  }
  if (escrow.kind === 'refused') return { ok: false, code: 'deskKey.serverRefused' };
  // No escrow: a new desk — unless a colleague here holds the secret (it was never escrowed):
  // making another would leave their data unreadable, so they must sign in online once first.
  if (deskSecretKnownHere(input.office, input.desk)) return { ok: false, code: 'deskKey.elsewhere' };
  const fresh = newDeskSecret();
  if (!(await writeEscrow(online, fresh))) {
    // Another desk session escrowed one a moment ago: that one is the desk's.
    const again = await readEscrow(online);
    if (again.kind !== 'found') return { ok: false, code: 'deskKey.serverRefused' };
    fresh.fill(0);
    await keep(input, again.secret);
    return { ok: true, secret: again.secret };
  }
  await keep(input, fresh);
  return { ok: true, secret: fresh };
}

export async function unlockDesk(input: UnlockInput, bridge: KenseBridge | undefined): Promise<UnlockResult> {
  if (bridge?.getDataKey) {
    const r = await bridge.getDataKey({ scope: `${input.office}/${input.desk}` });
    if (!r.ok) return { ok: false, code: `deskKey.${r.code.slice('key.'.length)}` as DeskKeyFailure };
    try {
      return { ok: true, keys: await deskKeysFromRaw(r.key) };
    } finally {
      r.key.fill(0);
    }
  }
  const got = await browserSecret(input);
  if (!('secret' in got)) return got;
  try {
    return { ok: true, keys: await deskKeysFromRaw(got.secret) };
  } finally {
    got.secret.fill(0);
  }
}
