/**
 * The hub's map/reduce views: PouchDB's own view engine (pouchdb-abstract-mapreduce, the part of
 * pouchdb-mapreduce that indexes and queries) with each design document's functions compiled once.
 *
 * Why not pouchdb-mapreduce itself: under Node it makes a new V8 context and compiles a new script
 * for every document it maps (`vm.runInNewContext` with the document inlined as JSON). On the hub
 * that made the desks' view slow to build (some 600 events/s) and left ~100 MB of native memory
 * behind it (issue 17's bench). Here each function is compiled once in a context of its own, as
 * sandboxed as before (no `require`, no `process`: the context has only JavaScript's built-ins),
 * and called per document with a copy of it, so that a map function cannot alter what another sees.
 *
 * The index it writes is pouchdb-mapreduce's (the same `mrviews` bookkeeping and view databases):
 * a hub's existing indexes are kept.
 */
import vm from 'node:vm';
import createAbstractMapReduce from 'pouchdb-abstract-mapreduce';

type Emit = (key: unknown, value?: unknown) => void;
type ViewFunction = (...args: unknown[]) => unknown;

/**
 * What CouchDB's JavaScript view server gives a function besides the language (`sum`, `log`,
 * `isArray`, `toJSON`) and, for a map, `emit`, which forwards to whichever emit the engine has
 * bound for the view being built.
 */
const PRELUDE = `
var __emit__ = null;
var emit = function (key, value) { __emit__(key, value); };
var sum = function (values) { var s = 0; for (var i = 0; i < values.length; i++) s += values[i]; return s; };
var log = function () {};
var isArray = Array.isArray;
var toJSON = JSON.stringify;
`;

interface Compiled {
  fn: ViewFunction;
  context: vm.Context;
}

/** Compiled functions by source: a design document's functions are compiled once per process. */
const compiled = new Map<string, Compiled>();

function compile(source: string): Compiled {
  const known = compiled.get(source);
  if (known) return known;
  const context = vm.createContext({});
  vm.runInContext(PRELUDE, context);
  const fn = vm.runInContext(`(${source.replace(/;\s*$/, '')})`, context) as unknown;
  if (typeof fn !== 'function') throw new Error(`not a function: ${source.slice(0, 80)}`);
  const c = { fn: fn as ViewFunction, context };
  compiled.set(source, c);
  return c;
}

/** A map function for the engine: called with each document, emitting through `emit`. */
export function mapper(source: unknown, emit: Emit): (doc: unknown) => void {
  const { fn, context } = compile(String(source));
  return (doc) => {
    (context as { __emit__: Emit | null }).__emit__ = emit;
    fn(structuredClone(doc));
  };
}

/** CouchDB's built-in reduces (docs.couchdb.org, ddocs "Built-in Reduce Functions"), on numbers. */
const numbers = (values: unknown[]): number[] =>
  values.map((v) => {
    if (typeof v !== 'number') throw new Error('builtin reduce functions require map values to be numbers');
    return v;
  });
const BUILT_IN: Record<string, ViewFunction> = {
  _count: (_keys, values) => (values as unknown[]).length,
  _sum: (_keys, values) => numbers(values as unknown[]).reduce((a, b) => a + b, 0),
  _stats: (_keys, values) => {
    const n = numbers(values as unknown[]);
    return {
      sum: n.reduce((a, b) => a + b, 0),
      min: Math.min(...n),
      max: Math.max(...n),
      count: n.length,
      sumsqr: n.reduce((a, b) => a + b * b, 0),
    };
  },
};

export function reducer(source: unknown): ViewFunction {
  const s = String(source).trim();
  if (s.startsWith('_')) {
    const builtIn = BUILT_IN[s];
    if (!builtIn) throw new Error(`${s} is not a supported reduce function`);
    return builtIn;
  }
  return compile(s).fn;
}

function ddocValidator(ddoc: { _id: string; views?: Record<string, { map?: unknown }> }, viewName: string): void {
  if (typeof ddoc.views?.[viewName]?.map !== 'string')
    throw Object.assign(new Error(`ddoc ${ddoc._id} has no string view named ${viewName}`), {
      status: 404,
      name: 'not_found',
    });
}

/** A database handle as the engine sees it: its views' handles cached on it (createView). */
interface Source {
  _cachedViews?: Record<string, Promise<{ db: PouchDB.Database }>>;
}

/**
 * Closes a database's view indexes once no query has used them for a while. A view's LevelDB keeps
 * the tables a query read mapped in memory for as long as it is open, and the engine keeps it open
 * for the life of the process: after one desk's first download (which reads the desks' view whole)
 * some 50 MB of the hub's resident memory stayed for good (issue 17's bench). Closed, the next query
 * opens it again (a few ms: LevelDB reads its manifest and log, not its tables).
 *
 * The engine is not made for this: a query takes its view's handle from `_cachedViews` and updates
 * it in a queue of its own, and `stale=update_after` updates after the answer, unawaited, where a
 * closed handle would reject unhandled and end the hub's process. So every query is counted while
 * it runs, new ones wait while a close runs, and `update_after` is answered as `stale=ok` followed
 * by an update that is counted like any query.
 */
function idleCloser(
  query: (db: PouchDB.Database, fun: unknown, opts: Record<string, unknown>) => Promise<unknown>,
  idleMs: number,
) {
  const states = new WeakMap<
    PouchDB.Database,
    { running: number; closing: Promise<void> | null; timer: NodeJS.Timeout | null }
  >();
  const stateOf = (db: PouchDB.Database) => {
    let s = states.get(db);
    if (!s) states.set(db, (s = { running: 0, closing: null, timer: null }));
    return s;
  };
  const close = async (db: PouchDB.Database): Promise<void> => {
    const cached = (db as unknown as Source)._cachedViews ?? {};
    for (const [signature, view] of Object.entries(cached)) {
      delete cached[signature];
      await view.then((v) => v.db.close()).catch(() => undefined);
    }
  };
  const run = async (db: PouchDB.Database, fun: unknown, opts: Record<string, unknown>): Promise<unknown> => {
    const s = stateOf(db);
    while (s.closing) await s.closing;
    s.running++;
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    try {
      return await query(db, fun, opts);
    } finally {
      if (--s.running === 0) {
        s.timer = setTimeout(() => {
          s.timer = null;
          if (s.running > 0 || s.closing) return;
          s.closing = close(db).finally(() => (s.closing = null));
        }, idleMs);
        s.timer.unref();
      }
    }
  };
  return (db: PouchDB.Database, fun: unknown, opts: Record<string, unknown>): Promise<unknown> => {
    // A temporary view (a function, not a name) is the engine's own to drop after the query.
    if (typeof fun !== 'string' || opts['stale'] !== 'update_after') return run(db, fun, opts);
    const answer = run(db, fun, { ...opts, stale: 'ok' });
    void answer.then(() => run(db, fun, { limit: 0 })).catch(() => undefined);
    return answer;
  };
}

/**
 * The plugin (`query` and `viewCleanup` on every database of the PouchDB it is added to) over the
 * given build of the engine: the hub's own (9.0.0), or the development central's (pouchdb-server's
 * PouchDB 7, whose core the engine 9 does not fit: server/dev/dev-central-server.mjs). With
 * `closeIdleAfterMs`, a database's view indexes are closed after that long without a query
 * (the hub's: `idleCloser` above).
 */
export function viewsPlugin(
  create: typeof createAbstractMapReduce,
  opts: { closeIdleAfterMs?: number } = {},
): PouchDB.Plugin {
  // The name of pouchdb-mapreduce's bookkeeping (`_local/mrviews`): the same indexes as before.
  const engine = create('mrviews', mapper, reducer, ddocValidator);
  const direct = (db: PouchDB.Database, fun: unknown, o: Record<string, unknown>): Promise<unknown> =>
    engine.query.call(db, fun, o, undefined);
  const query = opts.closeIdleAfterMs === undefined ? direct : idleCloser(direct, opts.closeIdleAfterMs);
  return {
    query(this: PouchDB.Database, fun: unknown, o: unknown, callback: unknown) {
      // Called as express-pouchdb does, `(view, opts, callback)`, or as a promise.
      const cb = (typeof o === 'function' ? o : callback) as ((err: unknown, res?: unknown) => void) | undefined;
      const options = typeof o === 'object' && o !== null ? (o as Record<string, unknown>) : {};
      const promise = query(this, fun, options);
      if (typeof cb === 'function')
        promise.then(
          (r) => cb(null, r),
          (e: unknown) => cb(e),
        );
      return promise;
    },
    viewCleanup(this: PouchDB.Database, callback: unknown) {
      return engine.viewCleanup.call(this, callback);
    },
  };
}

/** How long the hub keeps a database's view indexes open after their last query. */
export const VIEW_IDLE_CLOSE_MS = 60_000;

export const hubViews: PouchDB.Plugin = viewsPlugin(createAbstractMapReduce, { closeIdleAfterMs: VIEW_IDLE_CLOSE_MS });
