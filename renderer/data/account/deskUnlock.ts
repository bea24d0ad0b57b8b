import { officeDbName } from '@shared/couch';
import { contentDigest } from '@shared/events';
import type { KenseBridge } from '@shared/ipc/contract';
import { deskKeysFromRaw, newDeskSecret, type DeskKeys } from '../seal/deskKeys';
import type { SealCheck } from '../seal/sealedDb';
import { EnvelopeError, fromBase64Url, openBytes, sealBytes, toBase64Url } from '../seal/envelope';
import { base, basicAuth } from '../remote/serverAuth';
import { deskSecretKnownHere, knownUser, rememberDeskSecret } from './localAccounts';

/**
 * Unlocks the desk's keys after a successful sign-in (docs/threat-model.md §5). One 32-byte desk
 * secret per office/desk is the root of the keys that seal the local replica.
 *
 * - Electron: the main process keeps it wrapped by the OS key store and hands it over only now,
 *   after the sign-in.
 * - Browser mode: never stored in clear. Each person who signed in here holds a copy sealed under
 *   the key their verifier's slow pass gives (localAccounts.ts `deskSecrets`). Someone new to the
 *   desk gets it from the escrow in the office database on the server they just signed in against:
 *   `deskkey:<DESK>:<digest>` documents, readable only by the office's members (who can read every
 *   clear document there anyway). The office validator takes one from a colleague of the office,
 *   once, with its content fixing its id (shared/couch validateDocUpdate), so nobody can overwrite
 *   or delete it, nor put another secret under its id even as a new branch (issue 12, finding 9).
 *   A colleague can still add another escrow for the desk: so every candidate is tried against
 *   the desk's own key check (`_local/kense-seal`, sealedDb.ts), the one that opens it wins, and
 *   foreign candidates are reported (`deskKey.escrowForeign`). The first online sign-in on a new
 *   desk makes the secret and escrows it. The escrow used to be `_local/kense-desk-key:<DESK>`,
 *   which CouchDB never validates: still read as a candidate, never written.
 *
 * The raw secret lives only inside this function; what leaves it are non-extractable keys.
 */

/** Why the desk's data could not be unlocked after a good password (deskUnlock.ts). */
export type DeskKeyFailure =
  | 'deskKey.offlineFirstTime'
  | 'deskKey.elsewhere'
  | 'deskKey.serverRefused'
  | 'deskKey.osStoreUnavailable'
  | 'deskKey.unreadable'
  | 'deskKey.writeFailed'
  /** Escrows for this desk exist on the server, and none opens its local data. */
  | 'deskKey.escrowMismatch';

export interface UnlockInput {
  office: string;
  desk: string;
  server: string | null;
  login: string;
  password: string;
  mode: 'online' | 'offline';
  wrappingKey: CryptoKey | null;
  /** Whether keys open this desk's local replica (its `_local/kense-seal`); absent on a new desk. */
  sealCheck?: (keys: DeskKeys) => Promise<SealCheck>;
}

/** Something the person should know although the desk unlocked. */
export type DeskKeyWarning = 'deskKey.escrowForeign';

export type UnlockResult = { ok: true; keys: DeskKeys; warning?: DeskKeyWarning } | { ok: false; code: DeskKeyFailure };

export const ESCROW_PREFIX = 'deskkey:';
/** The escrow's place before it moved to validated documents (read for migration, never written). */
export const legacyEscrowDocId = (desk: string): string => `_local/kense-desk-key:${desk}`;
const wrapContext = (office: string, desk: string, login: string): string =>
  `kense/desk-secret/${office}/${desk}/${login}`;

/** An escrow document: its id carries the digest of its content, which the server recomputes. */
export function escrowDoc(
  office: string,
  desk: string,
  secret: Uint8Array,
  by: string,
  at: string,
): Record<string, unknown> & { _id: string } {
  const content = { type: 'desk_key', v: 1, office, desk, secret: toBase64Url(secret), by, at };
  return { _id: `${ESCROW_PREFIX}${desk}:${contentDigest(content)}`, ...content };
}

interface Candidate {
  secret: Uint8Array;
  /** Escrow documents first, oldest first, then the legacy `_local` one: the order a new desk takes. */
  order: string;
}
type Listing = { kind: 'listed'; candidates: Candidate[] } | { kind: 'refused' };

const dbUrl = (server: string, office: string): string => `${base(server)}/${officeDbName(office)}`;
const authHeaders = (input: UnlockInput): Record<string, string> => ({
  authorization: basicAuth(input.login, input.password),
  accept: 'application/json',
});

const secretOf = (text: unknown): Uint8Array | null => {
  if (typeof text !== 'string') return null;
  try {
    const bytes = fromBase64Url(text);
    return bytes.byteLength === 32 ? bytes : null;
  } catch {
    return null;
  }
};

/** Every escrowed secret the server holds for this desk, each checked against its own id. */
async function readCandidates(input: UnlockInput & { server: string }): Promise<Listing> {
  try {
    const range = `startkey=${encodeURIComponent(JSON.stringify(`${ESCROW_PREFIX}${input.desk}:`))}&endkey=${encodeURIComponent(JSON.stringify(`${ESCROW_PREFIX}${input.desk}:\ufff0`))}`;
    const r = await fetch(`${dbUrl(input.server, input.office)}/_all_docs?include_docs=true&${range}`, {
      headers: authHeaders(input),
      credentials: 'omit',
      signal: AbortSignal.timeout(8000),
    });
    if (!r.ok) return { kind: 'refused' };
    const rows = ((await r.json()) as { rows?: { doc?: Record<string, unknown> }[] }).rows ?? [];
    const candidates: Candidate[] = [];
    for (const { doc } of rows) {
      if (!doc || doc['desk'] !== input.desk || doc['office'] !== input.office) continue;
      let digest: string | null = null;
      try {
        digest = contentDigest(doc);
      } catch {
        digest = null;
      }
      const secret = secretOf(doc['secret']);
      if (secret && doc['_id'] === `${ESCROW_PREFIX}${input.desk}:${digest}`)
        candidates.push({ secret, order: `0${String(doc['at'])}${String(doc['_id'])}` });
    }
    const legacy = await fetch(
      `${dbUrl(input.server, input.office)}/_local/${encodeURIComponent(`kense-desk-key:${input.desk}`)}`,
      { headers: authHeaders(input), credentials: 'omit', signal: AbortSignal.timeout(8000) },
    );
    if (legacy.ok) {
      const secret = secretOf(((await legacy.json()) as { secret?: unknown }).secret);
      if (secret) candidates.push({ secret, order: '1' });
    } else if (legacy.status !== 404) return { kind: 'refused' };
    return { kind: 'listed', candidates: candidates.sort((a, b) => (a.order < b.order ? -1 : 1)) };
  } catch {
    return { kind: 'refused' };
  }
}

/** Escrows a secret as a validated document; false on failure. */
async function writeEscrow(input: UnlockInput & { server: string }, secret: Uint8Array): Promise<boolean> {
  const doc = escrowDoc(input.office, input.desk, secret, input.login, new Date().toISOString());
  try {
    const r = await fetch(`${dbUrl(input.server, input.office)}/${encodeURIComponent(doc._id)}`, {
      method: 'PUT',
      headers: { ...authHeaders(input), 'content-type': 'application/json' },
      body: JSON.stringify(doc),
      credentials: 'omit',
      signal: AbortSignal.timeout(8000),
    });
    return r.ok;
  } catch {
    return false;
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The candidate that is this desk's: the one that opens its local key check, or (a new desk, no
 * check yet) the first in order. Null when the desk has a check and none opens it.
 */
async function chooseCandidate(input: UnlockInput, candidates: Candidate[]): Promise<Candidate | null> {
  if (!input.sealCheck) return candidates[0] ?? null;
  for (const c of candidates) {
    const verdict = await input.sealCheck(await deskKeysFromRaw(c.secret));
    if (verdict === 'absent') return candidates[0] ?? null;
    if (verdict === 'match') return c;
  }
  return null;
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

type SecretResult = { ok: true; secret: Uint8Array; warning?: DeskKeyWarning } | { ok: false; code: DeskKeyFailure };

/** Candidates other than the desk's own secret: an escrow someone else put there for this desk. */
const foreign = (candidates: Candidate[], secret: Uint8Array): DeskKeyWarning | undefined =>
  candidates.some((c) => !sameBytes(c.secret, secret)) ? 'deskKey.escrowForeign' : undefined;

async function browserSecret(input: UnlockInput): Promise<SecretResult> {
  const own = await fromOwnCopy(input);
  const online = input.mode === 'online' && input.server ? { ...input, server: input.server } : null;
  if (own) {
    if (!online) return { ok: true, secret: own };
    const listing = await readCandidates(online);
    if (listing.kind === 'refused') return { ok: true, secret: own };
    // Escrow a secret made while the server could not take it (or kept only in the old place).
    const validated = listing.candidates.filter((c) => c.order.startsWith('0'));
    if (!validated.some((c) => sameBytes(c.secret, own))) await writeEscrow(online, own);
    return { ok: true, secret: own, warning: foreign(listing.candidates, own) };
  }
  if (!online) return { ok: false, code: 'deskKey.offlineFirstTime' };
  const listing = await readCandidates(online);
  if (listing.kind === 'refused') return { ok: false, code: 'deskKey.serverRefused' };
  if (listing.candidates.length > 0) {
    const chosen = await chooseCandidate(input, listing.candidates);
    if (!chosen) return { ok: false, code: 'deskKey.escrowMismatch' };
    if (!chosen.order.startsWith('0')) await writeEscrow(online, chosen.secret);
    await keep(input, chosen.secret);
    return { ok: true, secret: chosen.secret, warning: foreign(listing.candidates, chosen.secret) };
  }
  // No escrow: a new desk — unless a colleague here holds the secret (it was never escrowed):
  // making another would leave their data unreadable, so they must sign in online once first.
  if (deskSecretKnownHere(input.office, input.desk)) return { ok: false, code: 'deskKey.elsewhere' };
  const fresh = newDeskSecret();
  if (!(await writeEscrow(online, fresh))) return { ok: false, code: 'deskKey.serverRefused' };
  // Another session on this desk may have escrowed one a moment ago: all take the first in order.
  const again = await readCandidates(online);
  const first = again.kind === 'listed' ? again.candidates[0] : undefined;
  const secret = first && !sameBytes(first.secret, fresh) ? first.secret : fresh;
  if (secret !== fresh) fresh.fill(0);
  await keep(input, secret);
  return { ok: true, secret };
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
  if (!got.ok) return got;
  try {
    const keys = await deskKeysFromRaw(got.secret);
    return got.warning ? { ok: true, keys, warning: got.warning } : { ok: true, keys };
  } finally {
    got.secret.fill(0);
  }
}
