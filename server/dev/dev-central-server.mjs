/**
 * The development central's process: pouchdb-server, with one of its bugs contained.
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

createRequire(import.meta.url)('pouchdb-server/bin/pouchdb-server');
