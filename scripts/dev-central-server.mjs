/**
 * The development central's process: pouchdb-server, with two of its bugs contained.
 *
 * pouchdb-replicator (its `_replicator`) cancels a job when the job's document is deleted, and the
 * cancelled replication then reads that document back to record "completed" without handling the
 * 404: an unhandled rejection, which ends the whole server. Apache CouchDB 3 simply cancels the job,
 * and provisioning replaces a job that way (scripts/provision.ts provisionReplication), so the
 * stand-in must survive it. Only that rejection is let go; any other still ends the process.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';

process.on('unhandledRejection', (reason) => {
  const r = /** @type {{ status?: unknown, name?: unknown } | null} */ (reason);
  if (r && r.status === 404 && r.name === 'not_found') {
    console.warn('[central] a cancelled replication job could not record its end (its document was deleted)');
    return;
  }
  throw reason;
});

/*
 * pouchdb-validation (the stand-in's validate_doc_update) overwrites every incoming document's
 * `_revisions` with the stored document's before writing it, so a replicated update
 * (`_bulk_docs` with `new_edits: false`, the revision on top of one the server holds) is answered
 * 201 and silently not stored. CouchDB 3 stores it — a catalogue administrator's correction, or a
 * second administrator's conflicting edit, reaches central that way. The module is loaded here
 * with that one line keeping what the document carries (tests/integration/central.test.ts checks it).
 */
const require = createRequire(import.meta.url);
const validationFile = require.resolve('pouchdb-validation');
const original = readFileSync(validationFile, 'utf8');
const CLOBBER = 'newDoc._revisions = (oldDoc || {})._revisions;';
if (!original.includes(CLOBBER))
  throw new Error(`${validationFile} changed: review the _revisions fix in ${import.meta.url}`);
const validation = new Module(validationFile);
validation.filename = validationFile;
validation.paths = Module._nodeModulePaths(path.dirname(validationFile));
validation._compile(original.replace(CLOBBER, `if (!newDoc._revisions) ${CLOBBER}`), validationFile);
validation.loaded = true;
require.cache[validationFile] = validation;

require('pouchdb-server/bin/pouchdb-server');
