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
import { parseArgs } from 'node:util';
import { parseStaffList, provision, putHubUser, putStaffUser, type StaffUser } from '../provision';
import type { ValidationRules } from '../../shared/couch';
import { validationRules } from '../rules';

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
   * own, with pure-JavaScript storage (server/hub/hubServer.cjs, bundled in the app). It
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
  const stop = (): Promise<void> => child.stop();
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
    });
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
    },
  });
  const offices = values.offices
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const central = await startCentral({ port: Number(values.port), dir: values.dir, offices });
  for (const office of offices) {
    const hub = { login: devHubLogin(office), password: DEV_HUB_PASSWORD, office };
    await putHubUser({ url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password }, hub);
    console.warn(`[central] hub account ${hub.login}/${hub.password} (${office}) for npm run hub`);
  }
  for (const staff of [...(values.demo ? DEMO_STAFF : []), ...parseStaffList(values.staff)]) {
    await putStaffUser({ url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password }, staff);
    console.warn(`[central] staff ${staff.login} (${[staff.role].flat().join('+')}, ${staff.office})`);
  }
  console.warn(`[central] ready at ${central.url} (admin: ${DEV_ADMIN.user}/${DEV_ADMIN.password}); Ctrl+C stops it`);
  if (values.demo)
    console.warn(
      `[central] demo: set the desk up with office ALM01, any desk code (D01) and server ${central.url}; ` +
        `sign in as ${DEMO_STAFF.map((s) => `${s.login} (${[s.role].flat().join('+')})`).join(', ')}, password ${DEMO_PASSWORD}`,
    );
  const shutdown = (): void => void central.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
