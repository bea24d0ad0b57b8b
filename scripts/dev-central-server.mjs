/**
 * The development central's process: pouchdb-server, with one of its bugs contained.
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
 * Apache CouchDB 3 answers a CORS preflight with `Access-Control-Max-Age` (`[cors] max_age`, 600 s
 * by default: chttpd_cors.hrl CORS_DEFAULT_MAX_AGE), so a browser asks again for the same URL only
 * after ten minutes. pouchdb-server's CORS (corser) sends none, and Chromium then keeps a preflight
 * 5 s: on a slow link every `_revs_diff`, `_bulk_docs` and checkpoint would cost a round trip more
 * than against CouchDB. The stand-in answers as CouchDB does.
 */
const corser = require('corser');
const create = corser.create;
corser.create = (/** @type {Record<string, unknown>} */ options) => create({ maxAge: 600, ...options });

require('pouchdb-server/bin/pouchdb-server');
