/**
 * The office hub's process: serves the office database on the LAN (app.ts over storage.ts),
 * provisions itself as central is provisioned (server/provision.ts), relays events with central
 * (relay.ts), copies the office's staff accounts (staffCopy.ts) and answers its health at
 * `GET /_kense/status`. Runs under Electron's own Node as a utility process in the desktop app
 * (bundled to out/hub/server.cjs) and under Node for `npm run hub` and the tests; officeHub.ts
 * starts it either way.
 *
 *   node server.cjs --host 0.0.0.0 --port 5985 --dir /data/hub     (secrets: KENSE_HUB_SPEC, see HubSpec)
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { CATALOG_DB, DESK_DESIGN_DOC_ID, officeDbName, USERS_DB } from '../../shared/couch';
import type { HubHealth, HubHealthError } from '../../shared/hub/health';
import { provision } from '../provision';
import { endWithParent, localUrl } from '../process';
import { validationRules } from '../rules';
import { hubApp } from './app';
import { createHealth } from './health';
import { openLog } from './log';
import { startRelay, tolerantInfo, type Relay } from './relay';
import { HUB_SPEC_ENV, parseHubSpec, type HubSpec } from './spec';
import { MAX_BACKOFF_MS } from '../../shared/couch/backoff';
import { copyStaffAccounts, keepStaffCopied, StaffCopyError } from './staffCopy';
import { HUB_ADAPTER, leveldbAdapter } from './storage';
import { installSha256Verifiers } from './verifiers';
import { hubViews } from './views';
import { keepViewWarm, type ViewWarmer } from './warmer';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '5985' },
    dir: { type: 'string', default: '.hub' },
  },
});

// The secrets come in the environment (never on the command line, which every user can list) and
// leave it at once.
const spec: HubSpec = parseHubSpec(process.env[HUB_SPEC_ENV]);
delete process.env[HUB_SPEC_ENV];

const dir = path.resolve(values.dir);
const port = Number(values.port);
const host = values.host;
mkdirSync(path.join(dir, 'logs'), { recursive: true });
const log = openLog(path.join(dir, 'logs'), { echo: spec.echo ?? false });

installSha256Verifiers();

// express-pouchdb's configuration: the hub's admin (hashed by express-pouchdb when it starts; a
// new random password each start, known to the process that started the hub only), its own log
// silenced (the hub logs what matters to its rotating log instead).
const configPath = path.join(dir, 'config.json');
const kept = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>) : {};
writeFileSync(
  configPath,
  JSON.stringify({ ...kept, admins: { [spec.admin.user]: spec.admin.password }, log: { level: 'none' } }),
);

const BasePouchDB = PouchDB.plugin(httpAdapter).plugin(replication).plugin(hubViews).plugin(leveldbAdapter);
// The hub's own databases, under its data directory. (Central's handles are made without these
// defaults: PouchDB's HTTP adapter would take `prefix` as the start of their URL.)
const HubPouchDB = BasePouchDB.defaults({ prefix: dir + path.sep, adapter: HUB_ADAPTER });

const officeDb = officeDbName(spec.office);
const databases = [USERS_DB, CATALOG_DB, officeDb];
const health = createHealth({ dir, host, port, office: spec.office });
const recordError = (code: HubHealthError): void => health.error(code);

let relay: Relay | null = null;
let warmer: ViewWarmer | null = null;
let ready = false;
let staff: HubHealth['staff'] = spec.service ? { state: 'pending', count: 0, skipped: 0, lastCopyAt: null } : null;

async function status(): Promise<HubHealth | null> {
  if (!ready) return null;
  const r = relay ? await relay.state() : null;
  return health.report({
    central: { reached: r?.reached ?? null, lastReachedAt: r?.lastReachedAt ?? null },
    waiting: r?.waiting ?? { events: 0, since: null },
    staff,
  });
}

let server: Server | null = null;
async function start(): Promise<void> {
  // Central's handles are made, and announced ('created'), before express-pouchdb installs
  // pouchdb-all-dbs: its 'created' listener throws, ending the process, on a remote PouchDB 9
  // database announced without a name.
  const auth = { username: spec.central.user, password: spec.central.password };
  const remote = `${spec.central.url.replace(/\/+$/, '')}/${officeDb}`;
  const central = tolerantInfo(new BasePouchDB(remote, { auth, skip_setup: true }));
  const probe = new BasePouchDB(remote, { auth, skip_setup: true });
  await new Promise((r) => setTimeout(r, 0));
  // The hub's databases exist before anyone can reach it (none is created over HTTP: app.ts).
  for (const name of databases) await new HubPouchDB(name).info();
  const app = await hubApp({
    PouchDB: HubPouchDB as unknown as PouchDB.Static,
    configPath,
    databases,
    onDesk: health.desk,
    ready: () => ready,
    onWriteFailed: () => recordError('storage'),
    adminUser: spec.admin.user,
    status,
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server = app.listen(port, host, resolve);
    server.once('error', reject);
  });
  const url = localUrl(host, port);
  await provision({
    url,
    user: spec.admin.user,
    password: spec.admin.password,
    offices: [spec.office],
    rules: spec.rules ?? validationRules(),
    version: spec.version ?? 'hub',
    log: (l) => log(`provision: ${l}`),
    // Its `_users` holds copies of the office's verifiers: for the hub's own admin only.
    usersOf: 'hub',
    centralViews: false,
  });
  // The relay's own handle on the office database, from the PouchDB that express-pouchdb has not
  // wrapped: its security wrappers turn replicate() into a promise, losing the replication's
  // events. Same LevelDB store (same path), so each sees the other's writes at once.
  const local = new BasePouchDB(path.join(dir, officeDb), { adapter: HUB_ADAPTER });
  {
    relay = startRelay({
      local,
      central,
      probe,
      ...(spec.maxBackoffMs ? { maxBackoffMs: spec.maxBackoffMs } : {}),
      ...(spec.batchSize ? { batchSize: spec.batchSize } : {}),
      log,
      onError: recordError,
    });
  }
  // The desks' view, built ahead of the desks that read it (through the server, whose view engine
  // queues its own queries and builds: one build at a time).
  const adminAuth = 'Basic ' + Buffer.from(`${spec.admin.user}:${spec.admin.password}`).toString('base64');
  warmer = keepViewWarm({
    seq: async () => (await local.info()).update_seq,
    build: async () => {
      const res = await fetch(`${url}/${officeDb}/${DESK_DESIGN_DOC_ID}/_view/apps?reduce=false&limit=0`, {
        headers: { authorization: adminAuth },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    },
    ...(spec.viewWarmMs ? { everyMs: spec.viewWarmMs } : {}),
    log,
  });
  // Desks are let in once the office's staff accounts have been copied (or could not be).
  if (spec.service) await startStaffCopy(url);
  ready = true;
  log(`serving ${officeDb} at http://${host}:${port}/ (data in ${dir}), relaying with ${spec.central.url}`);
}

let staffCopier: { stop: () => Promise<void> } | null = null;
function startStaffCopy(url: string): Promise<void> {
  const service = spec.service;
  const central = spec.central;
  if (!service) return Promise.resolve();
  const copy = (): Promise<boolean> =>
    copyStaffAccounts({
      office: spec.office,
      service: { url: service.url, user: central.user, password: central.password },
      hub: { url, ...spec.admin },
    })
      .then((r) => {
        if (r.changed || staff?.state !== 'copied') log(`staff accounts copied from central: ${r.copied}`);
        staff = { state: 'copied', count: r.copied, skipped: r.skipped.length, lastCopyAt: Date.now() };
        return true;
      })
      .catch((e: unknown) => {
        const reason = e instanceof StaffCopyError ? e.reason : 'unreachable';
        if (staff?.state !== reason) log(`staff accounts cannot be copied from central: ${String(e)}`);
        recordError('staffCopy');
        // The accounts copied last time stay: desks keep signing in while central is away.
        staff = {
          state: reason,
          count: staff?.count ?? 0,
          skipped: staff?.skipped ?? 0,
          lastCopyAt: staff?.lastCopyAt ?? null,
        };
        return false;
      });
  const copier = keepStaffCopied({
    copy,
    refreshMs: spec.staffRefreshMs ?? 60_000,
    maxBackoffMs: spec.maxBackoffMs ?? MAX_BACKOFF_MS,
  });
  staffCopier = copier;
  return copier.first;
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await relay?.stop().catch(() => undefined);
  await warmer?.stop();
  await staffCopier?.stop();
  // Every acknowledged write is already on disk (storage.ts syncs each one); close() alone would
  // wait for the desks' long-poll feeds to end.
  server?.closeAllConnections();
  server?.close();
  log('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
endWithParent(() => void stop());
// Electron's utility process: the parent asks it to stop with a message (see officeHub.ts).
(process as unknown as { parentPort?: { on: (e: string, f: (m: { data: unknown }) => void) => void } }).parentPort?.on(
  'message',
  (m) => {
    if (m.data === 'stop') void stop();
  },
);

start().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  const reason = err.code === 'EADDRINUSE' ? `port ${port} is in use` : (err.stack ?? String(e));
  log(`cannot start: ${reason}`);
  console.error(`[hub server] cannot start: ${reason}`);
  process.exit(1);
});
