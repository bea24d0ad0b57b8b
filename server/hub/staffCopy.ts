/**
 * Copies the office's staff accounts from central's `_users` to the hub's, so that desks sign in
 * and sync at the hub with the same login and password as at central.
 *
 * Why a copy and not a `_users` replication: a filtered replication cannot take anyone away (a
 * deleted account, or one whose office role was withdrawn, no longer passes the filter, so the hub
 * would keep the old account for ever), and it would carry whole documents. This copies, per
 * account, only what a sign-in needs (name, roles, the PBKDF2 verifier), and removes from the hub
 * every account it copied earlier that central no longer lists for the office.
 *
 * The reader account: CouchDB 3 shows other people's `_users` documents only to admins of `_users`;
 * the hub's own account on central deliberately is none (docs/office-hub-couchdb.md).
 */

export interface Login {
  user: string;
  password: string;
}

export interface StaffCopyOptions {
  office: string;
  /** Central's address and the account that may read its `_users`. */
  central: { url: string } & Login;
  /** The hub's address and its own admin. */
  hub: { url: string } & Login;
  fetch?: typeof fetch;
}

export interface StaffCopyResult {
  /** Accounts of the office on the hub after the copy. */
  copied: number;
  /** Written or removed by this run (0: nothing had changed). */
  changed: number;
  /** Staff whose verifier the hub cannot check (not PBKDF2 with SHA-1 or SHA-256). */
  skipped: string[];
}

/** Why a copy failed: central refused the reader (401/403), or could not be reached / answered oddly. */
export class StaffCopyError extends Error {
  constructor(
    readonly reason: 'refused' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

/** What is copied of an account: exactly what signing in at the hub needs, and a mark. */
interface CopiedUser {
  _id: string;
  name: string;
  type: 'user';
  roles: string[];
  password_scheme: 'pbkdf2';
  derived_key: string;
  salt: string;
  iterations: number;
  /** Set on every account this module wrote: only those are ever updated or removed. */
  kense_copied_from: 'central';
}

type Row = { id: string; doc?: Record<string, unknown> };

const HUB_ROLE = 'kense_hub';
const PAGE = 500;
const TIMEOUT_MS = 30_000;
/** Marks a copied SHA-256 verifier's salt for the hub's password check (hubServer.cjs). */
export const SHA256_SALT_PREFIX = 'kense-sha256:';

const basic = (l: Login): string => 'Basic ' + Buffer.from(`${l.user}:${l.password}`).toString('base64');

async function ask(f: typeof fetch, url: string, login: Login, side: string, body?: object): Promise<unknown> {
  let r: Response;
  try {
    r = await f(url, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: basic(login), 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
      // A hung central must not hold the copy (and every refresh joining it) for ever.
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new StaffCopyError('unreachable', `${side}: ${(e as Error).message}`);
  }
  if (r.status === 401 || r.status === 403)
    throw new StaffCopyError('refused', `${side} refused to read _users (${r.status})`);
  if (!r.ok) throw new StaffCopyError('unreachable', `${side}: _users answered ${r.status}`);
  return r.json();
}

/**
 * Whether central takes the reader for an admin of `_users`. Asked first because a reader that is
 * not may still get an answer from `_find`, only without the other accounts or their hashes (the
 * copy would then quietly find nobody).
 */
async function mayReadUsers(f: typeof fetch, base: string, login: Login): Promise<void> {
  const session = (await ask(f, `${base}/_session`, login, 'central')) as {
    userCtx?: { name?: unknown; roles?: unknown };
  };
  const name = session.userCtx?.name;
  const roles = Array.isArray(session.userCtx?.roles) ? (session.userCtx.roles as unknown[]) : [];
  // `_session` answers anyone: a wrong password shows as no name.
  if (name !== login.user) throw new StaffCopyError('refused', 'central did not accept the reader account');
  if (roles.includes('_admin')) return;
  const security = (await ask(f, `${base}/_users/_security`, login, 'central')) as {
    admins?: { names?: unknown; roles?: unknown };
  };
  const names = Array.isArray(security.admins?.names) ? security.admins.names : [];
  const adminRoles = Array.isArray(security.admins?.roles) ? security.admins.roles : [];
  if (!names.includes(login.user) && !roles.some((r) => adminRoles.includes(r)))
    throw new StaffCopyError('refused', 'the reader account is not an admin of _users on central');
}

/**
 * The office's staff on central, through `_find`: only the office's documents travel, and it is
 * what an admin of `_users` that is not a server admin (an office admin, made so by provisioning)
 * may call on CouchDB 3 and on the dev stand-in alike (the latter refuses such an admin `_all_docs`).
 */
async function officeStaff(f: typeof fetch, base: string, login: Login, office: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = (await ask(f, `${base}/_users/_find`, login, 'central', {
      selector: { type: 'user', roles: { $all: [`office:${office}`] } },
      limit: PAGE,
      skip,
    })) as { docs?: Record<string, unknown>[] };
    const docs = page.docs ?? [];
    rows.push(...docs.map((doc) => ({ id: String(doc['_id']), doc })));
    if (docs.length < PAGE) return rows;
  }
}

/** Every account on the hub (read as the hub's own server admin). */
async function hubUsers(f: typeof fetch, base: string, login: Login): Promise<Row[]> {
  const rows: Row[] = [];
  let startkey = JSON.stringify('org.couchdb.user:');
  for (;;) {
    const url = `${base}/_users/_all_docs?include_docs=true&limit=${PAGE + 1}&startkey=${encodeURIComponent(startkey)}&endkey=${encodeURIComponent(JSON.stringify('org.couchdb.user;'))}`;
    const page = ((await ask(f, url, login, 'hub')) as { rows?: Row[] }).rows ?? [];
    rows.push(...page.slice(0, PAGE));
    const next = page[PAGE];
    if (!next) return rows;
    startkey = JSON.stringify(next.id);
  }
}

/** The account as the hub should hold it, or why not (null: not the office's staff). */
function wanted(doc: Record<string, unknown>, office: string): CopiedUser | 'unverifiable' | null {
  const roles = doc['roles'];
  if (doc['type'] !== 'user' || typeof doc['name'] !== 'string' || !Array.isArray(roles)) return null;
  if (!roles.every((r): r is string => typeof r === 'string')) return null;
  // The office's staff only; never a hub account or anyone holding an admin role.
  if (!roles.includes(`office:${office}`) || roles.includes(HUB_ROLE) || roles.includes('_admin')) return null;
  const prf = doc['pbkdf2_prf'];
  const { derived_key: key, salt, iterations } = doc;
  if (
    doc['password_scheme'] !== 'pbkdf2' ||
    (prf !== undefined && prf !== 'sha' && prf !== 'sha256') ||
    typeof key !== 'string' ||
    typeof salt !== 'string' ||
    salt.startsWith(SHA256_SALT_PREFIX) ||
    typeof iterations !== 'number'
  )
    return 'unverifiable';
  return {
    _id: `org.couchdb.user:${doc['name']}`,
    name: doc['name'],
    type: 'user',
    roles,
    password_scheme: 'pbkdf2',
    derived_key: key,
    // The hub's password check (pouchdb-auth) knows only PBKDF2-SHA1 and sees only the salt: a
    // SHA-256 verifier (CouchDB 3.4's default) is marked there, and hubServer.cjs checks it so.
    salt: prf === 'sha256' ? `${SHA256_SALT_PREFIX}${salt}` : salt,
    iterations,
    kense_copied_from: 'central',
  };
}

const KEYS = ['name', 'roles', 'password_scheme', 'derived_key', 'salt', 'iterations', 'kense_copied_from'] as const;
const same = (a: CopiedUser, b: Record<string, unknown>): boolean =>
  KEYS.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k])) && b['password'] === undefined;

/** One copy: reads central, then writes the differences to the hub. Throws StaffCopyError. */
export async function copyStaffAccounts(opts: StaffCopyOptions): Promise<StaffCopyResult> {
  const f = opts.fetch ?? fetch;
  const centralBase = opts.central.url.replace(/\/+$/, '');
  const hubBase = opts.hub.url.replace(/\/+$/, '');
  const want = new Map<string, CopiedUser>();
  const skipped: string[] = [];
  await mayReadUsers(f, centralBase, opts.central);
  for (const row of await officeStaff(f, centralBase, opts.central, opts.office)) {
    if (!row.doc) continue;
    const w = wanted(row.doc, opts.office);
    if (w === 'unverifiable') skipped.push(String(row.doc['name']));
    else if (w) want.set(w._id, w);
  }
  const have = new Map<string, Record<string, unknown>>();
  for (const row of await hubUsers(f, hubBase, opts.hub)) if (row.doc) have.set(row.id, row.doc);

  const write = async (id: string, method: 'PUT' | 'DELETE', body?: object, rev?: string): Promise<void> => {
    const q = method === 'DELETE' && rev ? `?rev=${encodeURIComponent(rev)}` : '';
    const r = await f(`${hubBase}/_users/${encodeURIComponent(id)}${q}`, {
      method,
      headers: { authorization: basic(opts.hub), 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!r.ok) throw new StaffCopyError('unreachable', `hub: ${method} ${id} answered ${r.status}`);
  };

  let changed = 0;
  for (const [id, doc] of want) {
    const current = have.get(id);
    if (current && same(doc, current)) continue;
    // Central is where accounts are managed: its version replaces one made on the hub by hand.
    await write(id, 'PUT', current ? { ...doc, _rev: current['_rev'] } : doc);
    changed++;
  }
  for (const [id, doc] of have) {
    if (want.has(id) || doc['kense_copied_from'] !== 'central') continue;
    await write(id, 'DELETE', undefined, String(doc['_rev']));
    changed++;
  }
  return { copied: want.size, changed, skipped };
}
