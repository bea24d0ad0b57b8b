/**
 * The development central's process: pouchdb-server, with three of its bugs contained and its
 * `_users` database closed as Apache CouchDB 3 closes it. Runs on a developer's machine and in
 * tests only (server/dev/central.ts starts it).
 *
 * pouchdb-replicator (its `_replicator`) cancels a job when the job's document is deleted, and the
 * cancelled replication then reads that document back to record "completed" without handling the
 * 404: an unhandled rejection, which ends the whole server. Apache CouchDB 3 simply cancels the job,
 * and provisioning replaces a job that way (server/provision.ts provisionReplication), so the
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
  if (isDeletedDuringLongpoll(reason)) {
    console.warn('[central] a long-poll _changes ended with its database (deleted while it read)');
    return;
  }
  throw reason;
});

/**
 * express-pouchdb's long-poll `_changes` reads the changes once before it waits, and takes the
 * answer's `results` unguarded: when the database is deleted during that read, PouchDB answers
 * `{ status: 'cancelled' }` and the route throws (express-pouchdb/lib/routes/changes.js, in 4.2.0,
 * the last release) — an unhandled rejection that ends the server. Apache CouchDB 3 ends such a
 * feed and goes on. Tests that delete their database while a desk's feed is open (a stopped sync's
 * request still being answered) met it. Only that throw is let go; the request it belonged to gets
 * no answer, its client having gone or its database with it. (tests/integration/central.test.ts.)
 */
function isDeletedDuringLongpoll(/** @type {unknown} */ reason) {
  return (
    reason instanceof TypeError &&
    typeof reason.stack === 'string' &&
    /express-pouchdb[\\/]lib[\\/]routes[\\/]changes\.js/.test(reason.stack)
  );
}

const require = createRequire(import.meta.url);
/** The modules pouchdb-server itself loads (its own copies, where npm nested any). */
const SERVER_PATHS = { paths: [require.resolve('pouchdb-server/package.json')] };

/**
 * A database deleted while a request to it is under way stays deleted on Apache CouchDB 3: the
 * request is answered 404. express-pouchdb checks that the database exists, then opens it in its
 * create/delete queue (express-pouchdb/lib/create-or-delete-dbs.js); a DELETE queued between the
 * two runs first, and the open then creates the database anew, with no security object and no
 * design documents (a test emptying its office while the reports writer read from it: the next
 * `PUT /db` answered 412, and the writer's view was gone for every later test). The module is
 * provided here as it is, plus an open that checks again inside the queue; every request's database
 * is opened through it (setDBOnReq below).
 */
/** @type {Promise<unknown>} */
let dbQueue = Promise.resolve();
/** @template T @param {() => T | Promise<T>} work @returns {Promise<T>} */
const inDbQueue = (work) => {
  const next = dbQueue.then(work);
  dbQueue = next.catch(() => undefined);
  return next;
};
/** @typedef {{ __dbCacheMap?: Map<string, PouchLike>, allDbs: () => Promise<string[]>, destroy: (name: string, opts: unknown) => Promise<unknown>, new (name: string): PouchLike }} PouchClass */
/** @typedef {{ destroy: (opts: unknown) => Promise<unknown> }} PouchLike */
/** @param {PouchClass} PouchDB */
const dbCache = (PouchDB) => (PouchDB.__dbCacheMap ??= new Map());
const createOrDeleteDbs = {
  /** @param {PouchClass} PouchDB @param {string} name */
  getOrCreateDB: (PouchDB, name) =>
    inDbQueue(() => {
      const cache = dbCache(PouchDB);
      const db = cache.get(name) ?? new PouchDB(name);
      cache.set(name, db);
      return db;
    }),
  /** An existing database, or null when it is gone (deleted since the request's check). */
  /** @param {PouchClass} PouchDB @param {string} name */
  getExistingDB: (PouchDB, name) =>
    inDbQueue(async () => {
      const cache = dbCache(PouchDB);
      const cached = cache.get(name);
      if (cached) return cached;
      if (!(await PouchDB.allDbs()).includes(name)) return null;
      const db = new PouchDB(name);
      cache.set(name, db);
      return db;
    }),
  /** @param {PouchClass} PouchDB @param {string} name @param {unknown} opts */
  deleteDB: (PouchDB, name, opts) =>
    inDbQueue(() => {
      const cache = dbCache(PouchDB);
      const db = cache.get(name);
      if (!db) return PouchDB.destroy(name, opts);
      cache.delete(name);
      return db.destroy(opts);
    }),
};
provideModule(require.resolve('express-pouchdb/lib/create-or-delete-dbs.js', SERVER_PATHS), createOrDeleteDbs);

/**
 * CouchDB 3 filters `_changes` with a Mango selector sent in the body of
 * `POST /db/_changes?filter=_selector`, which is how a replication with a `selector` reads its
 * source (the office hub pulls from central so: server/hub/relay.ts). express-pouchdb passes only
 * `doc_ids` from that body and answers 404 for the `_selector` "filter"
 * (pouchdb/pouchdb-server#266; the fix, pouchdb/pouchdb-server#413, was never merged). Here the
 * selector is handed to PouchDB's changes(), which evaluates it as CouchDB does.
 * relay.test.ts (the hub pulls events, not design documents) fails without it.
 */
const expressPouchUtils = require(require.resolve('express-pouchdb/lib/utils', SERVER_PATHS));
const cleanFilename = require(require.resolve('express-pouchdb/lib/clean-filename', SERVER_PATHS));
/** express-pouchdb's own (lib/utils.js), with the open that checks again (above). */
expressPouchUtils.setDBOnReq = function (
  /** @type {string} */ dbName,
  /** @type {{ wrap: (name: string, db: unknown) => Promise<unknown> }} */ dbWrapper,
  /** @type {{ PouchDB: PouchClass, db?: unknown }} */ req,
  /** @type {unknown} */ res,
  /** @type {() => void} */ next,
) {
  // (Without the original's mkdirp for names with a slash: Kense's databases have none.)
  const name = cleanFilename(dbName);
  const noDb = () => expressPouchUtils.sendJSON(res, 404, { error: 'not_found', reason: 'no_db_file' });
  req.PouchDB.allDbs()
    .then((dbs) => (dbs.includes(name) ? createOrDeleteDbs.getExistingDB(req.PouchDB, name) : null))
    .then(
      (db) => {
        if (!db) return noDb();
        return dbWrapper.wrap(name, db).then(() => {
          req.db = db;
          next();
        });
      },
      (/** @type {unknown} */ err) => expressPouchUtils.sendError(res, err),
    );
};
const makeOpts = expressPouchUtils.makeOpts;
expressPouchUtils.makeOpts = function (req, startOpts) {
  const opts = makeOpts(req, startOpts);
  if (opts && opts.filter === '_selector' && req.body && typeof req.body.selector === 'object') {
    opts.selector = req.body.selector;
  }
  return opts;
};

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

/**
 * Puts `exports` in the module cache as the module at `file`: whoever requires it later (pouchdb-server,
 * express-pouchdb) gets them instead of the file's own.
 * @param {string} file @param {unknown} exports
 */
function provideModule(file, exports) {
  const m = new Module(file);
  m.filename = file;
  m.exports = exports;
  m.loaded = true;
  require.cache[file] = m;
}

/**
 * Apache CouchDB 3 sends its answers plain (chttpd compresses nothing; a reverse proxy in front may).
 * express-pouchdb gzips every answer a browser asks it for: a new desk's first download from the
 * stand-in then paid for gzip on the server and gunzip on the desk, both on the same two cores,
 * and measured slower than against CouchDB. The stand-in answers plain, as CouchDB does (as the
 * office hub does: server/hub/app.ts). tests/integration/central.test.ts fails without it.
 */
provideModule(require.resolve('express-pouchdb/lib/compression.js', SERVER_PATHS), () => undefined);

/**
 * `_users` as Apache CouchDB 3 guards it (couch_users_db): a user who is no server admin sees and
 * writes only their own document (anyone else's is "not found"), never a design document, and
 * no listing (`_all_docs` of `_users` is for admins). pouchdb-server answers a member's `_find`,
 * `_all_docs`, `_changes` or `_bulk_get` on `_users` with every user's document, password hash
 * included, and lets an admin-less write reach other users' documents. Kense opens `_users` to its
 * staff (each reads and updates their own document), so the stand-in keeps to CouchDB's rules here.
 * Registered with express-pouchdb's own authorization routes (after the session is known).
 */
const authorization = require.resolve('express-pouchdb/lib/routes/authorization.js', SERVER_PATHS);
const registerAuthorization = require(authorization);
/** @param {import('express').Request} req */
const userCtx = (req) =>
  /** @type {{ couchSession?: { userCtx?: { name?: string | null, roles?: string[] } } }} */ (req).couchSession
    ?.userCtx ?? { name: null, roles: [] };
const NOT_FOUND = { error: 'not_found', reason: 'missing' };
/** @param {unknown} a @param {string[]} b */
const sameRoles = (a, b) => Array.isArray(a) && JSON.stringify(a.map(String).sort()) === JSON.stringify([...b].sort());
/** The body of a PUT, parsed here and left for express-pouchdb's own parser (which reads req.body first). */
const jsonBody = require('body-parser').json({ limit: '8mb' });
/** @param {import('express').Express} app */
function guardedAuthorization(app) {
  registerAuthorization(app);
  /** @type {import('express').RequestHandler} */
  const serverAdminOnly = (req, res, next) => {
    if ((userCtx(req).roles ?? []).includes('_admin')) return next();
    res.status(403).json({ error: 'forbidden', reason: 'Only admins can access this part of the users database.' });
  };
  for (const p of ['_find', '_explain', '_all_docs', '_changes', '_bulk_get', '_bulk_docs', '_index', '_purge'])
    app.all(`/_users/${p}`, serverAdminOnly);
  app.get('/_users/_design/:name', serverAdminOnly);
  /** @type {import('express').RequestHandler} */
  const ownDocumentOnly = (req, res, next) => {
    const ctx = userCtx(req);
    const id = String(req.params['id'] ?? '');
    if ((ctx.roles ?? []).includes('_admin') || id.startsWith('_') || !id.startsWith('org.couchdb.user:'))
      return next();
    const own = ctx.name !== null && ctx.name !== undefined && id === `org.couchdb.user:${ctx.name}`;
    // Anonymous requests meet the database's members first (CouchDB answers them 401 the same way).
    if (!ctx.name) return next();
    if (!own) return void res.status(404).json(NOT_FOUND);
    // Their own document: a new password, never other roles (CouchDB's _auth validator; pouchdb-auth
    // consults no validator here). The session's roles are the stored ones.
    const body = /** @type {{ roles?: unknown } | undefined} */ (req.body);
    if (req.method === 'PUT' && body && typeof body === 'object' && !sameRoles(body.roles, ctx.roles ?? []))
      return void res.status(403).json({ error: 'forbidden', reason: 'Only _admin may edit roles' });
    return next();
  };
  app.all('/_users/:id', jsonBody, ownDocumentOnly);
}
const cached = require.cache[authorization];
if (cached) cached.exports = guardedAuthorization;

/*
 * `_bulk_get`: the office hub's (server/hub/bulkGet.ts). express-pouchdb's reads without the
 * request's user, so anyone could read any office database with it, and holds its whole answer in
 * memory; Apache CouchDB 3 checks the reader and streams. The stand-in answers as CouchDB does (and
 * as the hub does), so that tests and the bench meet CouchDB's behaviour: central.test.ts fails
 * without it.
 */
const { bulkGetHandler } = await import('../hub/bulkGet.ts');
provideModule(
  require.resolve('express-pouchdb/lib/routes/bulk-get.js', SERVER_PATHS),
  (/** @type {import('express').Express} */ app) => {
    app.post('/:db/_bulk_get', expressPouchUtils.jsonParser, bulkGetHandler());
  },
);

/*
 * pouchdb-validation (the stand-in's validate_doc_update) overwrites every incoming document's
 * `_revisions` with the stored document's before writing it, so a replicated update
 * (`_bulk_docs` with `new_edits: false`, the revision on top of one the server holds) is answered
 * 201 and silently not stored. CouchDB 3 stores it — a catalogue administrator's correction, or a
 * second administrator's conflicting edit, reaches central that way. The module is loaded here
 * with that one line keeping what the document carries (tests/integration/central.test.ts checks it).
 */
const validationFile = require.resolve('pouchdb-validation', SERVER_PATHS);
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

/*
 * Views: the office hub's view engine (server/hub/views.ts: PouchDB's own engine with each design
 * function compiled once) instead of pouchdb-server's pouchdb-mapreduce, which compiles a new script
 * in a new V8 context for every document it maps. The desks' view over 549,000 events took the
 * stand-in about 20 minutes to build (issue 13's bench at 100,000 applications); CouchDB 3 builds
 * views with its own indexer as documents arrive. Same results (views.test.ts checks them against
 * the functions themselves); this process runs with tsx (server/dev/central.ts) to load it.
 */
const { viewsPlugin } = await import('../hub/views.ts');
const serverLib = { paths: [path.dirname(require.resolve('pouchdb-server/lib/index.js'))] };
// The engine of pouchdb-server's own PouchDB (7): the hub's (9) expects a newer core.
provideModule(
  require.resolve('pouchdb-mapreduce', serverLib),
  viewsPlugin(require(require.resolve('pouchdb-abstract-mapreduce', serverLib))),
);

// Ends with server/dev/central.ts's process, however that ends (server/process.ts).
const { endWithParent } = await import('../process.ts');
endWithParent();

require('pouchdb-server/bin/pouchdb-server');
