/**
 * The development central's process: pouchdb-server, with one of its bugs contained and its
 * `_users` database closed as Apache CouchDB 3 closes it.
 *
 * pouchdb-replicator (its `_replicator`) cancels a job when the job's document is deleted, and the
 * cancelled replication then reads that document back to record "completed" without handling the
 * 404: an unhandled rejection, which ends the whole server. Apache CouchDB 3 simply cancels the job,
 * and provisioning replaces a job that way (scripts/provision.ts provisionReplication), so the
 * stand-in must survive it. Only that rejection is let go; any other still ends the process.
 */
import { createRequire } from 'node:module';

process.on('unhandledRejection', (reason) => {
  const r = /** @type {{ status?: unknown, name?: unknown } | null} */ (reason);
  if (r && r.status === 404 && r.name === 'not_found') {
    console.warn('[central] a cancelled replication job could not record its end (its document was deleted)');
    return;
  }
  throw reason;
});

const require = createRequire(import.meta.url);

/**
 * CouchDB 3 shows a user who is no server admin only their own `_users` document (couch_users_db
 * after_doc_read) and keeps `_all_docs` of `_users` to admins. pouchdb-server answers a member's
 * `_find`, `_all_docs`, `_changes` or `_bulk_get` on `_users` with every user's document, password
 * hash included. Kense opens `_users` to its staff (each reads and updates their own document), so
 * the stand-in refuses those listings to anyone but a server admin, as CouchDB would in effect.
 * Registered with express-pouchdb's own authorization routes (after the session is known).
 */
const authorization = require.resolve('express-pouchdb/lib/routes/authorization.js');
const registerAuthorization = require(authorization);
/** @param {import('express').Express} app */
function guardedAuthorization(app) {
  registerAuthorization(app);
  /** @type {import('express').RequestHandler} */
  const serverAdminOnly = (req, res, next) => {
    const roles = /** @type {{ couchSession?: { userCtx?: { roles?: string[] } } }} */ (req).couchSession?.userCtx
      ?.roles;
    if (roles && roles.includes('_admin')) return next();
    res.status(403).json({ error: 'forbidden', reason: 'Only server admins list the users database.' });
  };
  for (const p of ['_find', '_explain', '_all_docs', '_changes', '_bulk_get', '_index'])
    app.all(`/_users/${p}`, serverAdminOnly);
}
const cached = require.cache[authorization];
if (cached) cached.exports = guardedAuthorization;

require('pouchdb-server/bin/pouchdb-server');
