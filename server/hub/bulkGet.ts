/**
 * The hub's `POST /{db}/_bulk_get`, in place of express-pouchdb's (4.2.0, its last release), which
 * the hub cannot ship as it is:
 *
 * - **It reads for anyone.** Its route calls `db.bulkGet` without the request's user, and
 *   pouchdb-security lets a call without a user through as an admin's: any computer on the office's
 *   LAN could read every document of the office database with one anonymous request, while `GET`
 *   of the same document answered 401. (pouchdb/pouchdb-server#290 wrapped `bulkGet` in
 *   pouchdb-security; the route still passes no user.) Here each read carries the request's user,
 *   so pouchdb-security asks the database's `_security` as for any other read: anonymous and other
 *   offices' accounts are refused, as Apache CouchDB 3 refuses them.
 * - **It holds the whole answer.** It gathers every document of the request, their scans as base64
 *   strings, then builds the answer as one string: a desk's first download asks for 2,000 events a
 *   request, so each answer's objects outlived the young generation and its strings went straight
 *   to the old one, and the hub's capped heap spent a fifth of its CPU in full collections (issue
 *   17's bench, docs/performance/office-hub.md). Here the answer is written as it is read, as CouchDB 3 streams it: a few
 *   documents read ahead, each written when its turn comes, a scan's bytes read as a Buffer and
 *   written in base64 pieces that die young.
 *
 * The answer is CouchDB 3's: one result per requested document, in the request's order, `{ ok }`
 * or `{ error: { id, rev, error, reason } }` each. `atts_since` is not honoured (scans come whole),
 * as PouchDB does not either; no desk sends it.
 */
import type { Request, Response } from 'express';

/** pouchdb-security's view of who asks (express-pouchdb's session, per request). */
interface UserCtx {
  name: string | null;
  roles: string[];
}

interface Stub {
  content_type?: string;
  digest?: string;
  length?: number;
  revpos?: number;
  stub?: boolean;
}

interface Doc {
  _id: string;
  _rev: string;
  _attachments?: Record<string, Stub>;
  [k: string]: unknown;
}

type OpenRev = { ok: Doc } | { missing: string };

/** The database as express-pouchdb hands it to a route (wrapped by pouchdb-security: options carry the user). */
export interface RouteDb {
  get(id: string, opts: Record<string, unknown>): Promise<Doc | OpenRev[]>;
  getAttachment(id: string, name: string, opts: Record<string, unknown>): Promise<Buffer | Blob>;
  /** pouchdb-security's: the database's `_security`, for a member (refused to anyone else). */
  getSecurity?(opts: Record<string, unknown>): Promise<Record<string, unknown>>;
}

interface Wanted {
  id: string;
  rev?: string;
}

type Result = { id: string; docs: ({ ok: Doc } | { error: ErrorBody })[] };
interface ErrorBody {
  id: string;
  rev: string;
  error: string;
  reason: string;
}

/** Documents read ahead of the one being written: enough to keep LevelDB's reads overlapping. */
const READ_AHEAD = 8;
/** Bytes of a scan encoded at a time: 48 KB make 64 KB of base64, under V8's large-object size. */
const BASE64_PIECE = 3 * 16 * 1024;

function status(e: unknown): number {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : 500;
}

function errorBody(e: unknown): { error: string; reason: string } {
  const x = (e ?? {}) as { name?: unknown; error?: unknown; reason?: unknown; message?: unknown };
  const error = typeof x.name === 'string' ? x.name : typeof x.error === 'string' ? x.error : 'unknown_error';
  const reason = typeof x.reason === 'string' ? x.reason : typeof x.message === 'string' ? x.message : String(e);
  return { error, reason };
}

/** One requested document: its revision (or the winner) as CouchDB 3 answers it. */
async function readOne(db: RouteDb, w: Wanted, opts: Record<string, unknown>): Promise<Result> {
  if (w.rev === undefined) {
    try {
      return { id: w.id, docs: [{ ok: (await db.get(w.id, opts)) as Doc }] };
    } catch (e) {
      if (status(e) !== 404) throw e;
      // CouchDB 3 names the revision "undefined" when none was asked for.
      return { id: w.id, docs: [{ error: { id: w.id, rev: 'undefined', ...errorBody(e) } }] };
    }
  }
  if (!opts['latest']) {
    // One revision asked for, as a desk asks: read as a GET of it, which reads the document's
    // revision tree once (`open_revs` reads it, then each revision's again).
    try {
      return { id: w.id, docs: [{ ok: (await db.get(w.id, { ...opts, rev: w.rev })) as Doc }] };
    } catch (e) {
      if (status(e) !== 404) throw e;
      return { id: w.id, docs: [{ error: { id: w.id, rev: w.rev, error: 'not_found', reason: 'missing' } }] };
    }
  }
  try {
    const revs = (await db.get(w.id, { ...opts, open_revs: [w.rev] })) as OpenRev[];
    return {
      id: w.id,
      docs: revs.map((r) =>
        'ok' in r ? { ok: r.ok } : { error: { id: w.id, rev: r.missing, error: 'not_found', reason: 'missing' } },
      ),
    };
  } catch (e) {
    if (status(e) !== 404) throw e;
    return { id: w.id, docs: [{ error: { id: w.id, rev: w.rev, ...errorBody(e) } }] };
  }
}

/** What the request asks for, or why it is refused (express-pouchdb's and CouchDB's 400s). */
export function parseBulkGet(
  body: unknown,
  query: Record<string, unknown>,
): { wanted: Wanted[]; revs: boolean; attachments: boolean; latest: boolean } | { reason: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { reason: 'Request body must be a JSON object' };
  const docs = (body as { docs?: unknown }).docs;
  if (!Array.isArray(docs)) return { reason: "Missing JSON list of 'docs'" };
  const wanted: Wanted[] = [];
  for (const d of docs) {
    const id = (d as { id?: unknown } | null)?.id;
    const rev = (d as { rev?: unknown } | null)?.rev;
    if (typeof id !== 'string' || !id) return { reason: 'Each document needs an `id` (a string)' };
    if (rev !== undefined && typeof rev !== 'string') return { reason: 'A document’s `rev` must be a string' };
    wanted.push(rev === undefined ? { id } : { id, rev });
  }
  // Options come in the query (CouchDB's way; express-pouchdb has parsed its values as JSON by
  // then) or the body (express-pouchdb also took them there).
  const flag = (name: string): boolean => {
    const q = query[name];
    return q === true || q === 'true' || (body as Record<string, unknown>)[name] === true;
  };
  return { wanted, revs: flag('revs'), attachments: flag('attachments'), latest: flag('latest') };
}

/** Writes to the response, waiting while its buffer is full; false once the client has gone. */
async function send(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed;
}

/**
 * Characters of the answer gathered before they are written. One write per document was a system
 * call each (`writev`): 2,000 a request, a tenth of the hub's CPU while it served a desk's first
 * download (issue 17's bench, docs/performance/office-hub.md). CouchDB 3 streams its answer the same way, in larger pieces.
 */
export const WRITE_CHARS = 64 * 1024;

/** The answer as it is written: pieces gathered to WRITE_CHARS, each write waiting for the client. */
class Answer {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly res: Response) {}

  /**
   * Adds to the answer, written once enough has gathered (what had gathered first, when this would
   * pass the size: a piece stays under V8's large-object size); false once the client has gone.
   */
  async add(chunk: string): Promise<boolean> {
    if (this.size > 0 && this.size + chunk.length > WRITE_CHARS && !(await this.flush())) return false;
    this.parts.push(chunk);
    this.size += chunk.length;
    return this.size >= WRITE_CHARS ? this.flush() : !this.res.destroyed;
  }

  /** Writes what has gathered; false once the client has gone. */
  flush(): Promise<boolean> | boolean {
    if (this.size === 0) return !this.res.destroyed;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return send(this.res, chunk);
  }

  /** Ends the answer with what has gathered and `last`. */
  end(last: string): void {
    this.res.end(this.parts.join('') + last);
    this.parts = [];
    this.size = 0;
  }
}

/** A document with its attachments' bytes inline, written piece by piece; false once the client has gone. */
async function sendDoc(out: Answer, db: RouteDb, doc: Doc, security: Record<string, unknown>): Promise<boolean> {
  const { _attachments: atts, ...rest } = doc;
  const names = Object.keys(atts ?? {});
  if (!atts || names.length === 0) return out.add(JSON.stringify({ ok: doc }));
  // The body's own fields, then `_attachments`, whose `data` is written as it is encoded.
  const head = JSON.stringify({ ok: rest });
  if (!(await out.add(head.slice(0, -2) + ',"_attachments":{'))) return false;
  for (const [i, name] of names.entries()) {
    const { stub: _stub, length: _length, ...meta } = atts[name] ?? {};
    const open = JSON.stringify(meta).slice(0, -1);
    const prefix = `${i > 0 ? ',' : ''}${JSON.stringify(name)}:${open}${open.length > 1 ? ',' : ''}"data":"`;
    if (!(await out.add(prefix))) return false;
    const data = await db.getAttachment(doc._id, name, { ...security, rev: doc._rev });
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(await data.arrayBuffer());
    for (let at = 0; at < bytes.length; at += BASE64_PIECE)
      if (!(await out.add(bytes.subarray(at, at + BASE64_PIECE).toString('base64')))) return false;
    if (!(await out.add('"}'))) return false;
  }
  return out.add('}}}');
}

/** What express-pouchdb's middleware leaves on a request for its routes. */
interface PouchRequest extends Request {
  db?: RouteDb;
  couchSession?: { userCtx?: UserCtx };
}

/**
 * The route's handler, for express-pouchdb's chain (the hub's app.ts, the dev central): the
 * database and the session as express-pouchdb's middleware left them on the request.
 */
export function bulkGetHandler(onFailed: (path: string, e: unknown) => void = () => undefined) {
  return (req: Request, res: Response): void => {
    const { db, couchSession } = req as PouchRequest;
    if (!db) {
      res.status(404).json({ error: 'not_found', reason: 'no_db_file' });
      return;
    }
    void answerBulkGet(req, res, db, couchSession?.userCtx, (e) => onFailed(req.path, e));
  };
}

/**
 * Answers one `_bulk_get` on `db` for the request's user: refused before a byte is sent if the
 * user may not read the database; documents read a few ahead and written in order; a failure once
 * the answer has begun ends the connection, so the client sees an error, not a short answer, and is
 * told to `onFailed` (the hub's log: no status is left to record it by).
 */
export async function answerBulkGet(
  req: Request,
  res: Response,
  db: RouteDb,
  userCtx: UserCtx | undefined,
  onFailed: (e: unknown) => void = () => undefined,
): Promise<void> {
  const asked = parseBulkGet(req.body, req.query);
  if ('reason' in asked) {
    res.status(400).json({ error: 'bad_request', reason: asked.reason });
    return;
  }
  // No session is no user: pouchdb-security would take a call without one for an admin's.
  const user = { userCtx: userCtx ?? { name: null, roles: [] } };
  // The database's `_security` read once for the request, as CouchDB 3 checks it once per request:
  // pouchdb-security otherwise reads `_local/_security` again for every document and scan a
  // staff member's request reads (an admin's skips the check). Its refusal is the answer's status.
  let secObj: Record<string, unknown> | undefined;
  try {
    secObj = await db.getSecurity?.(user);
  } catch (e) {
    res.status(status(e)).json(errorBody(e));
    return;
  }
  const security = secObj ? { ...user, secObj } : user;
  const opts = { ...security, revs: asked.revs, latest: asked.latest };
  const reading: Promise<Result>[] = [];
  const readFrom = (i: number): void => {
    const w = asked.wanted[i];
    if (!w || reading.length !== i) return;
    const p = readOne(db, w, opts);
    // Handled here as well as where it is awaited: a read still running when the client goes
    // must not end the hub's process with an unhandled rejection.
    p.catch(() => undefined);
    reading.push(p);
  };
  for (let i = 0; i < READ_AHEAD; i++) readFrom(i);
  try {
    // The first read settles the reader's rights: a refusal is answered with its status.
    await reading[0];
  } catch (e) {
    res.status(status(e)).json(errorBody(e));
    return;
  }
  res.status(200).type('application/json');
  const answer = new Answer(res);
  try {
    if (!(await answer.add('{"results":['))) return;
    for (let i = 0; i < asked.wanted.length; i++) {
      readFrom(i + READ_AHEAD);
      const r = await reading[i];
      if (!r) break;
      reading[i] = Promise.resolve({ id: r.id, docs: [] }); // let the written one go
      const sep = i > 0 ? ',' : '';
      // A result with no attachment bytes to inline goes in one piece (most of a desk's events).
      if (!asked.attachments || !r.docs.some((d) => 'ok' in d && d.ok._attachments)) {
        if (!(await answer.add(sep + JSON.stringify(r)))) return;
        continue;
      }
      let open = `${sep}{"id":${JSON.stringify(r.id)},"docs":[`;
      for (const [j, d] of r.docs.entries()) {
        if (!(await answer.add(open + (j > 0 ? ',' : '')))) return;
        open = '';
        if (!(await ('ok' in d ? sendDoc(answer, db, d.ok, security) : answer.add(JSON.stringify(d))))) return;
      }
      if (!(await answer.add(open + ']}'))) return;
    }
    answer.end(']}');
  } catch (e) {
    onFailed(e);
    res.destroy(e instanceof Error ? e : new Error(String(e)));
  }
}
