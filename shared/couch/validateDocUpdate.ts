/**
 * The rules every write to an office database must pass. The same function runs in two places:
 * in the client before an event is appended, and inside CouchDB as the body of the design
 * document's `validate_doc_update` (its source text is embedded by `designDocument`).
 *
 * Because CouchDB evaluates it with its own JavaScript engine (older CouchDB 3.x releases ship
 * SpiderMonkey 1.8.5), the body is written in plain ES5: `var`, `function`, no arrow functions,
 * no optional chaining, no template literals, no closures over imports. A unit test parses the
 * generated source as ES5 to keep it that way.
 */

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
): void {
  /* eslint-disable no-var, @typescript-eslint/only-throw-error */
  // No inner functions: bundlers may wrap them in helpers (esbuild's __name) that CouchDB lacks.
  var isAdmin = userCtx.roles.indexOf('_admin') !== -1;
  var id = String(newDoc['_id']);
  if (id.indexOf('_design/') === 0) {
    if (!isAdmin) throw { forbidden: 'doc.designAdminOnly' };
    return;
  }
  // The staff directory (shared/staff: `staff:<login>`) is written by the Kense central service
  // as the server admin, and by nobody else.
  if (id.indexOf('staff:') === 0) {
    if (!isAdmin) throw { forbidden: 'staff.adminOnly' };
    return;
  }
  if (newDoc['_deleted'] === true) {
    // Events are the record of what happened: nobody deletes them (purging is a separate, admin-only API).
    throw { forbidden: 'event.deleteForbidden' };
  }
  if (oldDoc !== null && oldDoc !== undefined && oldDoc['_deleted'] !== true) throw { forbidden: 'event.immutable' };
  if (newDoc['type'] !== 'event') throw { forbidden: 'doc.unknownType' };
  if (newDoc['v'] !== 1) throw { forbidden: 'event.unknownVersion' };

  var kind = newDoc['kind'];
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(rules.kinds, kind))
    throw { forbidden: 'event.unknownKind' };
  var office = newDoc['office'];
  if (typeof office !== 'string' || !/^[A-Z0-9]{2,16}$/.test(office)) throw { forbidden: 'event.badOffice' };
  // The database must be that office's: by its name where the server gives it (CouchDB's
  // userCtx.db) and by its _security object, which names the office role. (The development
  // stand-in passes neither on replicated writes; there the role checks below still hold.)
  if (typeof userCtx.db === 'string' && userCtx.db !== 'office_' + String(office).toLowerCase())
    throw { forbidden: 'event.wrongOffice' };
  var sec = secObj as { members?: { roles?: unknown } } | null;
  var memberRoles = sec && sec.members && sec.members.roles instanceof Array ? (sec.members.roles as string[]) : null;
  if (memberRoles !== null && memberRoles.length > 0 && memberRoles.indexOf('office:' + String(office)) === -1)
    throw { forbidden: 'event.wrongOffice' };

  var appId = newDoc['appId'];
  var hlc = newDoc['hlc'];
  var device = newDoc['device'];
  if (typeof appId !== 'string' || typeof hlc !== 'string' || typeof device !== 'string')
    throw { forbidden: 'event.badId' };
  if (id !== 'evt:' + String(appId) + ':' + String(hlc) + ':' + String(device)) throw { forbidden: 'event.badId' };
  if (typeof newDoc['at'] !== 'string') throw { forbidden: 'event.badTime' };

  // The audit chain link (shared/audit), optional for events written before it existed: position
  // from 1, and the previous event's SHA-256 exactly when there is a previous one. Same rule as
  // chainLinkSchema in shared/events.
  var chain = newDoc['chain'] as { seq?: unknown; prev?: unknown } | null | undefined;
  if (chain !== undefined) {
    if (chain === null || typeof chain !== 'object' || chain instanceof Array) throw { forbidden: 'event.badChain' };
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
  var isHub = userCtx.roles.indexOf('kense_hub') !== -1;
  if (!isAdmin && isHub) {
    if (userCtx.roles.indexOf('office:' + String(office)) === -1) throw { forbidden: 'event.notOfficeStaff' };
  } else if (!isAdmin) {
    // The recorded actor must be the authenticated user, holding that role in that office.
    if ((actor as { login: string }).login !== userCtx.name) throw { forbidden: 'event.actorMismatch' };
    if (userCtx.roles.indexOf(role) === -1) throw { forbidden: 'event.roleNotHeld' };
    if (userCtx.roles.indexOf('office:' + String(office)) === -1) throw { forbidden: 'event.notOfficeStaff' };
  }
  /* eslint-enable no-var, @typescript-eslint/only-throw-error */
}
