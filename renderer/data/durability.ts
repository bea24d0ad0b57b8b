/**
 * Chromium (≥ 121) acknowledges IndexedDB writes with *relaxed* durability: a committed
 * transaction may sit in OS buffers for seconds, and a power cut loses it. PouchDB never asks for
 * anything else. For the office database an acknowledged append must survive a power cut, so
 * every read-write transaction that PouchDB opens on it is upgraded to `durability: 'strict'`
 * (the commit then waits for the data to reach the disk).
 */
const PATCHED = Symbol.for('kense.strictDurability');

type TransactionFn = (
  this: IDBDatabase,
  storeNames: string | string[],
  mode?: IDBTransactionMode,
  options?: IDBTransactionOptions,
) => IDBTransaction;

/** Databases whose read-write transactions must be strict: PouchDB names them `_pouch_<name>`. */
export function enforceStrictDurability(isStrict: (dbName: string) => boolean): void {
  const proto = IDBDatabase.prototype as IDBDatabase & { [PATCHED]?: (name: string) => boolean };
  if (proto[PATCHED]) {
    const previous = proto[PATCHED];
    proto[PATCHED] = (name) => previous(name) || isStrict(name);
    return;
  }
  proto[PATCHED] = isStrict;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the right `this` below
  const original = proto.transaction as TransactionFn;
  const patched: TransactionFn = function (storeNames, mode, options) {
    const strict = mode === 'readwrite' && (proto[PATCHED]?.(this.name) ?? false);
    if (strict && options?.durability === undefined) {
      return original.call(this, storeNames, mode, { ...options, durability: 'strict' });
    }
    return original.call(this, storeNames, mode, options);
  };
  proto.transaction = patched as IDBDatabase['transaction'];
}

export const isPouchDbNamed =
  (name: string) =>
  (idbName: string): boolean =>
    idbName === `_pouch_${name}`;
