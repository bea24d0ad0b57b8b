/**
 * The development central's process: pouchdb-server, with two of its bugs contained. Runs on a
 * developer's machine and in tests only (server/dev/central.ts starts it).
 *
 * pouchdb-replicator (its `_replicator`) cancels a job when the job's document is deleted, and the
 * cancelled replication then reads that document back to record "completed" without handling the
 * 404: an unhandled rejection, which ends the whole server. Apache CouchDB 3 simply cancels the job,
 * and provisioning replaces a job that way (server/provision.ts provisionReplication), so the
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
 * CouchDB 3 filters `_changes` with a Mango selector sent in the body of
 * `POST /db/_changes?filter=_selector`, which is how a replication with a `selector` reads its
 * source (the office hub pulls from central so: server/hub/relay.ts). express-pouchdb passes only
 * `doc_ids` from that body and answers 404 for the `_selector` "filter"
 * (pouchdb/pouchdb-server#266; the fix, pouchdb/pouchdb-server#413, was never merged). Here the
 * selector is handed to PouchDB's changes(), which evaluates it as CouchDB does.
 * relay.test.ts (the hub pulls events, not design documents) fails without it.
 */
const expressPouchUtils = require(
  require.resolve('express-pouchdb/lib/utils', {
    paths: [require.resolve('pouchdb-server/package.json')],
  }),
);
const makeOpts = expressPouchUtils.makeOpts;
expressPouchUtils.makeOpts = function (req, startOpts) {
  const opts = makeOpts(req, startOpts);
  if (opts && opts.filter === '_selector' && req.body && typeof req.body.selector === 'object') {
    opts.selector = req.body.selector;
  }
  return opts;
};

require('pouchdb-server/bin/pouchdb-server');
