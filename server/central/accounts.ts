/**
 * CouchDB `_users` documents as the central service reads and changes them: pure functions over
 * plain documents (no I/O), so that every rule here is unit-tested (accounts.test.ts).
 *
 * Deactivation (CouchDB 3 has no "disabled" flag on a user): the account's roles are emptied and its
 * password replaced by a random one the service forgets, so that neither a password nor an
 * AuthSession cookie signs the person in any more (CouchDB's cookie is keyed with the user's salt,
 * which the new password changes), and they are no member of any database. What they had is kept
 * in `kense_deactivated` (the roles and the old verifier), which only server admins can read, so
 * that re-enabling restores both: the person signs in with the password they had.
 */
import { officesOf, staffRolesOf } from '../../shared/auth';
import { HUB_ROLE, GRANTABLE_ROLES } from '../../shared/couch';
import {
  DIRECTORY_ROLES,
  staffDirectoryId,
  type HubVerifier,
  type StaffAccount,
  type StaffDirectoryEntry,
} from '../../shared/staff';

export const USER_PREFIX = 'org.couchdb.user:';
export const userId = (login: string): string => `${USER_PREFIX}${login}`;

/** The fields of a CouchDB password verifier (PBKDF2, or the legacy "simple" SHA-1). */
const VERIFIER_FIELDS = ['password_scheme', 'pbkdf2_prf', 'iterations', 'salt', 'derived_key', 'password_sha'] as const;
export type Verifier = Partial<Record<(typeof VERIFIER_FIELDS)[number], unknown>>;

export interface Deactivation {
  /** When, by the service's clock (ISO), and by which office admin. */
  at: string;
  by: string;
  /** The roles held before, given back on re-enabling. */
  roles: string[];
  /** The password verifier before, given back on re-enabling (null: there was none). */
  verifier: Verifier | null;
}

export interface UserDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  name: string;
  type: 'user';
  roles: string[];
  full_name?: string;
  /** Only on the way in: CouchDB hashes it and drops it. */
  password?: string;
  kense_deactivated?: Deactivation;
  [field: string]: unknown;
}

const strings = (xs: unknown): string[] =>
  Array.isArray(xs) ? xs.filter((x): x is string => typeof x === 'string') : [];

/** A `_users` document of a person or account (not a design document), checked loosely. */
export function asUserDoc(raw: unknown): UserDoc | null {
  if (!raw || typeof raw !== 'object') return null;
  const d = raw as Record<string, unknown>;
  if (typeof d['_id'] !== 'string' || !d['_id'].startsWith(USER_PREFIX)) return null;
  const name = typeof d['name'] === 'string' ? d['name'] : d['_id'].slice(USER_PREFIX.length);
  const marker = d['kense_deactivated'];
  const deactivation =
    marker && typeof marker === 'object'
      ? (() => {
          const m = marker as Record<string, unknown>;
          const verifier = m['verifier'] && typeof m['verifier'] === 'object' ? (m['verifier'] as Verifier) : null;
          return {
            at: typeof m['at'] === 'string' ? m['at'] : '',
            by: typeof m['by'] === 'string' ? m['by'] : '',
            roles: strings(m['roles']),
            verifier,
          };
        })()
      : undefined;
  return {
    ...d,
    _id: d['_id'],
    name,
    type: 'user',
    roles: strings(d['roles']),
    ...(deactivation ? { kense_deactivated: deactivation } : {}),
  };
}

export const isDeactivated = (doc: UserDoc): boolean => doc.kense_deactivated !== undefined;

/** The roles the account holds, or held before it was deactivated. */
export const heldRoles = (doc: UserDoc): string[] => doc.kense_deactivated?.roles ?? doc.roles;

/** The offices the account belongs to (or belonged to before it was deactivated). */
export const officesOfUser = (doc: UserDoc): string[] => officesOf(heldRoles(doc));

export const isHubAccount = (doc: UserDoc): boolean => heldRoles(doc).includes(HUB_ROLE);
const isServerAdminRole = (doc: UserDoc): boolean => heldRoles(doc).some((r) => r.startsWith('_'));

/** The document as it was before deactivation (what an office admin's rights are checked against). */
export function asHeld(doc: UserDoc): UserDoc {
  const { kense_deactivated: marker, ...rest } = doc;
  if (!marker) return doc;
  return { ...rest, roles: marker.roles };
}

function verifierOf(doc: UserDoc): Verifier | null {
  const v: Verifier = {};
  for (const f of VERIFIER_FIELDS) if (doc[f] !== undefined) v[f] = doc[f];
  return Object.keys(v).length > 0 ? v : null;
}

function withoutVerifier(doc: UserDoc): UserDoc {
  const out: UserDoc = { ...doc };
  for (const f of VERIFIER_FIELDS) delete out[f];
  delete out.password;
  return out;
}

/** The account deactivated: no roles, a password nobody knows, what it had kept for re-enabling. */
export function deactivated(doc: UserDoc, o: { at: string; by: string; randomPassword: string }): UserDoc {
  if (isDeactivated(doc)) return doc;
  return {
    ...withoutVerifier(doc),
    roles: [],
    password: o.randomPassword,
    kense_deactivated: { at: o.at, by: o.by, roles: doc.roles, verifier: verifierOf(doc) },
  };
}

/** The account as it was before deactivation: its roles and its password. */
export function reactivated(doc: UserDoc): UserDoc {
  const marker = doc.kense_deactivated;
  if (!marker) return doc;
  const { kense_deactivated: _gone, ...rest } = withoutVerifier(doc);
  return { ...rest, roles: marker.roles, ...(marker.verifier ?? {}) };
}

/** The grantable roles replaced by `roles`; any other role (and the office) kept as it is. */
export function withGrantableRoles(doc: UserDoc, roles: readonly string[]): UserDoc {
  const grantable = GRANTABLE_ROLES as readonly string[];
  const kept = doc.roles.filter((r) => !grantable.includes(r));
  return { ...doc, roles: [...GRANTABLE_ROLES.filter((r) => roles.includes(r)), ...kept] };
}

/** The account as an office admin sees it: never a password hash. */
export function accountView(doc: UserDoc, manageable: boolean): StaffAccount {
  return {
    login: doc.name,
    fullName: typeof doc.full_name === 'string' ? doc.full_name : '',
    roles: staffRolesOf(heldRoles(doc)),
    active: !isDeactivated(doc),
    kind: isHubAccount(doc) ? 'hub' : 'person',
    manageable,
  };
}

/**
 * The office's directory entry for this account (shared/staff/directory.ts), or null for accounts
 * that are no staff of the office's daily work: hub accounts and server admins. An account that
 * left the office (another office's role now) stays listed as inactive, so old events still name
 * the person.
 */
export function directoryEntry(
  doc: UserDoc | null,
  login: string,
  office: string,
  at: string,
): StaffDirectoryEntry | null {
  if (doc && (isHubAccount(doc) || isServerAdminRole(doc))) return null;
  const inOffice = doc !== null && !doc._deleted && officesOfUser(doc).includes(office);
  const roles = inOffice ? heldRoles(doc) : [];
  return {
    _id: staffDirectoryId(login),
    type: 'staff',
    v: 1,
    office,
    login,
    fullName: (doc && typeof doc.full_name === 'string' && doc.full_name.trim()) || login,
    roles: DIRECTORY_ROLES.filter((r) => roles.includes(r)),
    active: inOffice && !isDeactivated(doc),
    updatedAt: at,
  };
}

/** Two entries say the same (the time of writing aside). */
export function sameEntry(a: StaffDirectoryEntry, b: Record<string, unknown>): boolean {
  const keys = ['office', 'login', 'fullName', 'roles', 'active', 'type', 'v'] as const;
  return keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/**
 * What the office's hub needs to check this person's password as CouchDB does, or why not: null for
 * an account that is not the office's active staff (another office, deactivated, a hub account, a
 * server admin), `unverifiable` for a verifier other than PBKDF2.
 */
export function hubVerifier(doc: UserDoc, office: string): HubVerifier | 'unverifiable' | null {
  if (isDeactivated(doc) || isHubAccount(doc) || isServerAdminRole(doc)) return null;
  if (!officesOf(doc.roles).includes(office)) return null;
  const { password_scheme: scheme, pbkdf2_prf: prf, iterations, salt, derived_key: key } = doc;
  if (
    scheme !== 'pbkdf2' ||
    (prf !== undefined && typeof prf !== 'string') ||
    typeof iterations !== 'number' ||
    typeof salt !== 'string' ||
    typeof key !== 'string'
  )
    return 'unverifiable';
  return {
    name: doc.name,
    roles: doc.roles,
    password_scheme: 'pbkdf2',
    ...(prf !== undefined ? { pbkdf2_prf: prf } : {}),
    iterations,
    salt,
    derived_key: key,
  };
}
