/**
 * `npm run hub`: the office hub for offices without a server of their own. It serves the office
 * database on the LAN (a CouchDB-protocol replica, provisioned like central) so that desks in one
 * office keep routing applications among themselves while the uplink is down, and it replicates
 * with central, both ways, whenever central is reachable.
 *
 *   npm run hub -- --office ALM01 --central http://127.0.0.1:5984 --port 5985 --host 0.0.0.0
 *
 * Central's credentials come from KENSE_CENTRAL_USER / KENSE_CENTRAL_PASSWORD.
 */
import { parseArgs } from 'node:util';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { officeDbName, type ValidationRules } from '../shared/couch';
import { DEV_ADMIN, startCentral, type Central } from './central';

PouchDB.plugin(httpAdapter).plugin(replication);

export interface HubOptions {
  office: string;
  port: number;
  host?: string;
  dir: string;
  central: { url: string; user: string; password: string };
  quiet?: boolean;
  /** Back-off cap for reconnecting to central, ms. */
  maxBackoffMs?: number;
  rules?: ValidationRules;
}

export interface HubStatus {
  uplink: 'connecting' | 'online' | 'offline';
  lastSyncAt: number | null;
  lastError: string | null;
}

export interface Hub {
  url: string;
  status: () => HubStatus;
  stop: () => Promise<void>;
}

/**
 * pouchdb-replication asks its source for info after every batch, for progress counters only, and
 * never handles a failure (`src.info().then(…)` in finishBatch): when the uplink drops just then,
 * the rejection goes unhandled, and Node ends the hub's process. This handle answers info() from
 * the last good reply while central cannot be asked; everything else fails as it would.
 */
function tolerantInfo(db: PouchDB.Database): PouchDB.Database {
  const info = db.info.bind(db);
  let last: PouchDB.Core.DatabaseInfo | null = null;
  db.info = async () => {
    try {
      last = await info();
      return last;
    } catch (e) {
      if (last) return last;
      throw e;
    }
  };
  return db;
}

export async function startHub(opts: HubOptions): Promise<Hub> {
  // The hub's own server is the same CouchDB-protocol stand-in, provisioned by the same script.
  const server: Central = await startCentral({
    port: opts.port,
    dir: opts.dir,
    offices: [opts.office],
    quiet: opts.quiet ?? false,
    host: opts.host,
    rules: opts.rules,
  });
  const db = officeDbName(opts.office);
  const local = new PouchDB(`${server.url}/${db}`, {
    auth: { username: DEV_ADMIN.user, password: DEV_ADMIN.password },
    skip_setup: true,
  });
  const upstream = new PouchDB(`${opts.central.url.replace(/\/+$/, '')}/${db}`, {
    auth: { username: opts.central.user, password: opts.central.password },
    skip_setup: true,
  });
  // The replication's own handle on central (the probe below must see failures as they are).
  const uplink = tolerantInfo(
    new PouchDB(`${opts.central.url.replace(/\/+$/, '')}/${db}`, {
      auth: { username: opts.central.user, password: opts.central.password },
      skip_setup: true,
    }),
  );
  let status: HubStatus = { uplink: 'connecting', lastSyncAt: null, lastError: null };
  const log = (line: string): void => {
    if (!opts.quiet) console.warn(`[hub] ${line}`);
  };
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const sync = local.sync(uplink, {
    live: true,
    retry: true,
    back_off_function: (d: number) => (d === 0 ? 1000 : Math.min(maxBackoff, d * 2)),
  });
  const probe = async (): Promise<void> => {
    try {
      await upstream.info();
      if (status.uplink !== 'online') log('uplink to central is up');
      status = { uplink: 'online', lastSyncAt: Date.now(), lastError: null };
    } catch (e) {
      if (status.uplink !== 'offline') log('uplink to central is down; desks keep working through the hub');
      status = { ...status, uplink: 'offline', lastError: (e as Error).message ?? String(e) };
    }
  };
  void sync
    .on('paused', () => void probe())
    .on('active', () => {
      status = { ...status, uplink: 'online' };
    })
    .on('denied', (err: unknown) => log(`central refused a document: ${JSON.stringify(err)}`))
    .on('error', (err: unknown) => {
      status = { ...status, uplink: 'offline', lastError: String(err) };
      log(`replication stopped: ${String(err)}`);
    });
  const timer = setInterval(() => void probe(), 10_000);
  log(`serving ${db} at ${server.url}, replicating with ${opts.central.url}`);
  return {
    url: server.url,
    status: () => status,
    stop: async () => {
      clearInterval(timer);
      sync.cancel();
      await server.stop();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      office: { type: 'string' },
      central: { type: 'string', default: 'http://127.0.0.1:5984' },
      port: { type: 'string', default: '5985' },
      host: { type: 'string', default: '127.0.0.1' },
      dir: { type: 'string', default: '.hub' },
    },
  });
  if (!values.office) {
    console.error('usage: npm run hub -- --office CODE [--central URL] [--port 5985] [--host 0.0.0.0] [--dir .hub]');
    process.exit(2);
  }
  const hub = await startHub({
    office: values.office.toUpperCase(),
    port: Number(values.port),
    host: values.host,
    dir: values.dir,
    central: {
      url: values.central,
      user: process.env['KENSE_CENTRAL_USER'] ?? DEV_ADMIN.user,
      password: process.env['KENSE_CENTRAL_PASSWORD'] ?? DEV_ADMIN.password,
    },
  });
  const shutdown = (): void => void hub.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
