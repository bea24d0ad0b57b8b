import { MIN_PASSWORD_LENGTH } from '@shared/staff';
import { base, basicAuth, checkWithServer } from '../remote/serverAuth';
import { rewrapDeskSecrets } from './deskUnlock';
import { knownUser, rememberUser } from './localAccounts';
import { checkPassword, makeVerifierWithKey } from './verifier';

/**
 * A staff member changes their own password (finding 4 of issue 12): on central, in their own
 * `_users` document (CouchDB lets a member update their own document, not its roles; the server
 * hashes the new password), after the old one is checked by `_session`. Then this desk's offline
 * verifier follows, with their copies of desk secrets moved to the new one, so that an offline
 * sign-in here takes the new password and still unlocks the desk.
 */
export type ChangeFailure =
  'wrongPassword' | 'tooShort' | 'same' | 'unreachable' | 'refused' | 'conflict' | 'notSetUp' | 'failed';

export type ChangeResult = { ok: true } | { ok: false; code: ChangeFailure };

const TIMEOUT_MS = 10_000;

export async function changeOwnPassword(input: {
  server: string | null;
  office: string | null;
  login: string;
  oldPassword: string;
  newPassword: string;
}): Promise<ChangeResult> {
  const { server, office, login, oldPassword, newPassword } = input;
  if (!server || !office) return { ok: false, code: 'notSetUp' };
  if (newPassword.length < MIN_PASSWORD_LENGTH) return { ok: false, code: 'tooShort' };
  if (newPassword === oldPassword) return { ok: false, code: 'same' };

  const checked = await checkWithServer(server, login, oldPassword);
  if (checked.kind === 'unreachable') return { ok: false, code: 'unreachable' };
  if (checked.kind !== 'accepted' || checked.name !== login) return { ok: false, code: 'wrongPassword' };

  const url = `${base(server)}/_users/${encodeURIComponent(`org.couchdb.user:${login}`)}`;
  const headers = {
    authorization: basicAuth(login, oldPassword),
    accept: 'application/json',
    'content-type': 'application/json',
  };
  try {
    const current = await fetch(url, { headers, credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!current.ok) return { ok: false, code: current.status >= 500 ? 'unreachable' : 'refused' };
    const doc = (await current.json()) as Record<string, unknown>;
    // Everything as it is (roles included: the server refuses any change to them), a new password.
    const put = await fetch(url, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ ...doc, password: newPassword }),
      credentials: 'omit',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (put.status === 409) return { ok: false, code: 'conflict' };
    if (!put.ok) return { ok: false, code: put.status >= 500 ? 'unreachable' : 'refused' };
  } catch {
    return { ok: false, code: 'unreachable' };
  }
  await rememberNewPassword(office, login, oldPassword, newPassword);
  return { ok: true };
}

/** This desk's verifier for the person, made anew from the new password; their desk secrets follow. */
export async function rememberNewPassword(
  office: string,
  login: string,
  oldPassword: string,
  newPassword: string,
  now: () => Date = () => new Date(),
): Promise<void> {
  const known = knownUser(office, login);
  if (!known) return;
  const old = await checkPassword(oldPassword, known.verifier);
  const fresh = await makeVerifierWithKey(newPassword);
  const copies =
    old.ok && old.wrappingKey && known.deskSecrets
      ? await rewrapDeskSecrets(office, login, known.deskSecrets, old.wrappingKey, fresh.wrappingKey)
      : {};
  rememberUser({ ...known, verifier: fresh.verifier, deskSecrets: copies, confirmedAt: now().toISOString() });
}
