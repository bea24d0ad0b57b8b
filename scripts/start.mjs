// `npm start`: builds Kense and runs it in Electron; where the Electron runtime is missing and
// cannot be downloaded, runs the same UI in browser mode instead of failing with a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronBinaryPath, electronInstallScript, projectRoot } from './electron-binary.mjs';
import { serveRenderer } from './serve-renderer.mjs';

const args = new Set(process.argv.slice(2));
const forceBrowser = args.has('--browser');
const skipBuild = args.has('--no-build');
const noCentral = args.has('--no-central') || Boolean(process.env.KENSE_NO_DEV_CENTRAL);
// Quiet by default: the servers' request logs go to files; `--verbose` shows them here instead.
const verbose = args.has('--verbose');
const CENTRAL_PORT = Number(process.env.KENSE_CENTRAL_PORT ?? 5984);
const CENTRAL_DIR = process.env.KENSE_CENTRAL_DIR ?? '.central';

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
  const extra = process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const log = logFile('electron.log');
  const child = spawn(exe, [...extra, projectRoot], { stdio: verbose ? 'inherit' : ['ignore', log.fd, log.fd] });
  child.on('exit', async (code, signal) => {
    say('The Kense window was closed; stopping.');
    await stopAll();
    process.exit(code ?? (signal ? 1 : 0));
  });
  stoppers.push(() => void (child.exitCode === null && child.kill('SIGTERM')));
  return `Kense is running in its own window (Electron ${path.basename(exe)}); its messages: ${log.path}`;
}

/** A log file under .logs/ (git-ignored), opened for appending. */
function logFile(name) {
  const dir = path.resolve(projectRoot, process.env.KENSE_LOG_DIR ?? '.logs');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  return { path: path.relative(projectRoot, file) || file, fd: openSync(file, 'a') };
}

/** What to stop on Ctrl+C or when the window closes, latest first. */
const stoppers = [];
let stopping = null;
function stopAll() {
  stopping ??= (async () => {
    for (const stop of stoppers.reverse()) await stop();
  })();
  return stopping;
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, async () => {
    say('Stopping Kense and the development central…');
    await stopAll();
    say('Stopped.');
    process.exit(0);
  });

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
  stoppers.push(() => close());
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
    const opened = Date.now();
    const child = spawn(chromium, flags, { stdio: 'ignore', detached: false });
    child.on('exit', async () => {
      // A window that stayed open and was closed by the user ends the session; a launcher that
      // handed over to an already running Chromium returns at once, and the server stays up.
      if (Date.now() - opened < 5000) return;
      say('The Kense window was closed; stopping.');
      await stopAll();
      process.exit(0);
    });
    return `Kense (browser mode) is open in ${path.basename(chromium)} at ${url}`;
  }
  return `Kense (browser mode): open ${url} in Chromium or Chrome`;
}

/**
 * Development: staff sign in against a server, so `npm start` also starts the development
 * central (pouchdb-server on loopback, `npm run central -- --demo`) with a demo office and one
 * person per role, unless something already answers on its port or `--no-central` is given.
 */
async function startDevCentral() {
  if (noCentral) return null;
  const url = `http://127.0.0.1:${CENTRAL_PORT}`;
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return { url, log: null, ours: false };
  } catch {
    // nothing there: start ours
  }
  const tsx = path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  const log = logFile('central.log');
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsx,
      path.join(projectRoot, 'scripts', 'central.ts'),
      '--demo',
      '--port',
      String(CENTRAL_PORT),
      '--dir',
      CENTRAL_DIR,
    ],
    { cwd: projectRoot, stdio: verbose ? ['ignore', 'inherit', 'inherit'] : ['ignore', log.fd, log.fd] },
  );
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(undefined);
      child.once('exit', () => resolve(undefined));
      child.kill('SIGTERM');
    });
  stoppers.push(stop);
  process.on('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  // Ready once the demo office's last person is in its staff directory (written last).
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const r = await fetch(`${url}/office_alm01/staff%3Agulnar`, {
        headers: { authorization: 'Basic ' + Buffer.from('admin:kense-dev').toString('base64') },
      });
      if (r.ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  if (child.exitCode !== null) {
    say(`The development central did not start; see ${log.path}.`);
    process.exit(1);
  }
  return { url, log: log.path, ours: true };
}

/** The last lines printed: where Kense is, and how to sign in. */
function summary(app, central) {
  say('');
  if (central?.ours) say(`Development central: ${central.url} (its log: ${central.log}).`);
  else if (central) say(`Using the server that already answers at ${central.url} as the central.`);
  if (central) {
    say(`In Settings: office ALM01, desk D01, server ${central.url}. Demo logins, password kense-demo:`);
    say('aigerim (clerk), bolat (head), dana (executor), ermek (commission), gulnar (office admin).');
    say('Staff administration (gulnar, Staff): the Kense central service at http://127.0.0.1:5986.');
  }
  say(app);
  say('Press Ctrl+C to stop.');
}

if (!skipBuild) build();
const central = await startDevCentral();
let app;
if (forceBrowser) {
  app = await runBrowserMode();
} else {
  const exe = ensureElectron();
  if (exe) {
    app = runElectron(exe);
  } else {
    say('The Electron runtime is not installed on this machine and could not be downloaded');
    say('(no access to its download server). Starting Kense in browser mode instead.');
    app = await runBrowserMode();
  }
}
summary(app, central);
