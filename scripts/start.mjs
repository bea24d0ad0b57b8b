// `npm start`: builds Kense and runs it in Electron; where the Electron runtime is missing and
// cannot be downloaded, runs the same UI in browser mode instead of failing with a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronBinaryPath, electronInstallScript, projectRoot } from './electron-binary.mjs';
import { serveRenderer } from './serve-renderer.mjs';

const args = new Set(process.argv.slice(2));
const forceBrowser = args.has('--browser');
const skipBuild = args.has('--no-build');
const noCentral = args.has('--no-central') || Boolean(process.env.KENSE_NO_DEV_CENTRAL);
const CENTRAL_PORT = Number(process.env.KENSE_CENTRAL_PORT ?? 5984);

function say(msg) {
  process.stdout.write(`[kense] ${msg}\n`);
}

function build() {
  say('Building…');
  const cli = path.join(projectRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    say('The build failed; see the messages above.');
    process.exit(r.status ?? 1);
  }
}

function ensureElectron() {
  let exe = electronBinaryPath();
  if (exe) return exe;
  const installer = electronInstallScript();
  if (installer && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    say('The Electron runtime is not installed yet; downloading it once…');
    const r = spawnSync(process.execPath, [installer], {
      cwd: projectRoot,
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
      timeout: 10 * 60 * 1000,
    });
    if (r.status === 0) exe = electronBinaryPath();
    else say(`Download failed: ${(r.stderr ?? '').trim().split('\n')[0] || 'timed out'}`);
  }
  return exe;
}

function runElectron(exe) {
  say(`Starting Kense in Electron (${exe})`);
  const extra = process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const child = spawn(exe, [...extra, projectRoot], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function findChromium() {
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const p = path.join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

async function runBrowserMode() {
  const { url, close } = await serveRenderer({ port: Number(process.env.KENSE_PORT ?? 5741) });
  say(`Kense (browser mode) is served at ${url}`);
  const chromium = findChromium();
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (chromium && hasDisplay) {
    // A profile of its own keeps the desk's local database between runs.
    const profile = path.join(os.homedir(), '.config', 'kense', 'browser-profile');
    mkdirSync(profile, { recursive: true });
    const flags = [
      `--app=${url}`,
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ];
    if (process.getuid?.() === 0) flags.push('--no-sandbox');
    say(`Opening it in ${path.basename(chromium)}; press Ctrl+C here to stop.`);
    const opened = Date.now();
    const child = spawn(chromium, flags, { stdio: 'ignore', detached: false });
    child.on('exit', async () => {
      // A window that stayed open and was closed by the user ends the session; a launcher that
      // handed over to an already running Chromium returns at once, and the server stays up.
      if (Date.now() - opened < 5000) return;
      say('The Kense window was closed; stopping.');
      await close();
      process.exit(0);
    });
  } else {
    say('Open that address in Chromium or Chrome. Press Ctrl+C to stop.');
  }
}

/**
 * Development: staff sign in against a server, so `npm start` also starts the development
 * central (pouchdb-server on loopback, `npm run central -- --demo`) with a demo office and one
 * person per role, unless something already answers on its port or `--no-central` is given.
 */
async function startDevCentral() {
  if (noCentral) return;
  const url = `http://127.0.0.1:${CENTRAL_PORT}`;
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    say(`A server already answers at ${url}; using it as the central.`);
    return;
  } catch {
    // nothing there: start ours
  }
  const tsx = path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  const child = spawn(
    process.execPath,
    ['--import', tsx, path.join(projectRoot, 'scripts', 'central.ts'), '--demo', '--port', String(CENTRAL_PORT)],
    { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const stop = () => child.exitCode === null && child.kill('SIGTERM');
  process.on('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (stop(), process.exit(0)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const r = await fetch(`${url}/_users/_design/kense_staff`, {
        headers: { authorization: 'Basic ' + Buffer.from('admin:kense-dev').toString('base64') },
      });
      if (r.ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  say(`Development central: ${url}. In Settings set office ALM01, desk D01, server ${url};`);
  say('then sign in as aigerim (clerk), bolat (head), dana (executor), ermek (commission) or');
  say('gulnar (office admin), password kense-demo. `npm start -- --no-central` skips this.');
  say('Staff administration (gulnar, Staff): the Kense central service at http://127.0.0.1:5986.');
}

if (!skipBuild) build();
await startDevCentral();
if (forceBrowser) {
  await runBrowserMode();
} else {
  const exe = ensureElectron();
  if (exe) {
    runElectron(exe);
  } else {
    say('The Electron runtime is not installed on this machine and could not be downloaded');
    say('(no access to its download server). Starting Kense in browser mode instead.');
    await runBrowserMode();
  }
}
