'use strict';
/**
 * The embedded office hub's server process: what `pouchdb-server --level-backend logdown.cjs` did,
 * reduced to what the hub needs, so that it can be bundled into one self-contained file that ships
 * with the app (out/hub/server.cjs, built by electron.vite.config.ts). pouchdb-server's own entry
 * cannot be bundled: it requires Fauxton's static files and the native leveldown/sqlite3 adapters.
 *
 *   node hubServer.cjs --host 127.0.0.1 --port 5985 --dir /data/hub --config /data/hub/config.json
 *
 * Storage is logdown.cjs (pure JavaScript, durable), under `--dir`; the process runs with `--dir`
 * as its working directory (express-pouchdb writes its log file there).
 *
 * The PouchDB packages are pouchdb-server's own (7.x: the ones express-pouchdb was written for, and
 * the ones the development central runs), not the app's 9.x.
 */
const path = require('node:path');
const fs = require('node:fs');
const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const express = require('express');
const expressPouchDB = require('express-pouchdb');
const cors = require('pouchdb-server/lib/cors');
const customLevelAdapter = require('pouchdb-server/lib/customLevelAdapter');
const PouchDBCore = require('pouchdb-server/node_modules/pouchdb-core');
const LogDOWN = require('./logdown.cjs');

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '5985' },
    dir: { type: 'string', default: '.' },
    config: { type: 'string', default: './config.json' },
    // Accepted for the command line pouchdb-server had (server/dev/central.ts passes it).
    'no-color': { type: 'boolean', default: false },
  },
});

// pouchdb-auth checks a password with PBKDF2-SHA1 only, and sees only the salt. The staff copy
// (staffCopy.ts) marks the salt of a SHA-256 verifier (CouchDB 3.4's default `pbkdf2_prf`), and it
// is checked here the way CouchDB does: PBKDF2-HMAC-SHA256, 32 bytes, hex.
const SHA256_SALT_PREFIX = 'kense-sha256:';
const authUtils = require('pouchdb-auth/lib/utils');
const sha1Hash = authUtils.hashPassword;
authUtils.hashPassword = function (password, salt, iterations) {
  if (typeof salt === 'string' && salt.startsWith(SHA256_SALT_PREFIX)) {
    const key = crypto.pbkdf2Sync(
      String(password),
      salt.slice(SHA256_SALT_PREFIX.length),
      Number(iterations),
      32,
      'sha256',
    );
    return Promise.resolve(key.toString('hex'));
  }
  return sha1Hash(password, salt, iterations);
};

const dir = path.resolve(values.dir);
fs.mkdirSync(dir, { recursive: true });

// As pouchdb-server builds it: express-pouchdb's security wrappers expect replicate() and sync().
const PouchDB = PouchDBCore.plugin(require('pouchdb-server/node_modules/pouchdb-adapter-http'))
  .plugin(require('pouchdb-server/node_modules/pouchdb-replication'))
  .plugin(require('pouchdb-mapreduce'))
  .plugin(customLevelAdapter(LogDOWN));

const app = express();
const pouchApp = expressPouchDB({
  configPath: path.resolve(values.config),
  overrideMode: {
    // Fauxton's files do not ship; the hub relays with central from the app, not via _replicator.
    exclude: ['routes/fauxton', 'replicator', 'routes/replicate'],
  },
});
app.use(cors(pouchApp.couchConfig));
// logdown is given bare database names (custom backends take no prefix): they resolve in the
// working directory, which is `--dir`.
const HubPouchDB = PouchDB.defaults({ prefix: dir + path.sep });
void pouchApp.setPouchDB(HubPouchDB).then(() => {
  // pouchdb-security answers a database creation by anyone but a server admin with a rejected
  // promise where express-pouchdb's `PUT /:db` expects a database: calling its info() threw and
  // ended the process, so any anonymous request on the LAN could stop the hub. Refuse it instead.
  const guardedNew = HubPouchDB.new;
  HubPouchDB.new = function (...args) {
    const db = guardedNew.apply(this, args);
    if (db && typeof db.info !== 'function' && typeof db.then === 'function') {
      return { info: (cb) => db.then(() => cb(Object.assign(new Error('forbidden'), { status: 403 })), cb) };
    }
    return db;
  };
  // Listening only now, so that no request meets the server without that guard.
  listen();
});
app.use(pouchApp);

let server = null;
function listen() {
  server = app.listen(Number(values.port), values.host, () => {
    console.warn(`[hub server] listening on http://${values.host}:${values.port}/, data in ${dir}`);
  });
  server.on('error', (e) => {
    console.error(`[hub server] ${e.code === 'EADDRINUSE' ? `port ${values.port} is in use` : e.stack || e}`);
    process.exit(1);
  });
}

// Every acknowledged write is already on disk (logdown syncs each one): nothing to wait for, and
// close() alone would wait for the desks' long-poll feeds to end.
const stop = () => {
  server?.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
