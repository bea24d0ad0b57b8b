/**
 * The office hub's HTTP server: express-pouchdb (the CouchDB protocol over PouchDB, the same
 * component as the development central's pouchdb-server) over the hub's PouchDB on LevelDB, with
 * what the hub adds in front of it: CORS for the desks, the desks-seen counter, the status endpoint,
 * no database creation or deletion over HTTP, no Mango queries, and its own `_bulk_get`
 * (bulkGet.ts): express-pouchdb's Mango and `_bulk_get` routes read as an admin for anyone.
 */
import path from 'node:path';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import expressPouchDB from 'express-pouchdb';
import { HUB_STATUS_PATH } from '../../shared/hub/health';
import { bulkGetHandler } from './bulkGet';

export interface HubAppOptions {
  /** The hub's PouchDB (storage.ts's adapter, prefixed with the data directory). */
  PouchDB: PouchDB.Static;
  /** express-pouchdb's configuration file (admins, log settings). */
  configPath: string;
  /** The databases the hub serves; they exist before the server listens. */
  databases: string[];
  /** Called with the client's address on every request to the office database but the hub's own. */
  onDesk: (address: string) => void;
  /** The hub's own admin, whose requests (provisioning, the staff copy) are not a desk's. */
  adminUser: string;
  /**
   * False until the hub is ready for desks (provisioned, staff accounts copied once): until then a
   * desk is answered 503, which it retries, rather than 401 for an account not yet copied.
   */
  ready: () => boolean;
  /** The status endpoint's answer (null until the hub is ready: 503). */
  status: () => Promise<unknown>;
  log: (line: string) => void;
  /** A write the server failed with 5xx (the storage refused it: disk, permissions). */
  onWriteFailed: () => void;
}

/**
 * Refuses to create or delete a database over HTTP: the hub makes its own at start. A request to
 * create one by anyone but a server admin used to end the whole process (pouchdb-security answers
 * with a rejected promise where express-pouchdb's `PUT /:db` expects a database:
 * pouchdb/pouchdb-server#374), so any anonymous request on the LAN could stop the hub. `PUT` of a
 * database the hub serves reaches express-pouchdb, which answers 412 as CouchDB does.
 */
function noDatabaseChanges(databases: string[]) {
  const served = new Set(databases);
  return (req: Request, res: Response, next: NextFunction): void => {
    const m = /^\/([^/?]+)\/?$/.exec(req.path);
    const name = m?.[1] ? decodeURIComponent(m[1]) : null;
    if (name && !name.startsWith('_') && (req.method === 'DELETE' || (req.method === 'PUT' && !served.has(name)))) {
      res.status(403).json({ error: 'forbidden', reason: 'The office hub makes its own databases.' });
      return;
    }
    next();
  };
}

/**
 * Mango queries (`_find`, `_explain`, `_index`) are not served. express-pouchdb's routes for them
 * call pouchdb-find without the request's user, and pouchdb-security takes a call without one for an
 * admin's (as with `_bulk_get`: bulkGet.ts), so anyone on the LAN could query every document of the
 * office database and create indexes in it. No desk asks the hub for them (a field laptop's filtered
 * pull is `_changes` with a selector, which is checked), so they answer 404 for everyone.
 */
export const MANGO_ROUTES = ['/:db/_find', '/:db/_explain', '/:db/_index', '/:db/_index/*'];
function noMango(_req: Request, res: Response): void {
  res.status(404).json({ error: 'not_found', reason: 'The office hub does not answer Mango queries.' });
}

/** The user a request names with HTTP Basic authentication, if any. */
function basicUser(req: Request): string | null {
  const m = /^Basic\s+(\S+)/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded.slice(0, Math.max(0, decoded.indexOf(':')));
}

/**
 * CouchDB 3 filters `_changes` with a Mango selector sent in the body of
 * `POST /db/_changes?filter=_selector`: how a field laptop's pull reads (renderer/data/sync/field.ts).
 * express-pouchdb passes only `doc_ids` from that body (pouchdb/pouchdb-server#266; the fix,
 * pouchdb/pouchdb-server#413, was never merged): the selector is handed over in the query, which
 * express-pouchdb gives to PouchDB's changes() as it is, and PouchDB evaluates it as CouchDB does.
 * The body stays parsed for express-pouchdb (body-parser skips a body already read).
 */
export function selectorFromBody(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  const selector = body && typeof body === 'object' ? (body as { selector?: unknown }).selector : undefined;
  if (req.query['filter'] === '_selector' && selector && typeof selector === 'object')
    (req.query as Record<string, unknown>)['selector'] = selector;
  next();
}

/** An Express 4 router layer, as far as finding a route's handler needs. */
interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
}

/**
 * Puts the hub's `_bulk_get` (bulkGet.ts: the reader's rights checked, the answer streamed) in the
 * place of express-pouchdb's route handler, keeping its place in express-pouchdb's chain: after the
 * session is known (routes/authentication) and the database opened (routes/db), before the route
 * for documents would take `_bulk_get` for a document's id. express-pouchdb offers no way to add a
 * route there, so its Express 4 router is searched for the route; without it the hub does not
 * start, rather than serve express-pouchdb's unchecked one (tests/integration/hub.test.ts).
 */
export function replaceBulkGet(pouchApp: unknown, log: (line: string) => void = () => undefined): void {
  const stack = (pouchApp as { _router?: { stack?: RouterLayer[] } })._router?.stack ?? [];
  const layer = stack.find((l) => l.route?.path === '/:db/_bulk_get' && l.route.methods['post']);
  const handlers = layer?.route?.stack ?? [];
  const last = handlers[handlers.length - 1];
  if (!last)
    throw new Error("express-pouchdb's POST /:db/_bulk_get was not found: the hub will not serve it unchecked");
  last.handle = bulkGetHandler((at, e) => log(`_bulk_get of ${at} ended mid-answer: ${String(e)}`));
}

export async function hubApp(opts: HubAppOptions): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  // The desks' pages (app://kense in the desktop app, the browser-mode origin) sync with credentials.
  app.use(
    cors({
      origin: true,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'COPY'],
      allowedHeaders: [
        'Accept',
        'Accept-Language',
        'Content-Language',
        'Content-Type',
        'Authorization',
        'Origin',
        'Referer',
        // No `Content-Encoding`: a desk's gzip check finds it refused and sends its bodies plain
        // (renderer/data/sync/syncLine.ts), as it should on the office's LAN, where gzip would
        // cost the desks' CPU and save a link that is not short of bandwidth.
      ],
      // As Apache CouchDB 3 answers a preflight (`[cors] max_age`, 600 s by default): without it
      // Chromium keeps one 5 s, and a desk's `_bulk_docs`, `_revs_diff` and checkpoints would each
      // cost the office's LAN a round trip more than against central (the dev central does the same).
      maxAge: 600,
    }),
  );
  app.get(HUB_STATUS_PATH, (_req, res) => {
    void opts.status().then(
      (s) => (s ? res.json(s) : res.status(503).json({ error: 'starting' })),
      (e: unknown) => res.status(500).json({ error: 'status', reason: String(e) }),
    );
  });
  // Server errors go to the hub's log (express-pouchdb's own log is off: it never rotates).
  app.use((req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode < 500) return;
      opts.log(`HTTP ${res.statusCode} for ${req.method} ${req.path}`);
      if (req.method !== 'GET' && req.method !== 'HEAD') opts.onWriteFailed();
    });
    next();
  });
  const officeDbs = opts.databases.filter((d) => d.startsWith('office_'));
  app.use((req, res, next) => {
    const first = decodeURIComponent(req.path.split('/')[1] ?? '');
    const desk = (officeDbs.includes(first) || first === '_session') && basicUser(req) !== opts.adminUser;
    if (desk && !opts.ready()) {
      res.status(503).json({ error: 'starting', reason: 'The office hub is starting.' });
      return;
    }
    if (desk && first !== '_session') opts.onDesk(req.socket.remoteAddress ?? '?');
    next();
  });
  app.use(noDatabaseChanges(opts.databases));
  app.all(MANGO_ROUTES, noMango);
  app.post('/:db/_changes', express.json({ limit: '8mb' }), selectorFromBody);
  const pouchApp = expressPouchDB({
    configPath: opts.configPath,
    logPath: path.join(path.dirname(opts.configPath), 'logs', 'express-pouchdb.log'),
    overrideMode: {
      // Fauxton's files do not ship; the hub relays with central itself (relay.ts), not via _replicator.
      // Answers go plain, as Apache CouchDB 3 sends them: express-pouchdb gzips every answer the
      // browser asks it for, which cost the hub a third of its CPU time serving a desk's first
      // download (bench, 10,000 applications with 400 MB of scans: 844–863 → 562–596 ms per 1,000
      // documents; its peak RSS 15 MB lower), on a computer whose desk shares it, for bytes a LAN
      // carries anyway: most of them are scans, which gzip barely shrinks.
      // Nor does the hub walk its database's files for `disk_size` at every `GET /{db}` (express-pouchdb's
      // disk-size, some 3,000 `lstat`s at 100,000 applications): a desk asks for the info at each
      // start and check of its sync; CouchDB 3 has no `disk_size` there, and the hub's status says
      // what its disk holds (health.ts, at most once a minute).
      exclude: ['routes/fauxton', 'replicator', 'routes/replicate', 'compression', 'disk-size'],
    },
  });
  replaceBulkGet(pouchApp, opts.log);
  await pouchApp.setPouchDB(opts.PouchDB);
  app.use(pouchApp);
  return app;
}
