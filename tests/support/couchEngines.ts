/**
 * Evaluates a design document's `validate_doc_update` source text the way CouchDB 3 does, in three
 * modes that must give the same verdict (issue 12, finding 1):
 *
 * - `direct`: compiled and called in this realm, documents from this realm (what the tests did
 *   before; also what pouchdb-server, the development central, does);
 * - `realm`: compiled in a fresh `node:vm` context, called with documents parsed by this realm's
 *   `JSON.parse`: CouchDB's own arrangement (its sandbox is a realm of its own, the documents come
 *   from the dispatcher's realm), where `x instanceof Array` is false for every array;
 * - `quickjs`: inside QuickJS (quickjs-emscripten, the WebAssembly build shipped in its npm
 *   package), arranged as CouchDB 3.4+'s `couchjs` does (src/couch_quickjs/c_src/couchjs.c,
 *   share/server/dispatch-quickjs.js, validate.js): a main context with couchjs' intrinsics parses
 *   the request line with `JSON.parse`; the function is compiled by `evalcx` in a sandbox context
 *   (a new `JSContext` in the same runtime, with only those intrinsics — no typed arrays, no
 *   Promise, no Proxy — and the sandbox's globals `log`, `toJSON`, `JSON`, `sum`, `isArray`
 *   copied in); `Validate.validate` calls `fun.apply(ddoc, args)` and answers `1`, or the thrown
 *   value as JSON, or rethrows an `Error` (name and stack) as the query server's error.
 *
 * CouchDB's QuickJS is patched to take a top-level `function (…) {…}` as an expression
 * (patches/01-spidermonkey-185-mode.patch); the npm build is not, so the source is parenthesised.
 */
import vm from 'node:vm';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
} from 'quickjs-emscripten-core';

export type Verdict = { ok: true } | { forbidden: string } | { unauthorized: string } | { engineError: string };
export type EngineName = 'direct' | 'realm' | 'quickjs';
export const ENGINES: EngineName[] = ['direct', 'realm', 'quickjs'];

type ValidateFn = (newDoc: unknown, oldDoc: unknown, userCtx: unknown, secObj: unknown) => void;

/** What a view function gave: its rows (map) or its value (reduce), or the engine's error. */
export type ViewResult = { ok: unknown } | { engineError: string };

export interface CouchEngine {
  name: EngineName;
  /** The verdict of `source` on one write; `ddoc` is the design document it belongs to. */
  validate(source: string, newDoc: unknown, oldDoc: unknown, userCtx: unknown, secObj: unknown): Verdict;
  /** A view's map function on one document (sealed, as CouchDB's query server seals it): `[key, value][]`. */
  map(source: string, doc: unknown): ViewResult;
  /** A view's reduce function on keys and values (or on reductions, `rereduce`). */
  reduce(source: string, keys: unknown, values: unknown, rereduce: boolean): ViewResult;
  dispose(): void;
}

/** CouchDB's query server freezes a document before a map function sees it (Couch.recursivelySeal). */
function deepFreeze(v: unknown): unknown {
  if (v && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Runs map/reduce functions compiled by `compile`, with `emit` collecting rows, in this realm or another. */
function viewRunner(
  compile: (source: string) => (...args: unknown[]) => unknown,
  rows: () => unknown[],
  clear: () => void,
): Pick<CouchEngine, 'map' | 'reduce'> {
  const error = (e: unknown): ViewResult => ({
    engineError:
      e instanceof Error || (e && typeof e === 'object' && 'name' in e) ? String((e as Error).name) : JSON.stringify(e),
  });
  return {
    map(source, doc) {
      const fn = compile(source);
      const arg = deepFreeze(JSON.parse(JSON.stringify(doc)));
      clear();
      try {
        fn(arg);
        return { ok: JSON.parse(JSON.stringify(rows())) as unknown };
      } catch (e) {
        return error(e);
      }
    },
    reduce(source, keys, values, rereduce) {
      const fn = compile(source);
      const args = JSON.parse(JSON.stringify([keys, values])) as [unknown, unknown];
      try {
        return { ok: JSON.parse(JSON.stringify(fn(args[0], args[1], rereduce))) as unknown };
      } catch (e) {
        return error(e);
      }
    },
  };
}

/** The thrown value as CouchDB reports it: `{forbidden}`/`{unauthorized}`, or an engine error. */
function verdictOf(thrown: unknown): Verdict {
  const t = thrown as { name?: unknown; stack?: unknown; forbidden?: unknown; unauthorized?: unknown } | null;
  if (t && typeof t === 'object' && t.name && t.stack)
    return { engineError: typeof t.name === 'string' ? t.name : 'error' };
  if (t && typeof t.forbidden === 'string') return { forbidden: t.forbidden };
  if (t && typeof t.unauthorized === 'string') return { unauthorized: t.unauthorized };
  return { engineError: `thrown ${JSON.stringify(thrown)}` };
}

function directEngine(): CouchEngine {
  const compiled = new Map<string, ValidateFn>();
  let emitted: unknown[] = [];
  const viewFns = new Map<string, (...args: unknown[]) => unknown>();
  const views = viewRunner(
    (source) => {
      let fn = viewFns.get(source);
      if (!fn) {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        fn = (new Function('emit', `return (${source});`) as (e: unknown) => (...args: unknown[]) => unknown)(
          (k: unknown, v: unknown) => emitted.push([k, v]),
        );
        viewFns.set(source, fn);
      }
      return fn;
    },
    () => emitted,
    () => {
      emitted = [];
    },
  );
  return {
    name: 'direct',
    ...views,
    validate(source, newDoc, oldDoc, userCtx, secObj) {
      let fn = compiled.get(source);
      if (!fn) {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        fn = (new Function(`return (${source});`) as () => ValidateFn)();
        compiled.set(source, fn);
      }
      // Parsed here, as every engine gets JSON: the same input in every mode.
      const args = JSON.parse(JSON.stringify([newDoc, oldDoc, userCtx, secObj])) as Parameters<ValidateFn>;
      try {
        fn(...args);
        return { ok: true };
      } catch (e) {
        return verdictOf(e);
      }
    },
    dispose() {},
  };
}

function realmEngine(): CouchEngine {
  const sandbox = vm.createContext({});
  const compiled = new Map<string, ValidateFn>();
  // The view functions' sandbox, with its own `emit`: documents come from this realm, as in CouchDB.
  const viewSandbox = vm.createContext({});
  vm.runInContext('var __rows = []; var emit = function (k, v) { __rows.push([k, v]); };', viewSandbox);
  const viewFns = new Map<string, (...args: unknown[]) => unknown>();
  const views = viewRunner(
    (source) => {
      let fn = viewFns.get(source);
      if (!fn) {
        fn = vm.runInContext(`(${source})`, viewSandbox) as (...args: unknown[]) => unknown;
        viewFns.set(source, fn);
      }
      return fn;
    },
    () => vm.runInContext('__rows', viewSandbox) as unknown[],
    () => {
      vm.runInContext('__rows = [];', viewSandbox);
    },
  );
  return {
    name: 'realm',
    ...views,
    validate(source, newDoc, oldDoc, userCtx, secObj) {
      let fn = compiled.get(source);
      if (!fn) {
        fn = vm.runInContext(`(${source})`, sandbox) as ValidateFn;
        compiled.set(source, fn);
      }
      // The documents are this realm's (parsed here), the function the sandbox's: as in CouchDB.
      const args = JSON.parse(JSON.stringify([newDoc, oldDoc, userCtx, secObj])) as unknown[];
      try {
        fn.apply({}, args as Parameters<ValidateFn>);
        return { ok: true };
      } catch (e) {
        return verdictOf(e);
      }
    },
    dispose() {},
  };
}

/** couchjs' add_cx_methods: the intrinsics every context gets. */
const COUCHJS_INTRINSICS = { BaseObjects: true, Eval: true, JSON: true, RegExp: true, MapSet: true, Date: true };

/** share/server's Validate.validate and respond(), run in the main context. */
const MAIN_SETUP = `
var Validate = {
  validate: function (fun, ddoc, line) {
    var args = JSON.parse(line);
    try {
      fun.apply(ddoc, args);
      return JSON.stringify(1);
    } catch (error) {
      if (error && error.name && error.stack) return JSON.stringify(['error', error.name, String(error.message)]);
      return JSON.stringify(error);
    }
  }
};
var Views = {
  rows: [],
  emit: function (key, value) { Views.rows.push([key, value]); },
  seal: function (v) {
    if (v && typeof v === 'object') {
      Object.freeze(v);
      for (var k in v) Views.seal(v[k]);
    }
  },
  map: function (fun, line) {
    var doc = JSON.parse(line);
    Views.seal(doc);
    Views.rows = [];
    try {
      fun(doc);
      return JSON.stringify({ ok: Views.rows });
    } catch (error) {
      return JSON.stringify({ engineError: error && error.name ? String(error.name) : JSON.stringify(error) });
    }
  },
  reduce: function (fun, line) {
    var a = JSON.parse(line);
    try {
      return JSON.stringify({ ok: fun(a[0], a[1], a[2]) });
    } catch (error) {
      return JSON.stringify({ engineError: error && error.name ? String(error.name) : JSON.stringify(error) });
    }
  }
};
var sandboxGlobals = {
  emit: Views.emit,
  log: function (message) {},
  toJSON: JSON.stringify,
  isArray: function (obj) { return Object.prototype.toString.call(obj) === '[object Array]'; },
  sum: function (values) { var s = 0; for (var i = 0; i < values.length; i++) s += values[i]; return s; }
};
`;

async function quickjsEngine(): Promise<CouchEngine> {
  const module = await newQuickJSWASMModuleFromVariant(variant);
  const runtime: QuickJSRuntime = module.newRuntime();
  runtime.setMemoryLimit(64 * 1024 * 1024);
  runtime.setMaxStackSize(4 * 1024 * 1024);
  const main: QuickJSContext = runtime.newContext({ intrinsics: COUCHJS_INTRINSICS });
  main.unwrapResult(main.evalCode(MAIN_SETUP)).dispose();
  const validateObject = main.getProp(main.global, 'Validate');
  const validateHandle = main.getProp(validateObject, 'validate');
  validateObject.dispose();
  const ddoc = main.unwrapResult(main.evalCode('({ _id: "_design/kense", language: "javascript" })'));
  const compiled = new Map<string, { ctx: QuickJSContext; fn: QuickJSHandle }>();

  /** evalcx: a new context with only couchjs' intrinsics and the sandbox's globals copied in. */
  const compile = (source: string): QuickJSHandle => {
    const hit = compiled.get(source);
    if (hit) return hit.fn;
    const ctx = runtime.newContext({ intrinsics: COUCHJS_INTRINSICS });
    const globals = main.getProp(main.global, 'sandboxGlobals');
    for (const name of ['log', 'toJSON', 'isArray', 'sum', 'emit', 'JSON']) {
      const value = name === 'JSON' ? main.getProp(main.global, 'JSON') : main.getProp(globals, name);
      ctx.setProp(ctx.global, name, value);
      value.dispose();
    }
    globals.dispose();
    const fn = ctx.unwrapResult(ctx.evalCode(`(${source})`, 'validate_doc_update'));
    compiled.set(source, { ctx, fn });
    return fn;
  };

  const viewsObject = main.getProp(main.global, 'Views');
  const mapHandle = main.getProp(viewsObject, 'map');
  const reduceHandle = main.getProp(viewsObject, 'reduce');
  viewsObject.dispose();
  const runView = (handle: QuickJSHandle, source: string, input: unknown): ViewResult => {
    const fn = compile(source);
    const line = main.newString(JSON.stringify(input));
    try {
      const result = main.callFunction(handle, main.undefined, fn, line);
      if (result.error) {
        const err = main.dump(result.error) as unknown;
        result.error.dispose();
        return { engineError: `dispatcher threw ${JSON.stringify(err)}` };
      }
      const answer = JSON.parse(main.getString(result.value)) as ViewResult;
      result.value.dispose();
      return answer;
    } finally {
      line.dispose();
    }
  };

  return {
    name: 'quickjs',
    map: (source, doc) => runView(mapHandle, source, doc),
    reduce: (source, keys, values, rereduce) => runView(reduceHandle, source, [keys, values, rereduce]),
    validate(source, newDoc, oldDoc, userCtx, secObj) {
      const fn = compile(source);
      const line = main.newString(JSON.stringify([newDoc, oldDoc, userCtx, secObj]));
      try {
        const result = main.callFunction(validateHandle, main.undefined, fn, ddoc, line);
        if (result.error) {
          const err = main.dump(result.error) as unknown;
          result.error.dispose();
          return { engineError: `dispatcher threw ${JSON.stringify(err)}` };
        }
        const answer = JSON.parse(main.getString(result.value)) as unknown;
        result.value.dispose();
        if (answer === 1) return { ok: true };
        if (Array.isArray(answer)) return { engineError: String(answer[1]) };
        return verdictOf(answer);
      } finally {
        line.dispose();
      }
    },
    dispose() {
      for (const { ctx, fn } of compiled.values()) {
        fn.dispose();
        ctx.dispose();
      }
      compiled.clear();
      ddoc.dispose();
      mapHandle.dispose();
      reduceHandle.dispose();
      validateHandle.dispose();
      main.dispose();
      runtime.dispose();
    },
  };
}

/** The three evaluation modes, ready to use (QuickJS loads its WebAssembly module first). */
export async function loadEngines(): Promise<CouchEngine[]> {
  return [directEngine(), realmEngine(), await quickjsEngine()];
}

/** Runs one write through every engine: the verdicts, by engine. */
export function verdicts(
  engines: CouchEngine[],
  source: string,
  newDoc: unknown,
  oldDoc: unknown,
  userCtx: unknown,
  secObj: unknown,
): Record<EngineName, Verdict> {
  const out = {} as Record<EngineName, Verdict>;
  for (const e of engines) out[e.name] = e.validate(source, newDoc, oldDoc, userCtx, secObj);
  return out;
}

/** `null` when accepted, the `forbidden` reason otherwise (an engine error fails the test). */
export function reasonOf(v: Verdict): string | null {
  if ('ok' in v) return null;
  if ('forbidden' in v) return v.forbidden;
  if ('unauthorized' in v) return `unauthorized:${v.unauthorized}`;
  throw new Error(`the validator failed in the engine: ${v.engineError}`);
}
