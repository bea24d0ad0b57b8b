/**
 * Provisions a CouchDB-protocol server for Kense: the catalogue database, one database per office,
 * their `_security` objects and design documents. Idempotent; uses only the plain CouchDB 3 HTTP
 * API, so it runs unchanged against Apache CouchDB 3 and against the development stand-in.
 *
 *   npm run provision -- --url https://couch.example:6984 --user admin --password … --offices ALM01,KZO01
 *
 * Also: CORS for the app's origins (CouchDB's node configuration, on every node of a cluster), and
 * `_users` administered by the server admin alone (office admins go through the Kense central
 * service, server/central).
 */
import {
  CATALOG_DB,
  catalogDesignDocument,
  HUB_ROLE,
  catalogSecurity,
  officeDbName,
  officeDesignDocument,
  officeReportsDesignDocument,
  officeSecurity,
  reportsDbName,
  reportsDesignDocument,
  reportsRole,
  reportsSecurity,
  USERS_DB,
  usersDesignDocument,
  usersSecurity,
  hubUsersSecurity,
  corsSettings,
  deskViewsDocument,
  ORIGIN_PATTERN,
  type DesignDocument,
  type SecurityObject,
  type ValidationRules,
  type ViewsDesignDocument,
} from '../shared/couch';
import { canonicalJson } from '../shared/audit/chain';
import { officeDocId, type CatalogDoc } from '../shared/catalogue/docs';
import type { OfficeProfile } from '../shared/catalogue/office';
import {
  DIRECTORY_ROLES,
  staffDirectoryEntrySchema,
  staffDirectoryId,
  type StaffDirectoryEntry,
} from '../shared/staff';

export interface ProvisionOptions {
  /** The server's address; credentials in it (http://admin:secret@host:5984) are taken as the admin's. */
  url: string;
  user: string;
  password: string;
  offices: string[];
  rules: ValidationRules;
  version: string;
  log?: (line: string) => void;
  /**
   * The origins the app runs at, allowed to call the server with credentials (CORS): the desktop
   * app's `app://kense` and wherever browser mode is served. `['*']` allows any (development only).
   * Absent: CORS is left as it is.
   */
  corsOrigins?: string[];
  /**
   * Whose `_users` this is: central's (staff read and update their own document) or an office
   * hub's (a copy of the office's verifiers: only the hub's own admin reads it).
   */
  usersOf?: 'central' | 'hub';
  /**
   * What only central serves: the offices' reports databases and the office database's reports
   * view (for the reports writer beside central, server/central/reports). Default: made. An office
   * hub has none of them: no writer runs there, it makes its own databases only
   * (server/hub/app.ts), and it relays events, not design documents.
   */
  centralViews?: boolean;
}

/** The desktop app's origin (electron/main/appUrl.ts) and `npm run browser`'s default address. */
export const DEFAULT_APP_ORIGINS = ['app://kense', 'http://127.0.0.1:5741', 'http://localhost:5741'];

class CouchError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body}`);
  }
}

/**
 * The server's address without credentials, and the credentials: from the URL when it carries them
 * (fetch refuses a URL with credentials: "Request cannot be constructed from a URL that includes
 * credentials"), else the ones given. Percent-escapes in the URL's user and password are decoded.
 */
export function splitCredentials(
  url: string,
  given: { user: string; password: string },
): { url: string; user: string; password: string } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url: url.replace(/\/+$/, ''), ...given };
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), user: user || given.user, password: password || given.password };
}

type Client = (method: string, path: string, body?: unknown) => Promise<Response>;

function client(opts: Pick<ProvisionOptions, 'url' | 'user' | 'password'>): Client {
  const { url, user, password } = splitCredentials(opts.url, opts);
  const base = url;
  const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  return (method, path, body) =>
    fetch(`${base}/${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

export async function provision(opts: ProvisionOptions): Promise<void> {
  const log = opts.log ?? ((l: string) => console.warn(l));
  const origins = opts.corsOrigins;
  // Checked before anything is written.
  if (origins && (origins.length === 0 || !origins.every((o) => ORIGIN_PATTERN.test(o))))
    throw new Error(`CORS origins must be scheme://host[:port] each, or *: ${origins.join(', ')}`);
  const req = client(opts);

  const ensureDb = async (db: string): Promise<void> => {
    const r = await req('PUT', encodeURIComponent(db));
    if (r.status === 201 || r.status === 202) log(`created ${db}`);
    else if (r.status !== 412) throw new CouchError(r.status, await r.text(), `create ${db}`);
  };
  const putSecurity = async (db: string, sec: SecurityObject): Promise<void> => {
    const path = `${encodeURIComponent(db)}/_security`;
    const current = await req('GET', path);
    if (current.ok && sameSecurity((await current.json()) as Partial<SecurityObject>, sec)) return;
    let r = await req('PUT', path, sec);
    if (r.status === 403 && db === USERS_DB) {
      // CouchDB 3 refuses to edit `_users`' _security unless [couchdb] users_db_security_editable
      // is true; set it (server admin only; on every node of a cluster) and try again.
      for (const node of await nodeNames(req))
        await setNodeConfig(req, node, ['couchdb', 'users_db_security_editable', 'true'], log);
      r = await req('PUT', path, sec);
    }
    if (!r.ok) throw new CouchError(r.status, await r.text(), `_security of ${db}`);
    log(`_security of ${db} set`);
  };
  const putDesign = async (db: string, doc: DesignDocument | ViewsDesignDocument): Promise<void> => {
    const path = `${encodeURIComponent(db)}/${doc._id}`;
    const current = await req('GET', path);
    let rev: string | undefined;
    if (current.ok) {
      const { _rev, ...existing } = (await current.json()) as (DesignDocument | ViewsDesignDocument) & { _rev: string };
      // Unchanged: left as it is (a changed view would make CouchDB build its index again).
      // Compared with keys sorted: the server may hand a document's members back in another order.
      if (canonicalJson(existing) === canonicalJson(doc)) return;
      rev = _rev;
    }
    const r = await req('PUT', path, rev ? { ...doc, _rev: rev } : doc);
    if (!r.ok) throw new CouchError(r.status, await r.text(), `design document of ${db}`);
    log(`design document of ${db} ${rev ? 'updated' : 'created'}`);
  };

  // Staff accounts: the server admin alone administers them (office admins through the central
  // service); each staff member reads and updates their own document. The validator stays as a
  // second line (the development stand-in does not apply CouchDB's own `_auth` rules everywhere).
  await ensureDb(USERS_DB);
  await putSecurity(USERS_DB, opts.usersOf === 'hub' ? hubUsersSecurity() : usersSecurity());
  const admin = splitCredentials(opts.url, opts).user;
  await putDesign(USERS_DB, usersDesignDocument([...new Set([admin, 'admin'])], opts.version));
  if (opts.corsOrigins) await provisionCors(req, opts.corsOrigins, log);
  await ensureDb(CATALOG_DB);
  await putSecurity(CATALOG_DB, catalogSecurity());
  await putDesign(CATALOG_DB, catalogDesignDocument(opts.version));
  await seedCatalog(req, log);
  for (const office of opts.offices) {
    const db = officeDbName(office);
    await ensureDb(db);
    await putSecurity(db, officeSecurity(office));
    await putDesign(db, officeDesignDocument(opts.rules, opts.version));
    // The desks' view (a first download brings the open applications first: shared/couch/deskViews.ts),
    // on an office hub too: a new desk downloads from the hub when central is out of reach.
    await putDesign(db, deskViewsDocument(opts.version));
    if (opts.centralViews === false) continue;
    await putDesign(db, officeReportsDesignDocument(opts.version));
    // The office's reports database: report facts only, read by its supervisors (server/central/reports writes it).
    const reports = reportsDbName(office);
    await ensureDb(reports);
    await putSecurity(reports, reportsSecurity(office));
    await putDesign(reports, reportsDesignDocument(opts.version));
  }
}

/** The names of the server's nodes (`_membership`); `_local` where the server has no such list. */
async function nodeNames(req: Client): Promise<string[]> {
  const m = await req('GET', '_membership');
  const nodes = m.ok ? ((await m.json()) as { all_nodes?: unknown }).all_nodes : undefined;
  return Array.isArray(nodes) && nodes.length > 0 ? nodes.map(String) : ['_local'];
}

/** Sets one configuration value on one node, unless it is already so (then nothing is written). */
async function setNodeConfig(
  req: Client,
  node: string,
  [section, key, value]: [string, string, string],
  log: (l: string) => void,
): Promise<void> {
  // Node names (couchdb@host) go as they are: `@` is allowed in a path, and the dev server matches it literally.
  const path = `_node/${encodeURIComponent(node).replace(/%40/g, '@')}/_config/${section}/${key}`;
  const current = await req('GET', path);
  if (current.ok && ((await current.json()) as unknown) === value) return;
  const r = await req('PUT', path, value);
  if (!r.ok) throw new CouchError(r.status, await r.text(), `[${section}] ${key} on ${node}`);
  log(`set [${section}] ${key} = ${value} on ${node}`);
}

/**
 * Writes the CORS settings into the configuration of every node of the server: `_node/<name>/_config`
 * for each name `_membership` lists (on a cluster, `_node/_local` would reach only the node that
 * answers this request). Changes only what differs, so a second run writes nothing.
 */
async function provisionCors(req: Client, origins: string[], log: (l: string) => void): Promise<void> {
  for (const node of await nodeNames(req))
    for (const setting of corsSettings(origins)) await setNodeConfig(req, node, setting, log);
}

const sorted = (xs: unknown): string[] => (Array.isArray(xs) ? xs.map(String).sort() : []);
function sameSecurity(a: Partial<SecurityObject>, b: SecurityObject): boolean {
  return (['admins', 'members'] as const).every(
    (k) =>
      JSON.stringify(sorted(a[k]?.names)) === JSON.stringify(sorted(b[k].names)) &&
      JSON.stringify(sorted(a[k]?.roles)) === JSON.stringify(sorted(b[k].roles)),
  );
}

/**
 * The bundled service versions and calendar years, written into `catalog` where absent, with the
 * revisions every desk seeds itself with (`seedRevision`): a desk's first pull then finds nothing
 * to conflict with. Idempotent: a document already there — seeded before, or since published or
 * corrected by a catalogue administrator — is left as it is.
 */
async function seedCatalog(
  req: (method: string, path: string, body?: unknown) => Promise<Response>,
  log: (line: string) => void,
): Promise<void> {
  // Loaded when provisioning runs only: it brings the bundled JSON, which the e2e tests' loader
  // (importing this file for putStaffUser) cannot import.
  const { seedDocs, seedRevision } = await import('../shared/catalogue/seed');
  const docs = seedDocs();
  const r = await req('POST', `${CATALOG_DB}/_all_docs`, { keys: docs.map((d) => d._id) });
  if (!r.ok) throw new CouchError(r.status, await r.text(), `_all_docs of ${CATALOG_DB}`);
  const rows = ((await r.json()) as { rows: { key: string; error?: string }[] }).rows;
  const present = new Set(rows.filter((row) => !row.error).map((row) => row.key));
  const missing: CatalogDoc[] = docs.filter((d) => !present.has(d._id));
  if (missing.length === 0) return;
  const w = await req('POST', `${CATALOG_DB}/_bulk_docs`, {
    docs: missing.map((d) => ({ ...d, _rev: seedRevision(d) })),
    new_edits: false,
  });
  if (!w.ok) throw new CouchError(w.status, await w.text(), `seed of ${CATALOG_DB}`);
  // With new_edits false CouchDB reports only the documents it refused.
  const refused = ((await w.json()) as { id?: string; error?: string; reason?: string }[]).filter((x) => x.error);
  if (refused.length > 0)
    throw new Error(`seed of ${CATALOG_DB} refused: ${refused.map((x) => `${x.id}: ${x.reason}`).join('; ')}`);
  log(`seeded ${missing.length} catalogue documents`);
}

/**
 * An office's profile in the catalogue (catalogue administrators publish them; this is for the
 * development central and first set-ups): which providers it acts for, which channels it serves,
 * its hours. Replaces the current one.
 */
export async function putOfficeProfile(
  opts: Pick<ProvisionOptions, 'url' | 'user' | 'password'>,
  profile: OfficeProfile,
  by = opts.user,
): Promise<void> {
  const req = client(opts);
  const path = `${CATALOG_DB}/${encodeURIComponent(officeDocId(profile.code))}`;
  const current = await req('GET', path);
  const rev = current.ok ? ((await current.json()) as { _rev: string })._rev : undefined;
  const doc = {
    _id: officeDocId(profile.code),
    ...(rev ? { _rev: rev } : {}),
    type: 'office',
    data: profile,
    updated: { by, at: new Date().toISOString() },
  };
  const r = await req('PUT', path, doc);
  if (!r.ok) throw new CouchError(r.status, await r.text(), `office profile ${profile.code}`);
}

export interface StaffUser {
  login: string;
  password: string;
  /** One staff role, or several (the person picks the one they act in at sign-in). */
  role: string | string[];
  office: string;
  /** The full name printed on documents (a Kense field of the user document). */
  fullName?: string;
}

/**
 * Creates or updates a staff account in `_users`: the staff role and the office membership role
 * (`office:<CODE>`) that the office database's `_security` and validator check.
 */
export async function putStaffUser(
  opts: Pick<ProvisionOptions, 'url' | 'user' | 'password'>,
  staff: StaffUser,
): Promise<void> {
  const req = client(opts);
  const id = `org.couchdb.user:${staff.login}`;
  const path = `_users/${encodeURIComponent(id)}`;
  const roles = Array.isArray(staff.role) ? staff.role : [staff.role];
  // A supervisor is no member of any office database: `reports:<CODE>` for each office overseen
  // (OFFICE written as CODE+CODE…) opens only their reports databases.
  const supervisor = roles.includes('supervisor');
  const offices = staff.office.split('+').filter(Boolean);
  // Another writer (the dev central creating its staff at start) may race: retry on conflict.
  for (let attempt = 0; ; attempt++) {
    const current = await req('GET', path);
    const existing = current.ok ? ((await current.json()) as { _rev: string; full_name?: string }) : undefined;
    const fullName = staff.fullName ?? existing?.full_name;
    const doc = {
      _id: id,
      ...(existing ? { _rev: existing._rev } : {}),
      name: staff.login,
      type: 'user',
      roles: supervisor ? [...roles, ...offices.map(reportsRole)] : [...roles, `office:${staff.office}`],
      password: staff.password,
      ...(fullName ? { full_name: fullName } : {}),
    };
    const r = await req('PUT', path, doc);
    if (r.ok) return;
    if (r.status !== 409 || attempt >= 5) throw new CouchError(r.status, await r.text(), `user ${staff.login}`);
  }
}

/**
 * The person's entry in their office's staff directory (`staff:<login>` in the office database,
 * shared/staff), written as the server admin: how desks learn who may be given an application.
 * In production the Kense central service writes these when an office admin changes staff; the
 * development central and the tests write them here for the staff they create.
 */
export async function putStaffDirectoryEntry(
  opts: Pick<ProvisionOptions, 'url' | 'user' | 'password'>,
  staff: Pick<StaffUser, 'login' | 'role' | 'office' | 'fullName'> & { active?: boolean },
): Promise<void> {
  const req = client(opts);
  const roles = [staff.role]
    .flat()
    .filter((r): r is (typeof DIRECTORY_ROLES)[number] => (DIRECTORY_ROLES as readonly string[]).includes(r));
  const path = `${officeDbName(staff.office)}/${encodeURIComponent(staffDirectoryId(staff.login))}`;
  for (let attempt = 0; ; attempt++) {
    const current = await req('GET', path);
    const existing = current.ok ? ((await current.json()) as { _rev: string }) : undefined;
    const entry: StaffDirectoryEntry = {
      _id: staffDirectoryId(staff.login),
      ...(existing ? { _rev: existing._rev } : {}),
      type: 'staff',
      v: 1,
      office: staff.office,
      login: staff.login,
      fullName: staff.fullName ?? staff.login,
      roles,
      active: staff.active ?? true,
      updatedAt: new Date().toISOString(),
    };
    const r = await req('PUT', path, staffDirectoryEntrySchema.parse(entry));
    if (r.ok) return;
    if (r.status !== 409 || attempt >= 5) throw new CouchError(r.status, await r.text(), `staff entry ${staff.login}`);
  }
}

/**
 * An office hub's account on central (run against central, as its admin): the hub role and the
 * office's role, so that central accepts the colleagues' events the hub relays, of that office
 * only (shared/couch validateOfficeDoc), and the hub can read and write that office's database and
 * nothing else. This, not a server admin, is the account a hub replicates with.
 */
export function putHubUser(
  opts: Pick<ProvisionOptions, 'url' | 'user' | 'password'>,
  hub: { login: string; password: string; office: string },
): Promise<void> {
  return putStaffUser(opts, { login: hub.login, password: hub.password, role: HUB_ROLE, office: hub.office });
}

/** `login:password:role:OFFICE,…` as given on the command line. */
export function parseStaffList(text: string): StaffUser[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [login, password, role, office, fullName] = s.split(':');
      if (!login || !password || !role || !office)
        throw new Error(`staff entry "${s}": expected login:password:role[+role…]:OFFICE[:Full name]`);
      const roles = role.split('+');
      return { login, password, role: roles.length > 1 ? roles : role, office: office.toUpperCase(), fullName };
    });
}

/** An office server's continuous replication with central (Apache CouchDB's `_replicator`). */
export interface ReplicationToCentral {
  /** Central's address, e.g. https://couch.example.kz:6984 */
  central: string;
  /** The office's hub account on central (putHubUser; see docs/office-hub-couchdb.md). */
  user: string;
  password: string;
  /**
   * How this server reaches itself: CouchDB 3 replicates between URLs only (no local database
   * names), with credentials. Default: the provisioning URL and admin.
   */
  local?: { url: string; user: string; password: string };
}

/**
 * A replication endpoint with its credentials as an Authorization header: understood by every
 * CouchDB 3 release (3.2 added `auth.basic` as well) and by the dev server's replicator.
 */
export interface ReplicationEndpoint {
  url: string;
  headers: { Authorization: string };
}

const endpoint = (url: string, user: string, password: string): ReplicationEndpoint => ({
  url,
  headers: { Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') },
});

export interface ReplicatorDoc {
  _id: string;
  _rev?: string;
  source: ReplicationEndpoint;
  target: ReplicationEndpoint;
  continuous: true;
  create_target: false;
  /** Our own mark: what the job was written from (no password), to tell when it must be rewritten. */
  kense: { office: string; direction: 'push' | 'pull'; fingerprint: string };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('hex').slice(0, 16);
}

/**
 * The two continuous `_replicator` jobs of one office database: up to central and down from it.
 * CouchDB 3 only: endpoints are URLs (3.0 dropped local database names), credentials in headers.
 */
export async function replicatorDocs(
  office: string,
  opts: Pick<ProvisionOptions, 'url' | 'user' | 'password'>,
  to: ReplicationToCentral,
): Promise<ReplicatorDoc[]> {
  const db = officeDbName(office);
  const local = to.local ?? splitCredentials(opts.url, opts);
  const here = endpoint(`${local.url.replace(/\/+$/, '')}/${db}`, local.user, local.password);
  const there = endpoint(`${to.central.replace(/\/+$/, '')}/${db}`, to.user, to.password);
  const fingerprint = await sha256(JSON.stringify([here, there]));
  return [
    {
      _id: `kense-${db}-to-central`,
      source: here,
      target: there,
      continuous: true,
      create_target: false,
      kense: { office, direction: 'push', fingerprint },
    },
    {
      _id: `kense-${db}-from-central`,
      source: there,
      target: here,
      continuous: true,
      create_target: false,
      kense: { office, direction: 'pull', fingerprint },
    },
  ];
}

/**
 * Writes (or rewrites, when the addresses or credentials changed) the `_replicator` jobs that keep
 * each office database of an office server in step with central. Idempotent.
 */
export async function provisionReplication(
  opts: Pick<ProvisionOptions, 'url' | 'user' | 'password' | 'offices' | 'log'>,
  to: ReplicationToCentral,
): Promise<void> {
  const log = opts.log ?? ((l: string) => console.warn(l));
  const req = client(opts);
  // CouchDB 3 creates `_replicator` itself; a server set up without it gets it here.
  const created = await req('PUT', '_replicator');
  if (![201, 202, 412].includes(created.status))
    throw new CouchError(created.status, await created.text(), 'create _replicator');
  for (const office of opts.offices) {
    for (const doc of await replicatorDocs(office, opts, to)) {
      const path = `_replicator/${encodeURIComponent(doc._id)}`;
      const current = await req('GET', path);
      let rev: string | undefined;
      if (current.ok) {
        const existing = (await current.json()) as Partial<ReplicatorDoc> & { _rev: string };
        if (existing.kense?.fingerprint === doc.kense.fingerprint) continue;
        rev = existing._rev;
      }
      // A job is replaced, not edited: deleting the document cancels the running replication (every
      // CouchDB 3 release; replicators that record their state in the document refuse edits).
      if (rev) {
        const d = await req('DELETE', `${path}?rev=${encodeURIComponent(rev)}`);
        if (!d.ok) throw new CouchError(d.status, await d.text(), `_replicator/${doc._id}`);
      }
      const r = await req('PUT', path, doc);
      if (!r.ok) throw new CouchError(r.status, await r.text(), `_replicator/${doc._id}`);
      log(`replication ${doc._id} ${rev ? 'updated' : 'created'}`);
    }
  }
}
