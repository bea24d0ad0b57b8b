/**
 * Chromium (≥ 121) acknowledges IndexedDB writes with *relaxed* durability: a committed
 * transaction may sit in OS buffers for seconds, and a power cut loses it. PouchDB never asks for
 * anything else. For the office database an acknowledged append must survive a power cut, so
 * every read-write transaction that PouchDB opens on it is upgraded to `durability: 'strict'`
 * (the commit then waits for the data to reach the disk).
 */
const PATCHED = Symbol.for('kense.strictDurability');
const ABORTS = Symbol.for('kense.abortCauses');
const RELAXED = Symbol.for('kense.relaxedWhile');

type TransactionFn = (
  this: IDBDatabase,
  storeNames: string | string[],
  mode?: IDBTransactionMode,
  options?: IDBTransactionOptions,
) => IDBTransaction;

type PatchedProto = IDBDatabase & {
  [PATCHED]?: (name: string) => boolean;
  [ABORTS]?: Map<string, { error: DOMException; at: number }>;
  /** Databases whose writes are relaxed for now, and how many callers asked. */
  [RELAXED]?: Map<string, number>;
};

function abortCauses(): Map<string, { error: DOMException; at: number }> {
  const proto = IDBDatabase.prototype as PatchedProto;
  return (proto[ABORTS] ??= new Map<string, { error: DOMException; at: number }>());
}

/** A cause older than this is not the cause of the failure at hand. */
const ABORT_CAUSE_TTL_MS = 30_000;

/**
 * Why the last read-write transaction of a strict database aborted (a full disk aborts the commit
 * with QuotaExceededError), taken once. PouchDB's indexeddb adapter reports an aborted transaction
 * only as `unknown_error`, without its cause. (It is not cleared by a later commit: after an abort
 * PouchDB reopens the database, and that commits before the failure reaches its caller.)
 */
export function takeAbortCause(idbName: string): DOMException | null {
  const causes = abortCauses();
  const cause = causes.get(idbName);
  causes.delete(idbName);
  return cause && Date.now() - cause.at < ABORT_CAUSE_TTL_MS ? cause.error : null;
}

/** Databases whose read-write transactions must be strict: PouchDB names them `_pouch_<name>`. */
export function enforceStrictDurability(isStrict: (dbName: string) => boolean): void {
  const proto = IDBDatabase.prototype as PatchedProto;
  if (proto[PATCHED]) {
    const previous = proto[PATCHED];
    proto[PATCHED] = (name) => previous(name) || isStrict(name);
    return;
  }
  proto[PATCHED] = isStrict;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the right `this` below
  const original = proto.transaction as TransactionFn;
  const patched: TransactionFn = function (storeNames, mode, options) {
    if (mode !== 'readwrite' || !(proto[PATCHED]?.(this.name) ?? false))
      return original.call(this, storeNames, mode, options);
    // A relaxed write (relaxedWhile) keeps the browser's default; its abort's cause is kept all the same.
    const strict = !proto[RELAXED]?.get(this.name) && options?.durability === undefined;
    const tx = original.call(this, storeNames, mode, strict ? { ...options, durability: 'strict' } : options);
    const name = this.name;
    tx.addEventListener('abort', () => {
      if (tx.error) abortCauses().set(name, { error: tx.error, at: Date.now() });
    });
    return tx;
  };
  proto.transaction = patched as IDBDatabase['transaction'];
}

/**
 * Runs `task` with the read-write transactions of database `idbName` left at the browser's relaxed
 * durability: for documents downloaded from a server, which hold them already (a power cut loses
 * at most what is downloaded again). The caller keeps every other writer of that database out for
 * the duration (officeDb.ts `writeReplicated` runs in the queue the desk's appends take), so the
 * desk's own appends stay strict.
 */
export async function relaxedWhile<T>(idbName: string, task: () => Promise<T>): Promise<T> {
  const proto = IDBDatabase.prototype as PatchedProto;
  const relaxed = (proto[RELAXED] ??= new Map<string, number>());
  relaxed.set(idbName, (relaxed.get(idbName) ?? 0) + 1);
  try {
    return await task();
  } finally {
    const n = (relaxed.get(idbName) ?? 1) - 1;
    if (n > 0) relaxed.set(idbName, n);
    else relaxed.delete(idbName);
  }
}

/** The IndexedDB database behind the PouchDB database `name`. */
export const pouchIdbName = (name: string): string => `_pouch_${name}`;

export const isPouchDbNamed =
  (name: string) =>
  (idbName: string): boolean =>
    idbName === pouchIdbName(name);
