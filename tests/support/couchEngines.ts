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

export interface CouchEngine {
  name: EngineName;
  /** The verdict of `source` on one write; `ddoc` is the design document it belongs to. */
  validate(source: string, newDoc: unknown, oldDoc: unknown, userCtx: unknown, secObj: unknown): Verdict;
  dispose(): void;
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
  return {
    name: 'direct',
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
  return {
    name: 'realm',
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
var sandboxGlobals = {
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
    for (const name of ['log', 'toJSON', 'isArray', 'sum', 'JSON']) {
      const value = name === 'JSON' ? main.getProp(main.global, 'JSON') : main.getProp(globals, name);
      ctx.setProp(ctx.global, name, value);
      value.dispose();
    }
    globals.dispose();
    const fn = ctx.unwrapResult(ctx.evalCode(`(${source})`, 'validate_doc_update'));
    compiled.set(source, { ctx, fn });
    return fn;
  };

  return {
    name: 'quickjs',
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
