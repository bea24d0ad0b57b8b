/**
 * Keeps each office's staff directory (shared/staff/directory.ts: `staff:<login>` documents in the
 * office database) in step with `_users`, writing as the server admin:
 *
 * - after every change the service makes (`writeFor`, before it answers the office admin);
 * - at start, a full resync of every office database against every account;
 * - and by following `_users`' changes feed, so that accounts changed elsewhere (provisioning, a
 *   server admin in Fauxton) reach the directory too.
 *
 * An entry is written only when it says something new, so the three never fight, and a second
 * resync writes nothing.
 */
import { officeDbName } from '../../shared/couch';
import type { StaffDirectoryEntry } from '../../shared/staff';
import { asUserDoc, directoryEntry, officesOfUser, sameEntry, USER_PREFIX, type UserDoc } from './accounts';
import { CouchUnavailable, type CouchRequest } from './couch';

/** A sequence as CouchDB 3 (a string) or the dev server (a number) gives it. */
const seqText = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);

const OFFICE_DB = /^office_([a-z0-9]{2,16})$/;
const PAGE = 500;

export interface DirectoryKeeper {
  /** Writes the entries of one account in its offices and in `previousOffices` (where it may have left). */
  writeFor: (doc: UserDoc, previousOffices?: string[]) => Promise<void>;
  /** Every office database against every account; resolves to the number of entries written. */
  resync: () => Promise<number>;
  /** Follows `_users`' changes from the given sequence until stopped (errors are retried). */
  follow: (since: string) => void;
  /** The update sequence of `_users` now (to follow from after a resync). */
  usersSeq: () => Promise<string>;
  stop: () => Promise<void>;
}

export function directoryKeeper(
  couch: CouchRequest,
  o: { log: (line: string) => void; now?: () => Date; retryMs?: number },
): DirectoryKeeper {
  const now = o.now ?? (() => new Date());
  // The offices each account was last seen in: a move to another office leaves an inactive entry behind.
  const seen = new Map<string, string[]>();
  let stopped = false;
  let following: Promise<void> | null = null;
  const abort = new AbortController();

  // One write at a time: the service's own change and the changes feed's echo of it meet here.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  const putEntry = async (office: string, entry: StaffDirectoryEntry): Promise<boolean> => {
    const path = `${officeDbName(office)}/${encodeURIComponent(entry._id)}`;
    // A conflict means another writer (a second service, a server admin) got there first: read again.
    for (let attempt = 0; ; attempt++) {
      const current = await couch('GET', path);
      if (current.status === 404 && (current.body as { reason?: unknown }).reason === 'no_db_file') return false;
      if (current.ok && sameEntry(entry, current.body)) return false;
      const rev = current.ok ? (current.body as { _rev?: string })._rev : undefined;
      const r = await couch('PUT', path, rev ? { ...entry, _rev: rev } : entry);
      if (r.status === 409 && attempt < 3) continue;
      if (r.status === 404) return false; // the office has no database (not provisioned): nothing to keep
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return true;
    }
  };

  const writeFor = (doc: UserDoc, previousOffices: string[] = []): Promise<void> =>
    serial(async () => {
      const login = doc.name;
      const offices = new Set([...officesOfUser(doc), ...previousOffices, ...(seen.get(login) ?? [])]);
      const at = now().toISOString();
      for (const office of offices) {
        const entry = directoryEntry(doc, login, office, at);
        if (entry) await putEntry(office, entry);
      }
      seen.set(login, doc._deleted ? [] : officesOfUser(doc));
    });

  const allUsers = async (): Promise<UserDoc[]> => {
    const users: UserDoc[] = [];
    let startkey = JSON.stringify(USER_PREFIX);
    for (;;) {
      const q = `include_docs=true&limit=${PAGE + 1}&startkey=${encodeURIComponent(startkey)}&endkey=${encodeURIComponent(JSON.stringify(`${USER_PREFIX}\ufff0`))}`;
      const r = await couch<{ rows?: { id: string; doc?: unknown }[] }>('GET', `_users/_all_docs?${q}`);
      if (!r.ok) throw new Error(`_users/_all_docs: HTTP ${r.status}`);
      const rows = r.body.rows ?? [];
      for (const row of rows.slice(0, PAGE)) {
        const doc = asUserDoc(row.doc);
        if (doc) users.push(doc);
      }
      const next = rows[PAGE];
      if (!next) return users;
      startkey = JSON.stringify(next.id);
    }
  };

  const officeEntries = async (office: string): Promise<Map<string, Record<string, unknown>>> => {
    const entries = new Map<string, Record<string, unknown>>();
    const q = `include_docs=true&startkey=${encodeURIComponent('"staff:"')}&endkey=${encodeURIComponent('"staff:\ufff0"')}`;
    const r = await couch<{ rows?: { id: string; doc?: Record<string, unknown> }[] }>(
      'GET',
      `${officeDbName(office)}/_all_docs?${q}`,
    );
    if (!r.ok) throw new Error(`${officeDbName(office)}/_all_docs: HTTP ${r.status}`);
    for (const row of r.body.rows ?? []) {
      const login = row.doc?.['login'];
      if (row.doc && typeof login === 'string') entries.set(login, row.doc);
    }
    return entries;
  };

  const resync = (): Promise<number> => serial(resyncNow);
  const resyncNow = async (): Promise<number> => {
    const dbs = await couch<unknown[]>('GET', '_all_dbs');
    if (!dbs.ok || !Array.isArray(dbs.body)) throw new Error(`_all_dbs: HTTP ${dbs.status}`);
    const offices = dbs.body
      .map((d) => OFFICE_DB.exec(String(d))?.[1])
      .filter((c): c is string => Boolean(c))
      .map((c) => c.toUpperCase());
    const users = await allUsers();
    const byLogin = new Map(users.map((u) => [u.name, u]));
    const at = now().toISOString();
    let written = 0;
    for (const office of offices) {
      const existing = await officeEntries(office);
      const logins = new Set([
        ...users.filter((u) => officesOfUser(u).includes(office)).map((u) => u.name),
        // Listed before but no longer of the office (or no longer at all): kept, as inactive.
        ...existing.keys(),
      ]);
      for (const login of logins) {
        if (!login) continue;
        const entry = directoryEntry(byLogin.get(login) ?? null, login, office, at);
        if (!entry) continue;
        const current = existing.get(login);
        if (current && sameEntry(entry, current)) continue;
        if (await putEntry(office, entry)) written++;
      }
    }
    seen.clear();
    for (const u of users) seen.set(u.name, officesOfUser(u));
    return written;
  };

  const usersSeq = async (): Promise<string> => {
    const r = await couch<{ update_seq?: unknown }>('GET', '_users');
    if (!r.ok) throw new Error(`_users: HTTP ${r.status}`);
    return seqText(r.body.update_seq) ?? 'now';
  };

  const follow = (from: string): void => {
    if (following) return;
    let since = from;
    following = (async () => {
      while (!stopped) {
        try {
          const r = await couch<{ results?: { id: string; doc?: unknown; deleted?: boolean }[]; last_seq?: unknown }>(
            'GET',
            `_users/_changes?feed=longpoll&include_docs=true&timeout=25000&since=${encodeURIComponent(since)}`,
            undefined,
            { signal: AbortSignal.any([abort.signal, AbortSignal.timeout(60_000)]) },
          );
          if (!r.ok) throw new Error(`_users/_changes: HTTP ${r.status}`);
          for (const change of r.body.results ?? []) {
            if (!change.id.startsWith(USER_PREFIX)) continue;
            const doc = asUserDoc(change.doc) ?? {
              _id: change.id,
              name: change.id.slice(USER_PREFIX.length),
              type: 'user',
              roles: [],
            };
            await writeFor(change.deleted ? { ...doc, _deleted: true } : doc);
          }
          since = seqText(r.body.last_seq) ?? since;
        } catch (e) {
          if (stopped) return;
          if (!(e instanceof CouchUnavailable)) o.log(`staff directory: ${(e as Error).message}`);
          await new Promise((res) => setTimeout(res, o.retryMs ?? 5000));
        }
      }
    })();
  };

  return {
    writeFor,
    resync,
    follow,
    usersSeq,
    stop: async () => {
      stopped = true;
      abort.abort();
      await following;
    },
  };
}
