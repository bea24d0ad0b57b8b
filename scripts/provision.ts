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
  catalogSecurity,
  officeDbName,
  officeDesignDocument,
  officeSecurity,
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
    const r = await req('PUT', `${encodeURIComponent(db)}/_security`, sec);
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
  role: string;
  office: string;
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
  const current = await req('GET', path);
  const rev = current.ok ? ((await current.json()) as { _rev: string })._rev : undefined;
  const doc = {
    _id: id,
    ...(rev ? { _rev: rev } : {}),
    name: staff.login,
    type: 'user',
    roles: [staff.role, `office:${staff.office}`],
    password: staff.password,
  };
  const r = await req('PUT', path, doc);
  if (!r.ok) throw new CouchError(r.status, await r.text(), `user ${staff.login}`);
}

/** `login:password:role:OFFICE,…` as given on the command line. */
export function parseStaffList(text: string): StaffUser[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [login, password, role, office] = s.split(':');
      if (!login || !password || !role || !office)
        throw new Error(`staff entry "${s}": expected login:password:role:OFFICE`);
      return { login, password, role, office: office.toUpperCase() };
    });
}
