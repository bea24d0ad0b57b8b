import { spawn, type ChildProcess } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { CENTRAL_PORT } from '../../playwright.config';
import { HUB_SERVER_BUNDLE } from '../../electron/main/hub/bundlePath';

PouchDB.plugin(httpAdapter).plugin(replication);

/**
 * The installed app carries the office hub's server: exactly the files build/electron-builder.yml
 * ships (its `files` patterns over the electron-vite build this run made; production dependencies,
 * if there were any) are copied to a directory with no node_modules anywhere above it, and the
 * hub's server starts from there under plain Node and relays a document between the dev central
 * and a client over 127.0.0.1, keeping it across a restart. (The Electron binary cannot be run
 * here; the app starts the same file as a utility process, see electron/main/hub/register.ts.)
 */
const root = process.cwd();
const HUB_PORT = CENTRAL_PORT + 5;
const HUB = `http://127.0.0.1:${HUB_PORT}`;
const CENTRAL = `http://127.0.0.1:${CENTRAL_PORT}`;
const admin = { username: 'admin', password: 'kense-dev' };
const adminHeader = 'Basic ' + Buffer.from(`${admin.username}:${admin.password}`).toString('base64');

/** The `files:` list of build/electron-builder.yml (a flat list of quoted or bare globs). */
function builderFiles(): string[] {
  const lines = readFileSync(path.join(root, 'build/electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === 'files:');
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+-\s+'?([^']+?)'?\s*$/.exec(line);
    if (!m?.[1]) break;
    out.push(m[1]);
  }
  return out;
}

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
  const patterns = builderFiles();
  const include = patterns.filter((p) => !p.startsWith('!')).map(globRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globRegExp(p.slice(1)));
  const candidates = [...walk(path.join(root, 'out')).map((f) => `out/${f}`), 'package.json'];
  return candidates.filter((f) => include.some((r) => r.test(f)) && !exclude.some((r) => r.test(f)));
}

let appDir = '';
let dataDir = '';
let server: ChildProcess | null = null;

function startServer(): ChildProcess {
  // As register.ts starts it: the bundle, with the hub's data directory as working directory.
  const child = spawn(
    process.execPath,
    [
      path.join(appDir, HUB_SERVER_BUNDLE),
      '--host',
      '127.0.0.1',
      '--port',
      String(HUB_PORT),
      '--dir',
      dataDir,
      '--config',
      path.join(dataDir, 'config.json'),
    ],
    { cwd: dataDir, stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '' } },
  );
  return child;
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

test.afterAll(async () => {
  await stopServer();
  if (appDir) rmSync(path.dirname(appDir), { recursive: true, force: true });
});

test('the packaged app carries the hub server, which runs with no node_modules and relays documents', async () => {
  test.setTimeout(60_000);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: object };
  // electron-builder would pack production dependencies too: there are none, everything is in out/.
  expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);

  const files = shippedFiles();
  expect(files).toContain(HUB_SERVER_BUNDLE);
  expect(files).toContain('out/main/index.js');
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

  dataDir = path.join(top, 'hub-data');
  mkdirSync(dataDir);
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ admins: { admin: admin.password } }));
  server = startServer();
  await expect
    .poll(
      () =>
        fetch(HUB).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 20_000 },
    )
    .toBe(200);
  const created = await fetch(`${HUB}/office_alm01`, {
    method: 'PUT',
    headers: { authorization: adminHeader },
  });
  expect(created.status).toBe(201);
  const hub = (): PouchDB.Database => new PouchDB(`${HUB}/office_alm01`, { auth: admin, skip_setup: true });
  // Anonymous requests are refused (and do not bring the server down).
  expect((await fetch(`${HUB}/stranger`, { method: 'PUT' })).status).toBe(401);
  const secured = await fetch(`${HUB}/office_alm01/_security`, {
    method: 'PUT',
    headers: { authorization: adminHeader, 'content-type': 'application/json' },
    body: JSON.stringify({ admins: { names: [], roles: ['_admin'] }, members: { names: [], roles: ['office:ALM01'] } }),
  });
  expect(secured.status).toBe(200);
  expect((await fetch(`${HUB}/office_alm01`)).status).toBe(401);

  // A document from central reaches a client through the hub, both legs replicated over loopback
  // (a scratch database on the dev central, so that the specs' own data stays as it is).
  const scratch = `packaged_hub_${Date.now()}`;
  const onCentral = new PouchDB(`${CENTRAL}/${scratch}`, { auth: admin });
  const id = 'relayed-document';
  try {
    await onCentral.put({ _id: id, note: 'relayed' });
    const toHub = await onCentral.replicate.to(hub(), { doc_ids: [id] });
    expect(toHub.docs_written).toBe(1);
  } finally {
    await onCentral.destroy();
  }
  const client = new PouchDB(`${HUB}/client_copy`, { auth: admin });
  expect((await hub().replicate.to(client, { doc_ids: [id] })).docs_written).toBe(1);
  expect(await client.get<{ note: string }>(id)).toMatchObject({ note: 'relayed' });

  // Kept on disk (logdown): the server restarted from the copy still has it.
  await stopServer();
  server = startServer();
  await expect
    .poll(
      () =>
        fetch(HUB).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 20_000 },
    )
    .toBe(200);
  expect(await hub().get<{ note: string }>(id)).toMatchObject({ note: 'relayed' });
});
