/**
 * Provisions a CouchDB-protocol server for Kense: the catalogue database, one database per office,
 * their `_security` objects and design documents. Idempotent; uses only the plain CouchDB 3 HTTP
 * API, so it runs unchanged against Apache CouchDB 3 and against the development stand-in.
 *
 *   npm run provision -- --url https://couch.example:6984 --user admin --password … --offices ALM01,KZO01
 */
import {
  CATALOG_DB,
  catalogDesignDocument,
  HUB_ROLE,
  catalogSecurity,
  officeDbName,
  officeDesignDocument,
  officeSecurity,
  USERS_DB,
  usersDesignDocument,
  usersSecurity,
  type DesignDocument,
  type SecurityObject,
  type ValidationRules,
} from '../shared/couch';

export interface ProvisionOptions {
  url: string;
  user: string;
  password: string;
  offices: string[];
  rules: ValidationRules;
  version: string;
  log?: (line: string) => void;
}

class CouchError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body}`);
  }
}

function client(opts: ProvisionOptions): (method: string, path: string, body?: unknown) => Promise<Response> {
  const base = opts.url.replace(/\/+$/, '');
  const auth = 'Basic ' + Buffer.from(`${opts.user}:${opts.password}`).toString('base64');
  return (method, path, body) =>
    fetch(`${base}/${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

export async function provision(opts: ProvisionOptions): Promise<void> {
  const log = opts.log ?? ((l: string) => console.warn(l));
  const req = client(opts);

  const ensureDb = async (db: string): Promise<void> => {
    const r = await req('PUT', encodeURIComponent(db));
    if (r.status === 201 || r.status === 202) log(`created ${db}`);
    else if (r.status === 412) log(`${db} exists`);
    else throw new CouchError(r.status, await r.text(), `create ${db}`);
  };
  const putSecurity = async (db: string, sec: SecurityObject): Promise<void> => {
    let r = await req('PUT', `${encodeURIComponent(db)}/_security`, sec);
    if (r.status === 403 && db === USERS_DB) {
      // CouchDB 3 refuses to edit `_users`' _security unless [couchdb] users_db_security_editable
      // is true; set it (server admin only; on a cluster, set it on every node) and try again.
      const c = await req('PUT', '_node/_local/_config/couchdb/users_db_security_editable', 'true');
      if (c.ok) log('set [couchdb] users_db_security_editable = true');
      r = await req('PUT', `${encodeURIComponent(db)}/_security`, sec);
    }
    if (!r.ok) throw new CouchError(r.status, await r.text(), `_security of ${db}`);
  };
  const putDesign = async (db: string, doc: DesignDocument): Promise<void> => {
    const path = `${encodeURIComponent(db)}/${doc._id}`;
    const current = await req('GET', path);
    let rev: string | undefined;
    if (current.ok) {
      const existing = (await current.json()) as DesignDocument & { _rev: string };
      if (existing.validate_doc_update === doc.validate_doc_update && existing.kense_version === doc.kense_version)
        return;
      rev = existing._rev;
    }
    const r = await req('PUT', path, rev ? { ...doc, _rev: rev } : doc);
    if (!r.ok) throw new CouchError(r.status, await r.text(), `design document of ${db}`);
    log(`design document of ${db} ${rev ? 'updated' : 'created'}`);
  };

  // Staff accounts: office admins manage their office's users, confined by the validator.
  await ensureDb(USERS_DB);
  await putSecurity(USERS_DB, usersSecurity());
  await putDesign(USERS_DB, usersDesignDocument([...new Set([opts.user, 'admin'])], opts.version));
  await ensureDb(CATALOG_DB);
  await putSecurity(CATALOG_DB, catalogSecurity());
  await putDesign(CATALOG_DB, catalogDesignDocument(opts.version));
  for (const office of opts.offices) {
    const db = officeDbName(office);
    await ensureDb(db);
    await putSecurity(db, officeSecurity(office));
    await putDesign(db, officeDesignDocument(opts.rules, opts.version));
  }
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
  const req = client({ ...opts, offices: [], rules: { kinds: {} }, version: '' });
  const id = `org.couchdb.user:${staff.login}`;
  const path = `_users/${encodeURIComponent(id)}`;
  const roles = Array.isArray(staff.role) ? staff.role : [staff.role];
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
      roles: [...roles, `office:${staff.office}`],
      password: staff.password,
      ...(fullName ? { full_name: fullName } : {}),
    };
    const r = await req('PUT', path, doc);
    if (r.ok) return;
    if (r.status !== 409 || attempt >= 5) throw new CouchError(r.status, await r.text(), `user ${staff.login}`);
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
  const local = to.local ?? { url: opts.url, user: opts.user, password: opts.password };
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
  const req = client({ ...opts, rules: { kinds: {} }, version: '' });
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
