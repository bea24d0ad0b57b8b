/**
 * The office hub's storage: PouchDB 9 on LevelDB on disk (pouchdb-adapter-leveldb-core over
 * leveldown), so the office database lives on disk and only LevelDB's caches are in memory,
 * whatever its size.
 *
 * Why leveldown and not classic-level (its successor): PouchDB's LevelDB adapter is written for
 * leveldown's abstract-leveldown interface, which classic-level no longer offers. leveldown ships
 * N-API prebuilt binaries (prebuilds/<platform>-<arch>/node.napi.node) that Electron's Node loads as
 * they are, so nothing is rebuilt per Electron release; the hub's bundle carries them (bundle.ts).
 *
 * Durability: every write is synced (LevelDB's `sync` write option, i.e. fsync of its log) before
 * PouchDB acknowledges it, so an acknowledged write survives the hub's process being killed and
 * the computer losing power. LevelDB's default is not to sync, which survives a killed process (the
 * write is in the OS's cache) but not a power cut.
 */
import leveldown from 'leveldown';
import CoreLevelPouch from 'pouchdb-adapter-leveldb-core';

type Callback = (err?: Error | null) => void;
interface WriteOptions {
  sync?: boolean;
  [k: string]: unknown;
}
/** The abstract-leveldown methods that write (what leveldown's instances expose to levelup). */
interface Down {
  _put: (key: unknown, value: unknown, options: WriteOptions, cb: Callback) => void;
  _del: (key: unknown, options: WriteOptions, cb: Callback) => void;
  _batch: (ops: unknown[], options: WriteOptions, cb: Callback) => void;
}

/** A leveldown whose every write is synced to disk before it is acknowledged. */
export function syncedLeveldown(location: string): Down {
  const db = leveldown(location) as unknown as Down;
  const put = db._put.bind(db);
  const del = db._del.bind(db);
  const batch = db._batch.bind(db);
  db._put = (key, value, options, cb) => put(key, value, { ...options, sync: true }, cb);
  db._del = (key, options, cb) => del(key, { ...options, sync: true }, cb);
  db._batch = (ops, options, cb) => batch(ops, { ...options, sync: true }, cb);
  return db;
}

/**
 * LevelDB's options for the hub's databases. LevelDB reads its table files through `mmap` (up to a
 * thousand of them), and every page it has read of a mapped file counts in the process's resident
 * memory: a hub that had served its whole database to a desk held all of it there (231 MB of 202 MB
 * of data in the bench), growing with the office. Mapped files are the open tables, so fewer open
 * files, and smaller ones, bound it: LevelDB keeps `maxOpenFiles` − 10 tables open (64, the least it
 * takes) of up to `maxFileSize` each (1 MB; LevelDB's default is 2 MB), the rest reopened when read.
 * Each database also keeps a cache of decompressed blocks (`cacheSize`, 8 MB by default, in the
 * process's own memory): the hub reads mostly in order (a desk's download, the relay's feeds), which
 * a cache barely serves, so 2 MB each (the peak some 5 MB lower at 5,000 applications; docs/performance/office-hub.md).
 */
export const LEVELDB_OPTIONS = { maxOpenFiles: 74, maxFileSize: 1024 * 1024, cacheSize: 2 * 1024 * 1024 } as const;

/** The adapter's name: databases are opened with `{ adapter: HUB_ADAPTER }` (the default of the hub's PouchDB). */
export const HUB_ADAPTER = 'kense-leveldb';

/**
 * Registers the adapter on a PouchDB constructor: PouchDB's own LevelDB adapter with the synced
 * leveldown (what pouchdb-adapter-leveldb does, less its migration of PouchDB 2 data directories,
 * which a hub never had).
 */
export function leveldbAdapter(PouchDB: PouchDB.Static): void {
  function LevelPouch(this: unknown, opts: Record<string, unknown>, callback: Callback): void {
    CoreLevelPouch.call(this, { ...LEVELDB_OPTIONS, ...opts, db: syncedLeveldown }, callback);
  }
  LevelPouch.valid = (): boolean => true;
  LevelPouch.use_prefix = false;
  (PouchDB as unknown as { adapter: (name: string, a: unknown, preferred: boolean) => void }).adapter(
    HUB_ADAPTER,
    LevelPouch,
    true,
  );
}
