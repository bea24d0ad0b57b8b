import { spawn, type ChildProcess } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { CENTRAL_PORT } from '../../playwright.config';
import { hubHealthSchema, HUB_STATUS_PATH, type HubHealth } from '../../shared/hub/health';
import { DEV_ADMIN, DEV_HUB_PASSWORD, devHubLogin } from '../../server/dev/central';
import { HUB_SERVER_BUNDLE } from '../../server/hub/bundlePath';

PouchDB.plugin(httpAdapter).plugin(replication);

/**
 * The installed app carries the office hub's server: exactly the files build/electron-builder.yml
 * ships (its `files` patterns over the electron-vite build this run made; production dependencies,
 * if there were any) are copied to a directory with no node_modules anywhere above it, and the
 * hub's server starts from there under plain Node, opens its LevelDB storage with the native
 * binary shipped beside the bundle, and relays an event from a dev central to a client over
 * 127.0.0.1, keeping it across a restart. (The Electron binary cannot be run here; the app starts
 * the same file as a utility process, see electron/main/hub/register.ts, and leveldown's N-API
 * binaries load in Electron's Node as they are.)
 */
const root = process.cwd();
const HUB_PORT = CENTRAL_PORT + 5;
const HUB = `http://127.0.0.1:${HUB_PORT}`;

/** electron-builder's globs as used here: `**`, `*`, and `!` for exclusions. */
function globRegExp(glob: string): RegExp {
  const part = (p: string): string =>
    p
      .split('**')
      .map((q) => q.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
      .join('.*');
  // `**/` may also match nothing (`**/*.map` matches `a.map`).
  return new RegExp(`^${glob.split('**/').map(part).join('(?:.*/)?')}$`);
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, base) : [path.relative(base, p).split(path.sep).join('/')];
  });
}

function shippedFiles(): string[] {
  const patterns = builderList('files');
  const include = patterns.filter((p) => !p.startsWith('!')).map(globRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globRegExp(p.slice(1)));
  const candidates = [...walk(path.join(root, 'out')).map((f) => `out/${f}`), 'package.json'];
  return candidates.filter((f) => include.some((r) => r.test(f)) && !exclude.some((r) => r.test(f)));
}

/** A glob list of build/electron-builder.yml (`files:` or `asarUnpack:`). */
function builderList(key: string): string[] {
  const lines = readFileSync(path.join(root, 'build/electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+-\s+'?([^']+?)'?\s*$/.exec(line);
    if (!m?.[1]) break;
    out.push(m[1]);
  }
  return out;
}

let appDir = '';
let dataDir = '';
let server: ChildProcess | null = null;
let central: ChildProcess | null = null;
const CENTRAL_URL = `http://127.0.0.1:${HUB_PORT + 1}`;
const hubAdmin = { user: 'admin', password: 'packaged-hub-admin' };
const hubAccount = { login: devHubLogin('ALM01'), password: DEV_HUB_PASSWORD };

function startOwnCentral(dir: string): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/central.ts', '--port', String(HUB_PORT + 1), '--dir', dir, '--offices', 'ALM01'],
    { stdio: 'ignore' },
  );
}

function startServer(): ChildProcess {
  // As officeHub.ts starts it: the bundle, its secrets in the environment, nothing else.
  const spec = {
    office: 'ALM01',
    admin: hubAdmin,
    central: { url: CENTRAL_URL, user: hubAccount.login, password: hubAccount.password },
    maxBackoffMs: 500,
  };
  return spawn(
    process.execPath,
    [path.join(appDir, HUB_SERVER_BUNDLE), '--host', '127.0.0.1', '--port', String(HUB_PORT), '--dir', dataDir],
    { cwd: dataDir, stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '', KENSE_HUB_SPEC: JSON.stringify(spec) } },
  );
}

async function stopServer(): Promise<void> {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const health = (): Promise<HubHealth | null> =>
  fetch(`${HUB}${HUB_STATUS_PATH}`).then(
    async (r) => (r.ok ? hubHealthSchema.parse(await r.json()) : null),
    () => null,
  );

test.afterAll(async () => {
  await stopServer();
  const c = central;
  if (c && c.exitCode === null)
    await new Promise<void>((resolve) => (c.once('exit', () => resolve()), c.kill('SIGTERM')));
  if (appDir) rmSync(path.dirname(appDir), { recursive: true, force: true });
});

test('the packaged app carries the hub server, which runs with no node_modules, on LevelDB, and relays events', async () => {
  test.setTimeout(90_000);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: object };
  // electron-builder would pack production dependencies too: there are none, everything is in out/.
  expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);

  const files = shippedFiles();
  expect(files).toContain(HUB_SERVER_BUNDLE);
  expect(files).toContain('out/main/index.js');
  // LevelDB's native binaries ship beside the hub's bundle, unpacked from the asar archive (a
  // native module cannot be loaded from inside it).
  const natives = files.filter((f) => f.endsWith('.node'));
  expect(natives).toContain('out/hub/prebuilds/linux-x64/node.napi.glibc.node');
  expect(natives).toContain('out/hub/prebuilds/win32-x64/node.napi.node');
  const unpacked = builderList('asarUnpack').map(globRegExp);
  expect(natives.filter((f) => !unpacked.some((r) => r.test(f)))).toEqual([]);
  const top = mkdtempSync(path.join(os.tmpdir(), 'kense-packaged-'));
  appDir = path.join(top, 'app');
  for (const f of files) {
    mkdirSync(path.dirname(path.join(appDir, f)), { recursive: true });
    cpSync(path.join(root, f), path.join(appDir, f));
  }
  // Nothing above the copy may lend it a module.
  for (let d = appDir; ; d = path.dirname(d)) {
    expect(existsSync(path.join(d, 'node_modules')), `${d}/node_modules`).toBe(false);
    if (path.dirname(d) === d) break;
  }
  // The main process needs nothing outside itself but Node's built-ins, Electron and its own
  // chunks (shipped beside it), followed through static and dynamic imports.
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const outside: string[] = [];
  const seen = new Set<string>();
  const follow = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(path.join(appDir, file), 'utf8');
    expect(code).not.toMatch(/require\.resolve\(["']pouchdb-server/);
    const specifiers = [
      ...code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/gm),
      ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] ?? '');
    for (const m of specifiers) {
      if (m === 'electron' || builtins.has(m)) continue;
      const local = m.startsWith('.') ? path.posix.join(path.posix.dirname(file), m) : null;
      if (local && files.includes(local)) follow(local);
      else outside.push(`${file}: ${m}`);
    }
  };
  follow('out/main/index.js');
  expect(outside).toEqual([]);

  // A central of its own (the specs' central keeps its data as it is), with the office's hub
  // account; in its own process, as `npm run central` runs it (Playwright's transform of imported
  // TypeScript would mangle the validation function that goes to the server).
  central = startOwnCentral(path.join(top, 'central'));
  await expect
    .poll(
      () =>
        fetch(CENTRAL_URL).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 40_000 },
    )
    .toBe(200);
  await expect
    .poll(
      () =>
        fetch(`${CENTRAL_URL}/_session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: hubAccount.login, password: hubAccount.password }),
        }).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 40_000 },
    )
    .toBe(200);
  dataDir = path.join(top, 'hub-data');
  mkdirSync(dataDir);
  server = startServer();
  await expect.poll(async () => (await health())?.central.reached ?? null, { timeout: 30_000 }).toBe(true);
  const admin = { username: hubAdmin.user, password: hubAdmin.password };
  const hub = (): PouchDB.Database => new PouchDB(`${HUB}/office_alm01`, { auth: admin, skip_setup: true });
  // The office database is on LevelDB, loaded from the copy's prebuilds (no node_modules anywhere).
  // (info() over HTTP names the server's backend.)
  expect(await hub().info()).toMatchObject({ backend_adapter: 'syncedLeveldown' });
  expect(readdirSync(path.join(dataDir, 'office_alm01'))).toEqual(expect.arrayContaining(['CURRENT', 'LOCK']));
  // Anonymous requests are refused (and do not bring the server down); the office's _security holds.
  expect((await fetch(`${HUB}/stranger`, { method: 'PUT' })).status).toBe(403);
  expect((await fetch(`${HUB}/office_alm01`)).status).toBe(401);

  // An event recorded at central reaches a client through the hub: central → hub by the hub's own
  // relay, hub → client by replication over loopback.
  const id = `evt:PKG1:${String(Date.now()).padStart(15, '0')}-0001:PKGDESK`;
  const onCentral = new PouchDB(`${CENTRAL_URL}/office_alm01`, {
    auth: { username: DEV_ADMIN.user, password: DEV_ADMIN.password },
    skip_setup: true,
  });
  await onCentral.put({
    _id: id,
    type: 'event',
    v: 1,
    appId: 'PKG1',
    hlc: id.split(':')[2],
    device: 'PKGDESK',
    kind: 'registered',
    office: 'ALM01',
    at: new Date().toISOString(),
    actor: { login: 'aigerim', role: 'clerk' },
    payload: {},
  });
  await expect
    .poll(
      () =>
        hub()
          .get(id)
          .then(
            () => true,
            () => false,
          ),
      { timeout: 20_000 },
    )
    .toBe(true);
  // A desk's copy (a scratch database on this test's central stands in for it) pulls it from the hub.
  const client = new PouchDB(`${CENTRAL_URL}/client_copy`, {
    auth: { username: DEV_ADMIN.user, password: DEV_ADMIN.password },
  });
  expect((await hub().replicate.to(client, { doc_ids: [id] })).docs_written).toBe(1);
  expect(await client.get(id)).toMatchObject({ appId: 'PKG1' });
  // The hub makes no database for anyone, not even its admin.
  expect((await fetch(`${HUB}/another`, { method: 'PUT', headers: { authorization: basic(hubAdmin) } })).status).toBe(
    403,
  );

  // Kept on disk: the server restarted from the copy still has it.
  await stopServer();
  server = startServer();
  await expect.poll(async () => (await health()) !== null, { timeout: 30_000 }).toBe(true);
  expect(await hub().get(id)).toMatchObject({ appId: 'PKG1' });
});

const basic = (l: { user: string; password: string }): string =>
  'Basic ' + Buffer.from(`${l.user}:${l.password}`).toString('base64');
