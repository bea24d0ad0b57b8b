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

/**
 * The plugin (`query` and `viewCleanup` on every database of the PouchDB it is added to) over the
 * given build of the engine: the hub's own (9.0.0), or the development central's (pouchdb-server's
 * PouchDB 7, whose core the engine 9 does not fit: server/dev/dev-central-server.mjs).
 */
export function viewsPlugin(create: typeof createAbstractMapReduce): PouchDB.Plugin {
  // The name of pouchdb-mapreduce's bookkeeping (`_local/mrviews`): the same indexes as before.
  const engine = create('mrviews', mapper, reducer, ddocValidator);
  return {
    query(this: PouchDB.Database, fun: unknown, opts: unknown, callback: unknown) {
      return engine.query.call(this, fun, opts, callback);
    },
    viewCleanup(this: PouchDB.Database, callback: unknown) {
      return engine.viewCleanup.call(this, callback);
    },
  };
}

export const hubViews: PouchDB.Plugin = viewsPlugin(createAbstractMapReduce);
