/**
 * Copies the office's staff accounts from central to the hub's `_users`, so that desks sign in
 * and sync at the hub with the same login and password as at central.
 *
 * Where from: the Kense central service (server/central, `GET /v1/hub/staff`), asked as the office's
 * hub account (roles `kense_hub` + `office:<CODE>`), which answers that office's active staff and
 * their sign-in verifiers, nobody else's. The hub thus holds no office admin's password, and
 * nobody but the server admin can read `_users` on central (issue 12).
 *
 * Why a copy and not a `_users` replication: a filtered replication cannot take anyone away (a
 * deleted or deactivated account, or one whose office role was withdrawn, no longer passes the
 * filter, so the hub would keep the old account for ever), and it would carry whole documents.
 * This copies, per account, only what a sign-in needs (name, roles, the PBKDF2 verifier), and
 * removes from the hub every account it copied earlier that central no longer lists for the office.
 */
import { hubStaffSchema, type HubVerifier } from '../../shared/staff';
import { nextBackoff } from '../../shared/couch/backoff';

export interface Login {
  user: string;
  password: string;
}

export interface StaffCopyOptions {
  office: string;
  /** The central service's address, and the office's hub account (the one the hub replicates as). */
  service: { url: string } & Login;
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

/** Why a copy failed: the service refused the hub account (401/403), or could not be reached / answered oddly. */
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
/** Marks a copied SHA-256 verifier's salt for the hub's password check (verifiers.ts). */
export const SHA256_SALT_PREFIX = 'kense-sha256:';

const basic = (l: Login): string => 'Basic ' + Buffer.from(`${l.user}:${l.password}`).toString('base64');

async function ask(f: typeof fetch, url: string, login: Login, side: string): Promise<unknown> {
  let r: Response;
  try {
    r = await f(url, {
      headers: { authorization: basic(login), accept: 'application/json' },
      // A hung server must not hold the copy (and every refresh joining it) for ever.
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new StaffCopyError('unreachable', `${side}: ${(e as Error).message}`);
  }
  if (r.status === 401 || r.status === 403)
    throw new StaffCopyError('refused', `${side} refused the account ${login.user} (${r.status})`);
  if (!r.ok) throw new StaffCopyError('unreachable', `${side}: ${new URL(url).pathname} answered ${r.status}`);
  return r.json();
}

/** The office's staff and verifiers, as the central service gives them to the office's hub account. */
async function officeStaff(
  f: typeof fetch,
  opts: StaffCopyOptions,
): Promise<{ staff: HubVerifier[]; unverifiable: string[] }> {
  const base = opts.service.url.replace(/\/+$/, '');
  const parsed = hubStaffSchema.safeParse(await ask(f, `${base}/v1/hub/staff`, opts.service, 'the central service'));
  if (!parsed.success) throw new StaffCopyError('unreachable', 'the central service answered something else');
  // Only the office this hub serves, whatever the service says.
  if (parsed.data.office !== opts.office)
    throw new StaffCopyError('refused', `the hub account belongs to ${parsed.data.office}, not ${opts.office}`);
  return parsed.data;
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
function wanted(v: HubVerifier, office: string): CopiedUser | 'unverifiable' | null {
  // The office's staff only; never a hub account or anyone holding an admin role.
  if (!v.roles.includes(`office:${office}`) || v.roles.includes(HUB_ROLE) || v.roles.includes('_admin')) return null;
  const prf = v.pbkdf2_prf;
  if ((prf !== undefined && prf !== 'sha' && prf !== 'sha256') || v.salt.startsWith(SHA256_SALT_PREFIX))
    return 'unverifiable';
  return {
    _id: `org.couchdb.user:${v.name}`,
    name: v.name,
    type: 'user',
    roles: v.roles,
    password_scheme: 'pbkdf2',
    derived_key: v.derived_key,
    // The hub's password check (pouchdb-auth) knows only PBKDF2-SHA1 and sees only the salt: a
    // SHA-256 verifier (CouchDB 3.4's default) is marked there, and verifiers.ts checks it so.
    salt: prf === 'sha256' ? `${SHA256_SALT_PREFIX}${v.salt}` : v.salt,
    iterations: v.iterations,
    kense_copied_from: 'central',
  };
}

const KEYS = ['name', 'roles', 'password_scheme', 'derived_key', 'salt', 'iterations', 'kense_copied_from'] as const;
const same = (a: CopiedUser, b: Record<string, unknown>): boolean =>
  KEYS.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k])) && b['password'] === undefined;

/** One copy: asks the central service, then writes the differences to the hub. Throws StaffCopyError. */
export async function copyStaffAccounts(opts: StaffCopyOptions): Promise<StaffCopyResult> {
  const f = opts.fetch ?? fetch;
  const hubBase = opts.hub.url.replace(/\/+$/, '');
  const want = new Map<string, CopiedUser>();
  const { staff, unverifiable } = await officeStaff(f, opts);
  const skipped = [...unverifiable];
  for (const v of staff) {
    const w = wanted(v, opts.office);
    if (w === 'unverifiable') skipped.push(v.name);
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

/**
 * Runs the copy at start, then every `refreshMs`; after a failure, again with the hub's back-off
 * (1 s, 2 s, … at most `maxBackoffMs` and never later than the refresh): a hub started before
 * central's service answers lets its desks sign in as soon as it does, not a refresh later.
 * `copy` reports whether it succeeded; one runs at a time.
 */
export function keepStaffCopied(opts: { copy: () => Promise<boolean>; refreshMs: number; maxBackoffMs: number }): {
  first: Promise<void>;
  stop: () => Promise<void>;
} {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let backoff = 0;
  const run = (): Promise<void> =>
    (running = opts
      .copy()
      .catch(() => false)
      .then((ok) => {
        backoff = ok ? 0 : nextBackoff(backoff, Math.min(opts.maxBackoffMs, opts.refreshMs));
        if (stopped) return;
        timer = setTimeout(() => void run(), backoff || opts.refreshMs);
        timer.unref?.();
      }));
  const first = run();
  return {
    first,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
