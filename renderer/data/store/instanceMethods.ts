/**
 * Replacing a PouchDB instance's methods (the sealed layer, seal/sealedDb.ts; the write watch,
 * writes.ts): on the instance, so that PouchDB's own internal calls go through the replacement too.
 */
export type AnyFn = (...args: unknown[]) => unknown;
type Callback = (err: unknown, res?: unknown) => void;

/** Promise-or-callback, as PouchDB's own methods are called internally (callbacks) and by us (promises). */
export function withCallback(run: (args: unknown[]) => Promise<unknown>): AnyFn {
  return (...args: unknown[]) => {
    const cb = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : null;
    const p = run(args);
    if (cb) {
      p.then(
        (r) => cb(null, r),
        (e: unknown) => cb(e),
      );
      return undefined;
    }
    return p;
  };
}
