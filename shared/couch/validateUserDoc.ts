/**
 * The extra `validate_doc_update` Kense installs in `_users` (next to CouchDB's own `_design/_auth`).
 * Office administrators are database admins of `_users` (its `_security`), which is what CouchDB 3
 * requires for anyone but a server admin to set roles; this function confines them:
 *
 * - a non-admin who is not an office admin may not change roles at all (CouchDB's `_auth` says the
 *   same; repeated so that the rule holds even where `_auth` differs, e.g. the dev stand-in);
 * - an office admin may create, edit or delete only users whose every `office:` role is one of
 *   their own offices, holding only the grantable staff roles (no `_` roles, no office_admin,
 *   catalog_admin or supervisor), never a reserved name (the server admins), never themselves
 *   with different roles.
 *
 * Plain ES5, no cross-realm `instanceof`, for the same reasons as validateDocUpdate.ts: CouchDB
 * evaluates its source text in a sandbox realm of its own.
 */
import type { UserCtx } from './validateDocUpdate';

export interface UserDocPolicy {
  /** Staff roles an office admin may grant. */
  grantable: string[];
  /** Names an office admin may never create or touch (the server admins). */
  reserved: string[];
}

export function validateUserDoc(
  newDoc: Record<string, unknown>,
  oldDoc: Record<string, unknown> | null,
  userCtx: UserCtx,
  secObj: unknown,
  policy: UserDocPolicy,
): void {
  /* eslint-disable no-var, @typescript-eslint/only-throw-error, @typescript-eslint/unbound-method */
  if (userCtx.roles.indexOf('_admin') !== -1) return;
  var id = String(newDoc['_id']);
  if (id.indexOf('_design/') === 0) throw { forbidden: 'users.designAdminOnly' };
  // Never `instanceof Array`: CouchDB hands the documents over from another realm (ARCHITECTURE §4).
  var toStr = Object.prototype.toString;
  var newRoles = toStr.call(newDoc['roles']) === '[object Array]' ? (newDoc['roles'] as unknown[]) : [];
  var oldRoles = oldDoc && toStr.call(oldDoc['roles']) === '[object Array]' ? (oldDoc['roles'] as unknown[]) : [];
  var sameRoles = newRoles.length === oldRoles.length;
  var i;
  for (i = 0; sameRoles && i < newRoles.length; i++) if (newRoles[i] !== oldRoles[i]) sameRoles = false;
  if (newDoc['_deleted'] === true) sameRoles = false;

  var myOffices: string[] = [];
  for (i = 0; i < userCtx.roles.length; i++) {
    var mine = String(userCtx.roles[i]);
    if (mine.indexOf('office:') === 0) myOffices.push(mine.substring(7));
  }
  var isOfficeAdmin = userCtx.roles.indexOf('office_admin') !== -1 && myOffices.length > 0;
  if (!isOfficeAdmin) {
    // Ordinary users may change their own password, never roles.
    if (!sameRoles) throw { forbidden: 'users.rolesAdminOnly' };
    return;
  }

  var name = newDoc['name'];
  if (oldDoc && oldDoc['name'] !== undefined) name = oldDoc['name'];
  if (typeof name !== 'string' || id !== 'org.couchdb.user:' + name) throw { forbidden: 'users.badId' };
  if (policy.reserved.indexOf(name) !== -1) throw { forbidden: 'users.reserved' };
  if (name === userCtx.name) {
    // An office admin may change their own password, not their own roles.
    if (!sameRoles) throw { forbidden: 'users.ownRoles' };
    return;
  }

  // The user as it was: must already be one of this admin's office staff, with grantable roles only.
  var lists = oldDoc && oldDoc['_deleted'] !== true ? [oldRoles, newRoles] : [newRoles];
  for (var l = 0; l < lists.length; l++) {
    var roles = lists[l] as unknown[];
    var offices = 0;
    for (i = 0; i < roles.length; i++) {
      var role = roles[i];
      if (typeof role !== 'string') throw { forbidden: 'users.badRole' };
      if (role.indexOf('office:') === 0) {
        if (myOffices.indexOf(role.substring(7)) === -1) throw { forbidden: 'users.otherOffice' };
        offices++;
      } else if (policy.grantable.indexOf(role) === -1) {
        throw { forbidden: role.charAt(0) === '_' ? 'users.systemRole' : 'users.roleNotGrantable' };
      }
    }
    // A user of no office at all is not this admin's to touch (nor to create).
    if (offices === 0 && !(l === lists.length - 1 && newDoc['_deleted'] === true))
      throw { forbidden: 'users.otherOffice' };
  }
  /* eslint-enable no-var, @typescript-eslint/only-throw-error, @typescript-eslint/unbound-method */
}
