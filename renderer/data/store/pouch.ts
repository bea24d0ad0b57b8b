import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import idbAdapter from 'pouchdb-adapter-idb';
import indexeddbAdapter from 'pouchdb-adapter-indexeddb';
import find from 'pouchdb-find';
import replication from 'pouchdb-replication';
import { guardRisingVersions } from './idbVersion';

// The adapter's clock-made versions, never below the database's (idbVersion.ts): wherever it runs.
if (typeof indexedDB !== 'undefined') guardRisingVersions(indexedDB);

/**
 * PouchDB for the desk. The office database uses the `indexeddb` adapter: faster than the older
 * `idb` one in most measurements and the only one with `purge()` (needed to clear closed cases
 * from home-visit laptops). `idb` is registered only so the benchmark can compare the two;
 * there is no migration between them except replicating into a new database.
 */
PouchDB.plugin(indexeddbAdapter).plugin(idbAdapter).plugin(httpAdapter).plugin(replication).plugin(find);

export type LocalAdapter = 'indexeddb' | 'idb';
export const DEFAULT_ADAPTER: LocalAdapter = 'indexeddb';

export { PouchDB };
