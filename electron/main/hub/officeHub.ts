/**
 * The embedded office hub, for offices without a server of their own: a CouchDB-protocol replica
 * of the office database on the LAN (pouchdb-server, provisioned by the same script as central),
 * so that desks in one office keep routing applications among themselves while the uplink is down,
 * replicating with central, both ways, whenever central is reachable.
 *
 * One module for both ways of running it: headless (`npm run hub`, scripts/hub.ts) and inside the
 * desktop app (electron/main/hub/hubService.ts), where the server runs under Electron's own Node.
 * Its storage is `logdown.cjs` (pure JavaScript, durable): no native module, so nothing to rebuild
 * for Electron's ABI.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { officeDbName, type ValidationRules } from '../../../shared/couch';
import { startCentral, type Central, type LaunchServer } from '../../../scripts/central';
import { copyStaffAccounts, StaffCopyError } from './staffCopy';

PouchDB.plugin(httpAdapter).plugin(replication);

export interface HubOptions {
  office: string;
  port: number;
  host?: string;
  dir: string;
  /**
   * Central, and the account the hub replicates as: the office's hub account (roles `kense_hub`
   * and `office:<CODE>`, scripts/provision.ts putHubUser), which central lets relay the office's
   * events by every colleague, and nothing else. A server admin works too, but is not needed.
   */
  central: { url: string; user: string; password: string };
  /**
   * The Kense central service (server/central), from which the office's staff accounts are copied
   * to the hub (staffCopy.ts), asked as the hub account above, so that desks sign in to the hub
   * with the same login. Without it, nothing is copied: staff accounts are then created on the
   * hub itself.
   */
  service?: { url: string };
  /** How often the staff accounts are copied again (password changes, new and departed staff), ms. */
  staffRefreshMs?: number;
  quiet?: boolean;
  /** Back-off cap for reconnecting to central, ms. */
  maxBackoffMs?: number;
  rules?: ValidationRules;
  /**
   * The hub server's own admin. Default: a random password made at each start, known to this
   * process only (it alone needs it: to provision the hub and replicate); the hub listens on the
   * LAN, where a well-known admin password would let anyone write events the hub then relays.
   */
  admin?: { user: string; password: string };
  /** How the hub's server process starts: a Node child by default; Electron passes a utility process. */
  launch?: LaunchServer;
  /**
   * The hub's server script: hubServer.cjs from the sources by default; the desktop app passes
   * its bundle (out/hub/server.cjs), which needs no node_modules.
   */
  serverScript?: string;
}

export interface HubStatus {
  uplink: 'connecting' | 'online' | 'offline';
  lastSyncAt: number | null;
  lastError: string | null;
  staff: StaffStatus;
}

/** The last copy of staff accounts from central (`off`: no central service given). */
export interface StaffStatus {
  state: 'off' | 'pending' | 'copied' | 'refused' | 'unreachable';
  /** The office's accounts on the hub after the last good copy. */
  count: number;
  /** Logins the hub cannot verify (CouchDB 3.4's SHA-256 hashes), left out. */
  skipped: string[];
  lastCopyAt: number | null;
}

export interface Hub {
  url: string;
  status: () => HubStatus;
  /** Copies the staff accounts now (also done at start and every staffRefreshMs). */
  refreshStaff: () => Promise<StaffStatus>;
  stop: () => Promise<void>;
}

/** The hub's server in the sources (a file beside this one); the app runs its bundle instead. */
export function hubServerSourcePath(): string {
  return createRequire(import.meta.url).resolve('./hubServer.cjs');
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
  const admin = opts.admin ?? { user: 'admin', password: randomBytes(24).toString('base64url') };
  const server: Central = await startCentral({
    admin,
    port: opts.port,
    dir: opts.dir,
    offices: [opts.office],
    quiet: opts.quiet ?? false,
    host: opts.host,
    rules: opts.rules,
    server: opts.serverScript ?? hubServerSourcePath(),
    launch: opts.launch,
    // Its `_users` holds copies of the office's verifiers: for the hub's own admin only.
    usersOf: 'hub',
  });
  const db = officeDbName(opts.office);
  const centralBase = opts.central.url.replace(/\/+$/, '');
  const centralAuth = { username: opts.central.user, password: opts.central.password };
  const adminAuth = { username: admin.user, password: admin.password };
  // Tolerant too: a replication cancelled at stop may still ask the hub's own server, just stopped.
  const local = tolerantInfo(new PouchDB(`${server.url}/${db}`, { auth: adminAuth, skip_setup: true }));
  const upstream = new PouchDB(`${centralBase}/${db}`, { auth: centralAuth, skip_setup: true });
  // The replication's own handle on central (the probe below must see failures as they are).
  const uplink = tolerantInfo(new PouchDB(`${centralBase}/${db}`, { auth: centralAuth, skip_setup: true }));
  let status: Omit<HubStatus, 'staff'> = { uplink: 'connecting', lastSyncAt: null, lastError: null };
  const log = (line: string): void => {
    if (!opts.quiet) console.warn(`[hub] ${line}`);
  };
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const backOff = (d: number): number => (d === 0 ? 1000 : Math.min(maxBackoff, d * 2));
  const sync = local.sync(uplink, { live: true, retry: true, back_off_function: backOff });
  const ended = new Promise<void>((resolve) => {
    void sync.on('complete', () => resolve());
  });

  // Staff accounts, one way: central is where they are managed.
  let staff: StaffStatus = {
    state: opts.service ? 'pending' : 'off',
    count: 0,
    skipped: [],
    lastCopyAt: null,
  };
  const service = opts.service;
  let copying: Promise<StaffStatus> | null = null;
  const copyStaff = (): Promise<StaffStatus> => {
    if (!service) return Promise.resolve(staff);
    // One copy at a time: a refresh asked for during one joins it.
    copying ??= copyStaffAccounts({
      office: opts.office,
      service: { url: service.url, user: opts.central.user, password: opts.central.password },
      hub: { url: server.url, ...admin },
    })
      .then((r) => {
        if (r.changed || staff.state !== 'copied') {
          log(`staff accounts copied from central: ${r.copied}`);
          if (r.skipped.length) log(`staff accounts the hub cannot verify (SHA-256 hashes): ${r.skipped.join(', ')}`);
        }
        staff = { state: 'copied', count: r.copied, skipped: r.skipped, lastCopyAt: Date.now() };
        return staff;
      })
      .catch((e: unknown) => {
        const reason = e instanceof StaffCopyError ? e.reason : 'unreachable';
        if (staff.state !== reason) log(`staff accounts cannot be copied from central: ${String(e)}`);
        // The accounts copied last time stay: desks keep signing in while central is away.
        staff = { ...staff, state: reason };
        return staff;
      })
      .finally(() => {
        copying = null;
      });
    return copying;
  };
  void copyStaff();
  const staffTimer = service ? setInterval(() => void copyStaff(), opts.staffRefreshMs ?? 60_000) : null;

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
    status: () => ({ ...status, staff }),
    refreshStaff: copyStaff,
    stop: async () => {
      clearInterval(timer);
      if (staffTimer) clearInterval(staffTimer);
      sync.cancel();
      // The server stops once the replication has let go of it (its requests in flight would fail
      // unhandled otherwise); a replication that never says so is not waited for long.
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await copying;
      await server.stop();
    },
  };
}
