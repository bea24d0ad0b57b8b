/**
 * The rules every write to an office database must pass. The same function runs in two places:
 * in the client before an event is appended, and inside CouchDB as the body of the design
 * document's `validate_doc_update` (its source text is embedded by `designDocument`).
 *
 * CouchDB 3 evaluates it in SpiderMonkey (1.8.5 up to 91) or QuickJS (3.4+), in a sandbox realm
 * of its own while the documents are parsed in another: so plain ES5 (`var`, `function`, no arrow
 * functions, optional chaining or template literals, no closures over imports), no `instanceof`
 * (an array from the other realm is no `instanceof Array` there: `Object.prototype.toString`
 * tells), nothing the QuickJS sandbox lacks (it has no typed arrays). Helpers come in through
 * `lib` (the wrapper inlines their source). tests/unit/validators.engines.test.ts evaluates the
 * deployed source directly, in a separate `node:vm` realm and inside QuickJS, and requires the
 * same verdicts.
 */

import { contentDigest } from '../events/contentDigest';

/** What CouchDB passes as `userCtx`. */
export interface UserCtx {
  db: string;
  name: string | null;
  roles: string[];
}

/** Which staff roles may record which event kinds (from the workflow), plus naming conventions. */
export interface ValidationRules {
  kinds: Record<string, string[]>;
}

/** Helpers the validator calls, inlined by source into the design document (shared/couch/design.ts). */
export interface ValidatorLib {
  contentDigest: (doc: object) => string;
}

/** Thrown the way CouchDB expects: `{ forbidden: reason }`; the reason is a translatable code. */
export interface Forbidden {
  forbidden: string;
}

export function validateOfficeDoc(
  newDoc: Record<string, unknown>,
  oldDoc: Record<string, unknown> | null,
  userCtx: UserCtx,
  secObj: unknown,
  rules: ValidationRules,
  lib: ValidatorLib,
): void {
  /* eslint-disable no-var, @typescript-eslint/only-throw-error, @typescript-eslint/unbound-method */
  // No inner functions: bundlers may wrap them in helpers (esbuild's __name) that CouchDB lacks.
  var toStr = Object.prototype.toString;
  var isAdmin = userCtx.roles.indexOf('_admin') !== -1;
  var isHub = userCtx.roles.indexOf('kense_hub') !== -1;
  var id = String(newDoc['_id']);
  var key;
  if (id.indexOf('_design/') === 0) {
    if (!isAdmin) throw { forbidden: 'doc.designAdminOnly' };
    return;
  }
  // The office this database belongs to: by its name where the server gives it (CouchDB's
  // userCtx.db) and by its _security object, which names the office role. (The development
  // stand-in passes neither on replicated writes; there the role checks below still hold.)
  var db = typeof userCtx.db === 'string' ? userCtx.db : null;
  var sec = secObj as { members?: { roles?: unknown } } | null;
  var memberRoles =
    sec && sec.members && toStr.call(sec.members.roles) === '[object Array]' ? (sec.members.roles as unknown[]) : null;
  var office = newDoc['office'];

  // The staff directory (shared/staff/directory.ts): written by the Kense central service as the
  // server admin, nobody else; mutable (a person's roles change), so no content digest.
  if (id.indexOf('staff:') === 0) {
    if (!isAdmin) throw { forbidden: 'staff.adminOnly' };
    if (newDoc['_deleted'] === true) return;
    var staffRoles = newDoc['roles'];
    if (
      newDoc['type'] !== 'staff' ||
      newDoc['v'] !== 1 ||
      typeof newDoc['login'] !== 'string' ||
      !/^[a-z0-9][a-z0-9._-]{1,63}$/.test(newDoc['login']) ||
      id !== 'staff:' + newDoc['login'] ||
      typeof newDoc['fullName'] !== 'string' ||
      newDoc['fullName'].length > 200 ||
      typeof newDoc['active'] !== 'boolean' ||
      typeof newDoc['updatedAt'] !== 'string' ||
      toStr.call(staffRoles) !== '[object Array]' ||
      (staffRoles as unknown[]).length > 4
    )
      throw { forbidden: 'staff.badEntry' };
    for (var r = 0; r < (staffRoles as unknown[]).length; r++) {
      var staffRole = (staffRoles as unknown[])[r];
      if (staffRole !== 'clerk' && staffRole !== 'head' && staffRole !== 'executor' && staffRole !== 'commission')
        throw { forbidden: 'staff.badEntry' };
    }
    for (key in newDoc) {
      if (key.charAt(0) === '_' || !Object.prototype.hasOwnProperty.call(newDoc, key)) continue;
      if (!/^(type|v|office|login|fullName|roles|active|updatedAt)$/.test(key)) throw { forbidden: 'staff.badEntry' };
    }
    if (typeof office !== 'string' || !/^[A-Z0-9]{2,16}$/.test(office)) throw { forbidden: 'staff.badEntry' };
    if (db !== null && db !== 'office_' + office.toLowerCase()) throw { forbidden: 'staff.wrongOffice' };
    if (memberRoles !== null && memberRoles.length > 0 && memberRoles.indexOf('office:' + office) === -1)
      throw { forbidden: 'staff.wrongOffice' };
    return;
  }

  if (newDoc['_deleted'] === true) {
    // Events are the record of what happened: nobody deletes them (purging is a separate, admin-only API).
    throw { forbidden: 'event.deleteForbidden' };
  }
  // Immutable. A revision on a new branch (new_edits: false) arrives with no oldDoc in CouchDB 3:
  // that is why the id carries the content's digest, checked below.
  if (oldDoc !== null && oldDoc !== undefined && oldDoc['_deleted'] !== true) throw { forbidden: 'event.immutable' };
  var idParts = id.split(':');
  var digestPart = idParts.length === 5 ? idParts[4] : null;
  var writer = newDoc['by'];
  var isEscrow = idParts[0] === 'deskkey' && newDoc['type'] === 'desk_key';
  if (!isEscrow) {
    if (newDoc['type'] !== 'event') throw { forbidden: 'doc.unknownType' };
    if (newDoc['v'] !== 1) throw { forbidden: 'event.unknownVersion' };
    if (typeof newDoc['kind'] !== 'string' || !Object.prototype.hasOwnProperty.call(rules.kinds, newDoc['kind']))
      throw { forbidden: 'event.unknownKind' };
  }
  if (typeof office !== 'string' || !/^[A-Z0-9]{2,16}$/.test(office)) throw { forbidden: 'event.badOffice' };
  if (db !== null && db !== 'office_' + office.toLowerCase()) throw { forbidden: 'event.wrongOffice' };
  if (memberRoles !== null && memberRoles.length > 0 && memberRoles.indexOf('office:' + office) === -1)
    throw { forbidden: 'event.wrongOffice' };

  if (isEscrow) {
    // A desk's key escrow (renderer/data/account/deskUnlock.ts): written once by a colleague of
    // the office, never changed; its id carries its content's digest like an event's.
    if (
      newDoc['v'] !== 1 ||
      idParts.length !== 3 ||
      typeof newDoc['desk'] !== 'string' ||
      idParts[1] !== newDoc['desk'] ||
      !/^[A-Z0-9]{2,16}$/.test(newDoc['desk']) ||
      typeof newDoc['secret'] !== 'string' ||
      !/^[A-Za-z0-9_-]{43}$/.test(newDoc['secret']) ||
      typeof writer !== 'string' ||
      typeof newDoc['at'] !== 'string'
    )
      throw { forbidden: 'deskKey.badEntry' };
    for (key in newDoc) {
      if (key.charAt(0) === '_' || !Object.prototype.hasOwnProperty.call(newDoc, key)) continue;
      if (!/^(type|v|office|desk|secret|by|at)$/.test(key)) throw { forbidden: 'deskKey.badEntry' };
    }
    if (!isAdmin && userCtx.roles.indexOf('office:' + office) === -1) throw { forbidden: 'event.notOfficeStaff' };
    if (!isAdmin && !isHub && writer !== userCtx.name) throw { forbidden: 'event.actorMismatch' };
    if (idParts[2] !== lib.contentDigest(newDoc)) throw { forbidden: 'doc.contentMismatch' };
    return;
  }

  var kind = newDoc['kind'];
  var appId = newDoc['appId'];
  var hlc = newDoc['hlc'];
  var device = newDoc['device'];
  if (typeof appId !== 'string' || typeof hlc !== 'string' || typeof device !== 'string')
    throw { forbidden: 'event.badId' };
  // evt:<appId>:<hlc>:<device>:<digest> (shared/events/ids.ts). The legacy form without the digest
  // names no content, so a revision under it could carry anything: only a server admin (restoring,
  // replicating) writes it now.
  if (
    (idParts.length !== 4 && idParts.length !== 5) ||
    idParts[0] !== 'evt' ||
    idParts[1] !== appId ||
    idParts[2] !== hlc ||
    idParts[3] !== device
  )
    throw { forbidden: 'event.badId' };
  if (digestPart === null && !isAdmin) throw { forbidden: 'event.legacyId' };
  if (typeof newDoc['at'] !== 'string') throw { forbidden: 'event.badTime' };

  // The audit chain link (shared/audit), optional for events written before it existed: position
  // from 1, and the previous event's SHA-256 exactly when there is a previous one. Same rule as
  // chainLinkSchema in shared/events.
  var chain = newDoc['chain'] as { seq?: unknown; prev?: unknown } | null | undefined;
  if (chain !== undefined) {
    if (chain === null || typeof chain !== 'object' || toStr.call(chain) !== '[object Object]')
      throw { forbidden: 'event.badChain' };
    for (var chainKey in chain) {
      if (chainKey !== 'seq' && chainKey !== 'prev') throw { forbidden: 'event.badChain' };
    }
    var seq = chain.seq;
    if (typeof seq !== 'number' || Math.floor(seq) !== seq || seq < 1 || seq > 9007199254740991)
      throw { forbidden: 'event.badChain' };
    if (seq === 1 ? chain.prev !== null : typeof chain.prev !== 'string' || !/^[0-9a-f]{64}$/.test(chain.prev))
      throw { forbidden: 'event.badChain' };
  }

  var actor = newDoc['actor'] as { login?: unknown; role?: unknown } | null;
  if (actor === null || typeof actor !== 'object' || typeof actor.login !== 'string' || typeof actor.role !== 'string')
    throw { forbidden: 'event.badActor' };
  var role = String((actor as { role: string }).role);
  var allowed = rules.kinds[String(kind)] || [];
  if (allowed.indexOf(role) === -1) throw { forbidden: 'event.roleNotAllowed' };
  // An office hub's account (roles 'kense_hub' and its 'office:<CODE>', see HUB_ROLE) relays its
  // colleagues' events to central: it may write events recorded by others, of its own office only,
  // and every other rule above still holds (kind, chain, immutability, the actor's role for the kind).
  if (!isAdmin && isHub) {
    if (userCtx.roles.indexOf('office:' + String(office)) === -1) throw { forbidden: 'event.notOfficeStaff' };
  } else if (!isAdmin) {
    // The recorded actor must be the authenticated user, holding that role in that office.
    if ((actor as { login: string }).login !== userCtx.name) throw { forbidden: 'event.actorMismatch' };
    if (userCtx.roles.indexOf(role) === -1) throw { forbidden: 'event.roleNotHeld' };
    if (userCtx.roles.indexOf('office:' + String(office)) === -1) throw { forbidden: 'event.notOfficeStaff' };
  }
  // Last, as it is the costliest: the content is the one the id names.
  if (digestPart !== null && digestPart !== lib.contentDigest(newDoc)) throw { forbidden: 'event.contentMismatch' };
  /* eslint-enable no-var, @typescript-eslint/only-throw-error, @typescript-eslint/unbound-method */
}

/** The helpers the office validator calls: imported here, inlined by source on the server. */
export const OFFICE_VALIDATOR_LIB: ValidatorLib = { contentDigest };

/** The office validator as the desk runs it before a write, with the helpers the server inlines. */
export function checkOfficeDoc(
  newDoc: Record<string, unknown>,
  oldDoc: Record<string, unknown> | null,
  userCtx: UserCtx,
  secObj: unknown,
  rules: ValidationRules,
): void {
  validateOfficeDoc(newDoc, oldDoc, userCtx, secObj, rules, OFFICE_VALIDATOR_LIB);
}
