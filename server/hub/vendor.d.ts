/** The parts of untyped packages that the office hub uses. */

declare module 'leveldown' {
  const leveldown: (location: string) => object;
  export default leveldown;
}

declare module 'pouchdb-adapter-leveldb-core' {
  /** PouchDB's LevelDB adapter, called as a constructor on the adapter's instance (`db`: a leveldown factory). */
  const CoreLevelPouch: {
    call: (self: unknown, opts: Record<string, unknown>, callback: (err?: Error | null) => void) => void;
  };
  export default CoreLevelPouch;
}

declare module 'pouchdb-abstract-mapreduce' {
  /** PouchDB's view engine: indexes and queries with the given map and reduce compilers. */
  type ViewFunction = (...args: unknown[]) => unknown;
  interface Engine {
    query: (this: unknown, fun: unknown, opts: unknown, callback: unknown) => Promise<unknown>;
    viewCleanup: (this: unknown, callback: unknown) => Promise<unknown>;
  }
  const createAbstractMapReduce: (
    localDocName: string,
    mapper: (source: unknown, emit: (key: unknown, value?: unknown) => void) => (doc: unknown) => void,
    reducer: (source: unknown) => ViewFunction,
    ddocValidator: (ddoc: never, viewName: string) => void,
  ) => Engine;
  export default createAbstractMapReduce;
}

declare module 'express-pouchdb' {
  import type { Express } from 'express';
  interface CouchConfig {
    get: (section: string, key: string) => unknown;
  }
  interface ExpressPouchDBApp extends Express {
    setPouchDB: (PouchDB: PouchDB.Static) => Promise<void>;
    couchConfig: CouchConfig;
  }
  const expressPouchDB: (opts: {
    configPath?: string;
    logPath?: string;
    mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom';
    overrideMode?: { include?: string[]; exclude?: string[] };
  }) => ExpressPouchDBApp;
  export default expressPouchDB;
}

declare module 'pouchdb-auth/lib/utils' {
  /** A CommonJS module's exports object: assigning to it replaces the function pouchdb-auth calls. */
  const utils: { hashPassword: (password: string, salt: string, iterations: number) => Promise<string> };
  export default utils;
}
