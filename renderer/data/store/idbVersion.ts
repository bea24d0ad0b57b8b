/**
 * PouchDB's `indexeddb` adapter opens its database at a version made from the clock
 * (`2·10^13 + Date.now()`, its `createIdbVersion`): at the first open in a context and at every
 * reopen (`_freshen`: a missing native index, the replica writer's turns). IndexedDB refuses a
 * version lower than the database's (`VersionError`), so a desk whose clock was set back — a flat
 * CMOS battery, a correction after it ran fast — by more than the time since the replica was last
 * opened could not open its replica at all: every read and write failed until the clock passed the
 * old time again (apache/pouchdb#8639, open).
 *
 * So `indexedDB.open` is guarded in every context that runs the adapter (store/pouch.ts): a version
 * in the adapter's range is raised above the highest this context has seen of that database, and
 * one refused all the same (another context, or an earlier run, went higher) is asked again just
 * above the database's version, read by an open without a version. The adapter still gets the
 * upgrade it asked for (its native indexes are kept up as it means to) and never sees the refusal.
 * Only the request's `on…` handlers are carried over to the request asked again: the adapter uses
 * nothing else.
 */

/** The adapter's versions are `10^13 × its schema version + time`; Dexie's and others' are small. */
const ADAPTER_VERSIONS = 1e13;
/** Versions asked again after a refusal, each time above the database's: another context may go higher meanwhile. */
const RETRIES = 3;
const GUARDED = Symbol.for('kense.risingVersions');

const HANDLERS = ['onsuccess', 'onerror', 'onupgradeneeded', 'onblocked'] as const;
type HandlerName = (typeof HANDLERS)[number];
type Handler = ((this: IDBOpenDBRequest, ev: Event) => unknown) | null;
const isHandler = (p: PropertyKey): p is HandlerName => (HANDLERS as readonly PropertyKey[]).includes(p);

type Open = (name: string, version?: number) => IDBOpenDBRequest;

/**
 * An open of `name` at `version` or, refused, above the database's version: one request as its
 * caller sees it, whichever request is under way behind it.
 */
function risingOpen(open: Open, name: string, version: number, seen: (v: number) => void): IDBOpenDBRequest {
  const handlers: Partial<Record<HandlerName, Handler>> = {};
  let retries = RETRIES;
  /** The request under way: the first, or the one asked again. */
  let current: IDBOpenDBRequest;
  const call = (h: HandlerName, e: Event): void => {
    handlers[h]?.call(proxy, e);
  };
  const attach = (req: IDBOpenDBRequest): IDBOpenDBRequest => {
    current = req;
    req.onupgradeneeded = (e) => call('onupgradeneeded', e);
    req.onblocked = (e) => call('onblocked', e);
    req.onsuccess = (e) => {
      seen(req.result.version);
      call('onsuccess', e);
    };
    req.onerror = (e) => {
      if (req.error?.name !== 'VersionError' || retries-- <= 0) return call('onerror', e);
      e.preventDefault();
      probe();
    };
    return req;
  };
  /** The database's version, read by an open without one; then the open again, just above it. */
  const probe = (): void => {
    const p = open(name);
    // Gone meanwhile: the probe must not make it (at version 1, which the adapter takes for another
    // adapter's); the open as first asked then makes it.
    p.onupgradeneeded = () => p.transaction?.abort();
    p.onsuccess = () => {
      const db = p.result;
      seen(db.version);
      db.close();
      attach(open(name, db.version + 1));
    };
    p.onerror = (e) => {
      e.preventDefault();
      attach(open(name, version));
    };
  };
  const first = attach(open(name, version));
  const proxy = new Proxy(first, {
    get(_, p) {
      if (isHandler(p)) return handlers[p] ?? null;
      const v = Reflect.get(current, p, current) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v;
    },
    set(_, p, v) {
      if (isHandler(p)) handlers[p] = v as Handler;
      else Reflect.set(current, p, v, current);
      return true;
    },
  });
  return proxy;
}

/** Guards `factory.open` (once per context): the adapter's versions only ever rise. */
export function guardRisingVersions(factory: IDBFactory): void {
  const guarded = factory as IDBFactory & { [GUARDED]?: true };
  if (guarded[GUARDED]) return;
  guarded[GUARDED] = true;
  const open: Open = (name, version) => IDBFactory.prototype.open.call(factory, name, version);
  const highest = new Map<string, number>();
  factory.open = (name: string, version?: number): IDBOpenDBRequest => {
    if (version === undefined || version < ADAPTER_VERSIONS) return open(name, version);
    const known = highest.get(name) ?? 0;
    return risingOpen(open, name, Math.max(version, known + 1), (v) => {
      highest.set(name, Math.max(highest.get(name) ?? 0, v));
    });
  };
}
