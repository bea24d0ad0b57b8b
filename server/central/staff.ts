/**
 * Staff administration as the central service does it: who may do what is decided by the same
 * function CouchDB runs as `_users`' validator (shared/couch/validateUserDoc.ts), called here as a
 * plain function on the document the change would write; the service then writes it as the server
 * admin. An office admin therefore can do through the service exactly what the validator lets an
 * office admin do, and nothing a direct `_users` write could not have done — without being an
 * admin of `_users`, so without reading anyone's password hash.
 */
import { randomInt } from 'node:crypto';
import { LOGIN_PATTERN, officesOf } from '../../shared/auth';
import { GRANTABLE_ROLES, HUB_ROLE, validateUserDoc, type UserDocPolicy } from '../../shared/couch';
import type {
  CreateStaff,
  HubStaff,
  ResetPassword,
  StaffAccount,
  StaffChange,
  StaffList,
  UpdateStaff,
} from '../../shared/staff';
import {
  accountView,
  asHeld,
  asUserDoc,
  deactivated,
  heldRoles,
  hubVerifier,
  isDeactivated,
  isHubAccount,
  officesOfUser,
  reactivated,
  userId,
  withGrantableRoles,
  type UserDoc,
} from './accounts';
import type { Caller, CouchRequest } from './couch';
import type { DirectoryKeeper } from './directory';

/** A refusal with its HTTP status and translatable code (SERVICE_ERRORS, or a validator's `users.*`). */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'ServiceError';
  }
}

/** Letters and digits nobody mistakes for each other when reading them out or copying them by hand. */
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function temporaryPassword(length = 12): string {
  let s = '';
  for (let i = 0; i < length; i++) s += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return s;
}

export interface StaffService {
  list: (caller: Caller, office?: string) => Promise<StaffList>;
  create: (caller: Caller, body: CreateStaff, office?: string) => Promise<StaffChange>;
  update: (caller: Caller, login: string, body: UpdateStaff) => Promise<StaffChange>;
  setActive: (caller: Caller, login: string, active: boolean) => Promise<StaffChange>;
  resetPassword: (caller: Caller, login: string, body: ResetPassword) => Promise<StaffChange>;
  hubStaff: (caller: Caller) => Promise<HubStaff>;
}

export function staffService(
  couch: CouchRequest,
  o: { directory: DirectoryKeeper; reserved: string[]; now?: () => Date },
): StaffService {
  const now = o.now ?? (() => new Date());
  const policy: UserDocPolicy = { grantable: [...GRANTABLE_ROLES], reserved: [...new Set(o.reserved)] };

  /** What the validator says of this write by this caller; throws the refusal as a ServiceError. */
  const check = (caller: Caller, next: UserDoc, prev: UserDoc | null): void => {
    try {
      validateUserDoc(next, prev, { db: '_users', name: caller.name, roles: caller.roles }, null, policy);
    } catch (e) {
      const forbidden = (e as { forbidden?: unknown } | null)?.forbidden;
      if (typeof forbidden === 'string') throw new ServiceError(403, forbidden);
      throw e;
    }
  };
  const allowed = (caller: Caller, next: UserDoc, prev: UserDoc | null): boolean => {
    try {
      check(caller, next, prev);
      return true;
    } catch (e) {
      if (e instanceof ServiceError) return false;
      throw e;
    }
  };

  /** The offices this caller administers; only office admins come further. */
  const adminOffices = (caller: Caller): string[] => {
    const offices = officesOf(caller.roles);
    if (!caller.roles.includes('office_admin') || offices.length === 0) throw new ServiceError(403, 'forbidden');
    return offices;
  };
  const officeOf = (caller: Caller, requested: string | undefined): string => {
    const offices = adminOffices(caller);
    if (requested) {
      if (!offices.includes(requested)) throw new ServiceError(403, 'users.otherOffice');
      return requested;
    }
    if (offices.length > 1) throw new ServiceError(400, 'badRequest', 'which office: ?office=CODE');
    return offices[0] as string;
  };

  /** May this caller change this account at all (their own account and other admins are not theirs)? */
  const manageable = (caller: Caller, doc: UserDoc): boolean => {
    if (doc.name === caller.name || isHubAccount(doc)) return false;
    const held = asHeld(doc);
    return allowed(caller, held, held);
  };

  const read = async (login: string): Promise<UserDoc | null> => {
    if (!LOGIN_PATTERN.test(login)) throw new ServiceError(404, 'notFound');
    const r = await couch('GET', `_users/${encodeURIComponent(userId(login))}`);
    if (r.status === 404) return null;
    if (!r.ok) throw new ServiceError(502, 'couchUnavailable', `GET user: HTTP ${r.status}`);
    return asUserDoc(r.body);
  };
  /** A user of one of this admin's offices, or 404 (another office's staff is not even confirmed to exist). */
  const readManaged = async (caller: Caller, login: string): Promise<UserDoc> => {
    const offices = adminOffices(caller);
    const doc = await read(login);
    if (!doc || !officesOfUser(doc).some((x) => offices.includes(x))) throw new ServiceError(404, 'notFound');
    return doc;
  };

  const write = async (doc: UserDoc, before: UserDoc | null): Promise<UserDoc> => {
    const r = await couch<{ rev?: string; reason?: string }>('PUT', `_users/${encodeURIComponent(doc._id)}`, doc);
    if (r.status === 409) throw new ServiceError(409, 'conflict');
    if (r.status === 403) throw new ServiceError(403, r.body.reason ?? 'forbidden');
    if (!r.ok) throw new ServiceError(502, 'couchUnavailable', `PUT user: HTTP ${r.status}`);
    // Read back as CouchDB stored it (the password hashed, never echoed).
    const stored = (await read(doc.name)) ?? doc;
    await o.directory.writeFor(stored, before ? officesOfUser(before) : []);
    return stored;
  };

  const changed = (caller: Caller, doc: UserDoc, temporary?: string): StaffChange => ({
    account: accountView(doc, manageable(caller, doc)),
    ...(temporary ? { temporaryPassword: temporary } : {}),
  });

  return {
    list: async (caller, requested) => {
      const office = officeOf(caller, requested);
      const role = `office:${office}`;
      const r = await couch<{ docs?: unknown[] }>('POST', '_users/_find', {
        selector: {
          type: 'user',
          $or: [{ roles: { $elemMatch: { $eq: role } } }, { 'kense_deactivated.roles': { $elemMatch: { $eq: role } } }],
        },
        limit: 100_000,
      });
      if (!r.ok) throw new ServiceError(502, 'couchUnavailable', `_users/_find: HTTP ${r.status}`);
      const staff: StaffAccount[] = (r.body.docs ?? [])
        .map(asUserDoc)
        .filter((d): d is UserDoc => d !== null && officesOfUser(d).includes(office))
        .filter((d) => !heldRoles(d).some((x) => x.startsWith('_')))
        .map((d) => accountView(d, manageable(caller, d)))
        .sort((a, b) => a.login.localeCompare(b.login));
      return { office, staff };
    },

    create: async (caller, body, requested) => {
      const office = officeOf(caller, requested);
      const existing = await read(body.login);
      if (existing) throw new ServiceError(409, 'exists');
      const password = body.password ?? temporaryPassword();
      const doc: UserDoc = {
        _id: userId(body.login),
        name: body.login,
        type: 'user',
        roles: [...GRANTABLE_ROLES.filter((r) => body.roles.includes(r)), `office:${office}`],
        full_name: body.fullName.trim(),
        password,
      };
      check(caller, doc, null);
      const stored = await write(doc, null);
      return changed(caller, stored, body.password ? undefined : password);
    },

    update: async (caller, login, body) => {
      const doc = await readManaged(caller, login);
      if (isDeactivated(doc)) throw new ServiceError(409, 'inactive');
      let next: UserDoc = body.roles ? withGrantableRoles(doc, body.roles) : doc;
      if (body.fullName !== undefined) next = { ...next, full_name: body.fullName.trim() };
      check(caller, next, doc);
      return changed(caller, await write(next, doc));
    },

    setActive: async (caller, login, active) => {
      const doc = await readManaged(caller, login);
      if (doc.name === caller.name) throw new ServiceError(403, 'users.ownRoles');
      const held = asHeld(doc);
      // The validator judges the account as the admin would find it active: theirs, grantable roles only.
      check(caller, held, held);
      if (active === !isDeactivated(doc)) return changed(caller, doc);
      const next = active
        ? reactivated(doc)
        : deactivated(doc, { at: now().toISOString(), by: caller.name, randomPassword: temporaryPassword(32) });
      return changed(caller, await write(next, doc));
    },

    resetPassword: async (caller, login, body) => {
      const doc = await readManaged(caller, login);
      if (isDeactivated(doc)) throw new ServiceError(409, 'inactive');
      const password = body.password ?? temporaryPassword();
      const next: UserDoc = { ...doc, password };
      check(caller, next, doc);
      const stored = await write(next, doc);
      return changed(caller, stored, body.password ? undefined : password);
    },

    hubStaff: async (caller) => {
      const offices = officesOf(caller.roles);
      if (!caller.roles.includes(HUB_ROLE) || offices.length !== 1) throw new ServiceError(403, 'forbidden');
      const office = offices[0] as string;
      const r = await couch<{ docs?: unknown[] }>('POST', '_users/_find', {
        selector: { type: 'user', roles: { $elemMatch: { $eq: `office:${office}` } } },
        limit: 100_000,
      });
      if (!r.ok) throw new ServiceError(502, 'couchUnavailable', `_users/_find: HTTP ${r.status}`);
      const staff: HubStaff['staff'] = [];
      const unverifiable: string[] = [];
      for (const raw of r.body.docs ?? []) {
        const doc = asUserDoc(raw);
        if (!doc) continue;
        const v = hubVerifier(doc, office);
        if (v === 'unverifiable') unverifiable.push(doc.name);
        else if (v) staff.push(v);
      }
      return { office, staff: staff.sort((a, b) => a.name.localeCompare(b.name)), unverifiable };
    },
  };
}
