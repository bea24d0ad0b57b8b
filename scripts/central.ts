/**
 * `npm run central`: a CouchDB-protocol stand-in for the central server, for development and tests
 * only (pouchdb-server on disk, loopback only), provisioned by the same script as production.
 *
 *   npm run central -- --port 5984 --dir .central --offices ALM01,KZO01
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  parseStaffList,
  provision,
  putHubUser,
  putOfficeProfile,
  putStaffDirectoryEntry,
  putStaffUser,
  type StaffUser,
} from './provision';
import { PROVIDER_HOURS } from '../shared/calendar';
import type { OfficeProfile } from '../shared/catalogue/office';
import { parseOrigins, type ValidationRules } from '../shared/couch';
import { CENTRAL_SERVICE_PORT } from '../shared/staff';
import type { ReportsWriter } from '../server/central/reports/writer';
import { validationRules } from './rules';

export const DEV_ADMIN = { user: 'admin', password: 'kense-dev' } as const;
/** Each office's hub account on the dev central (hub role, not an admin; see putHubUser). */
export const DEV_HUB_PASSWORD = 'kense-dev-hub';
export const devHubLogin = (office: string): string => `hub-${office.toLowerCase()}`;

/** `--demo`: an office to try Kense in, with one person per role (development only). */
export const DEMO_PASSWORD = 'kense-demo';
export const DEMO_STAFF: StaffUser[] = [
  { login: 'aigerim', role: 'clerk', fullName: 'Сейітова Айгерім' },
  { login: 'bolat', role: 'head', fullName: 'Жұмабеков Болат' },
  { login: 'dana', role: 'executor', fullName: 'Омарова Дана' },
  { login: 'ermek', role: 'commission', fullName: 'Қасымов Ермек' },
  { login: 'gulnar', role: 'office_admin', fullName: 'Әбдірова Гүлнар' },
].map((s) => ({ ...s, password: DEMO_PASSWORD, office: 'ALM01' }));

/**
 * `--demo`: the demo offices' profiles. ALM01 is an Almaty district department: it acts for the
 * city's employment and social programmes department and its district departments, and takes
 * applications at its own desk, from the ЦОН, the portal and home visits; KZO01 is Kyzylorda's.
 */
export const DEMO_PROFILES: OfficeProfile[] = [
  {
    code: 'ALM01',
    names: {
      kk: 'Алматы қаласы Жұмыспен қамту және әлеуметтік бағдарламалар басқармасының аудандық бөлімі',
      ru: 'Районный отдел Управления занятости и социальных программ города Алматы',
    },
    region: 'almaty_city',
    providers: ['almaty-uzsp', 'almaty-uzsp-district'],
    channels: ['provider_office', 'con', 'portal', 'home_visit', 'mail'],
    hours: PROVIDER_HOURS,
  },
  {
    code: 'KZO01',
    names: {
      kk: 'Қызылорда облысының жұмыспен қамтуды үйлестіру және әлеуметтік бағдарламалар басқармасы',
      ru: 'Управление координации занятости и социальных программ Кызылординской области',
    },
    region: 'kyzylorda',
    providers: ['kyzylorda-ukzsp'],
    channels: ['provider_office', 'portal'],
    hours: PROVIDER_HOURS,
  },
];

export interface Central {
  url: string;
  stop: () => Promise<void>;
}

/** The server's process, however it was started (a Node child here, an Electron utility process in the app). */
export interface ServerProcess {
  /** The exit code once it has exited, else null. */
  exitCode: () => number | null;
  stop: () => Promise<void>;
}

/** Starts `node <script> <args>` in `cwd`: how the server runs outside Electron. */
export type LaunchServer = (script: string, args: string[], o: { cwd?: string; quiet: boolean }) => ServerProcess;

export const launchWithNode: LaunchServer = (script, args, o) => {
  const child: ChildProcess = spawn(process.execPath, [script, ...args], {
    stdio: o.quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
    ...(o.cwd ? { cwd: o.cwd } : {}),
  });
  return {
    exitCode: () => child.exitCode,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

async function waitUntilUp(url: string, child: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const code = child.exitCode();
    if (code !== null) throw new Error(`the central server exited with code ${code}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the central server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * `npm run central-service` against the dev central, as its own Node process (development only:
 * any origin may call it), answering once it listens.
 */
async function startServiceProcess(
  couchUrl: string,
  port: number,
  track: (stop: () => Promise<void>) => void,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./central-service.ts', import.meta.url))],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        KENSE_COUCH_URL: couchUrl,
        KENSE_COUCH_ADMIN_USER: DEV_ADMIN.user,
        KENSE_COUCH_ADMIN_PASSWORD: DEV_ADMIN.password,
        KENSE_SERVICE_HOST: '127.0.0.1',
        KENSE_SERVICE_PORT: String(port),
        KENSE_SERVICE_ORIGINS: '*',
      },
    },
  );
  const proc: ServerProcess = {
    exitCode: () => child.exitCode,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  track(proc.stop);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, proc, 20_000);
  return { url, stop: proc.stop };
}

export async function startCentral(opts: {
  port: number;
  dir: string;
  offices: string[];
  quiet?: boolean;
  rules?: ValidationRules;
  /** Loopback by default; an office hub listens on the LAN. */
  host?: string;
  /**
   * The server script to run instead of pouchdb-server (on native leveldown): the office hub's
   * own, with pure-JavaScript storage (electron/main/hub/hubServer.cjs, bundled in the app). It
   * takes the same --host/--port/--dir/--config and runs in `dir`.
   */
  server?: string;
  /** How pouchdb-server is started: this Node by default; an Electron utility process for the embedded hub. */
  launch?: LaunchServer;
  /**
   * The server's admin, set at every start (the server hashes it). Default: the dev admin, set
   * once. An office hub on the LAN must not have a password everyone can read in these sources.
   */
  admin?: { user: string; password: string };
  /**
   * Run the reports writer of the Kense central service beside the server (server/central/reports):
   * report facts for supervisors, kept from the office databases. The CLI does.
   */
  reports?: boolean;
  /**
   * The origins browsers may call it from (CORS, written by provisioning as on CouchDB 3). Default:
   * any (`*`; loopback only) or KENSE_CORS_ORIGINS.
   */
  corsOrigins?: string[];
  /** Whose `_users` this is (provision.ts): central's by default; an office hub's copy is closed to staff. */
  usersOf?: 'central' | 'hub';
}): Promise<Central> {
  mkdirSync(opts.dir, { recursive: true });
  const config = path.join(opts.dir, 'config.json');
  const admin = opts.admin ?? DEV_ADMIN;
  // Admin credentials (hashed by the server when it starts); anonymous users are not admins.
  if (opts.admin) {
    // The rest of the file (the server's cookie secret and such) is kept.
    const kept = existsSync(config) ? (JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(config, JSON.stringify({ ...kept, admins: { [admin.user]: admin.password } }));
  } else if (!existsSync(config)) {
    writeFileSync(config, JSON.stringify({ admins: { [admin.user]: admin.password } }));
  }
  // pouchdb-server, through a wrapper that keeps one of its bugs from ending it (see the file).
  const bin = opts.server ?? createRequire(import.meta.url).resolve('./dev-central-server.mjs');
  const child = (opts.launch ?? launchWithNode)(
    bin,
    [
      '--host',
      opts.host ?? '127.0.0.1',
      '--port',
      String(opts.port),
      '--dir',
      path.resolve(opts.dir),
      '--config',
      path.resolve(config),
      '--no-color',
    ],
    { quiet: opts.quiet ?? false, ...(opts.server ? { cwd: path.resolve(opts.dir) } : {}) },
  );
  const url = `http://${!opts.host || opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${opts.port}`;
  let writer: ReportsWriter | null = null;
  const stop = async (): Promise<void> => {
    await writer?.stop();
    await child.stop();
  };
  try {
    await waitUntilUp(url, child, 20_000);
    await provision({
      url,
      user: admin.user,
      password: admin.password,
      offices: opts.offices,
      rules: opts.rules ?? validationRules(),
      version: process.env['npm_package_version'] ?? 'dev',
      log: opts.quiet ? () => undefined : (l) => console.warn(`[central] ${l}`),
      corsOrigins: opts.corsOrigins ?? parseOrigins(process.env['KENSE_CORS_ORIGINS'] ?? '*'),
      usersOf: opts.usersOf ?? 'central',
    });
    if (opts.reports) {
      // Loaded only here: the bundled catalogue's JSON modules need a loader that takes them (tsx),
      // and the e2e tests import this file for its constants.
      const [{ ReportsWriter }, { loadCentralCatalog }] = await Promise.all([
        import('../server/central/reports/writer'),
        import('../server/central/reports/catalog'),
      ]);
      // The catalogue provisioning seeded into `catalog`, as the desks have it.
      const { catalogue, calendar } = await loadCentralCatalog({ url, user: admin.user, password: admin.password });
      writer = new ReportsWriter({
        url,
        user: admin.user,
        password: admin.password,
        offices: opts.offices,
        catalogue,
        calendar,
        log: opts.quiet ? undefined : (l) => console.warn(`[central] ${l}`),
      });
      writer.start();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5984' },
      dir: { type: 'string', default: '.central' },
      offices: { type: 'string', default: 'ALM01,KZO01' },
      // Development staff accounts, e.g. aigerim:secret:clerk:ALM01,bolat:secret:head:ALM01
      staff: { type: 'string', default: '' },
      // The demo office ALM01 with one person per role, password kense-demo (see DEMO_STAFF).
      demo: { type: 'boolean', default: false },
      // The Kense central service beside it (server/central), on this port; with --demo, 5986 by default.
      'service-port': { type: 'string' },
    },
  });
  const offices = values.offices
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const central = await startCentral({ port: Number(values.port), dir: values.dir, offices, reports: true });
  // Stopped from here on, whatever is still starting (npm start may stop us as soon as the demo
  // staff are in): the service first, then the server; none of them left running on its own.
  const stoppers: (() => Promise<void>)[] = [() => central.stop()];
  let stopping: Promise<void> | null = null;
  const shutdown = (): void => {
    stopping ??= (async () => {
      for (const stop of [...stoppers].reverse()) await stop();
      process.exit(0);
    })();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  for (const office of offices) {
    const hub = { login: devHubLogin(office), password: DEV_HUB_PASSWORD, office };
    await putHubUser({ url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password }, hub);
    console.warn(`[central] hub account ${hub.login}/${hub.password} (${office}) for npm run hub`);
  }
  for (const profile of values.demo ? DEMO_PROFILES.filter((p) => offices.includes(p.code)) : []) {
    await putOfficeProfile({ url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password }, profile);
    console.warn(`[central] office profile ${profile.code}: ${profile.providers.join(', ')}`);
  }
  for (const staff of [...(values.demo ? DEMO_STAFF : []), ...parseStaffList(values.staff)]) {
    await putStaffUser({ url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password }, staff);
    // What the Kense central service would write for them: desks route applications by it.
    await putStaffDirectoryEntry({ url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password }, staff);
    console.warn(`[central] staff ${staff.login} (${[staff.role].flat().join('+')}, ${staff.office})`);
  }
  const servicePort = values['service-port'] ?? (values.demo ? String(CENTRAL_SERVICE_PORT) : undefined);
  // Its own process, as beside a real CouchDB (and so that the desktop app, whose hub imports this
  // module, bundles none of it).
  const service = servicePort
    ? await startServiceProcess(central.url, Number(servicePort), (stop) => stoppers.push(stop))
    : null;
  if (service) console.warn(`[central] the Kense central service (staff administration) at ${service.url}`);
  console.warn(`[central] ready at ${central.url} (admin: ${DEV_ADMIN.user}/${DEV_ADMIN.password}); Ctrl+C stops it`);
  if (values.demo)
    console.warn(
      `[central] demo: set the desk up with office ALM01, any desk code (D01) and server ${central.url}; ` +
        `sign in as ${DEMO_STAFF.map((s) => `${s.login} (${[s.role].flat().join('+')})`).join(', ')}, password ${DEMO_PASSWORD}`,
    );
}
