/**
 * The Node side of the reliability lab: real servers on loopback, no mocks.
 *
 * - `bundleLabPage` builds `page.ts` (the desk's real data layer) for the browser and `serveLab`
 *   serves it, so that a real Chromium runs it against real IndexedDB on a real profile directory.
 * - `launchLab` drives that Chromium with Playwright (persistent profile: IndexedDB on disk, and
 *   quotas enforced as on a user's machine); `spawnChromium` starts one bare, so that it can be
 *   SIGKILLed like a crashing desk.
 * - `startProxy` puts a cuttable, counting HTTP proxy on a link: a cut destroys every open
 *   connection at once and refuses new ones, as a dropped network does.
 * - `startLabCentral` starts the development central (pouchdb-server), or provisions the external
 *   CouchDB 3 that KENSE_TEST_COUCH_URL names (lab/couch.ts), with the real validation rules and
 *   real staff accounts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { constants as zlibConstants, createGzip, gunzipSync } from 'node:zlib';
import type { Central } from '../../../server/dev/central';
import { putStaffUser, type StaffUser } from '../../../server/provision';
import type { LabApi, LabWindow } from './page';
import { startTestCouch, testAdmin, testAdminAuth } from './couch';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const dirs: string[] = [];
export function tmpDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `kense-${prefix}-`));
  dirs.push(d);
  return d;
}
export function removeTmpDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms: number,
  every = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

// ---------------------------------------------------------------------------------------------
// The page

/** Bundles the lab page (and with it the desk's data layer) for the browser. */
export async function bundleLabPage(): Promise<string> {
  const out = tmpDir('lab-page');
  await build({
    entryPoints: [path.join(here, 'page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(out, 'page.js'),
    alias: { '@shared': path.join(root, 'shared'), '@locales': path.join(root, 'locales') },
    define: { __APP_VERSION__: '"lab"', 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    logLevel: 'error',
  });
  writeFileSync(
    path.join(out, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>lab</title></head>' +
      '<body><script type="module" src="/page.js"></script></body></html>',
  );
  return out;
}

export interface LabServer {
  url: string;
  /** JSON bodies POSTed by the page, by path (/ack, /result, /error, /started). */
  onPost: (handler: (path: string, body: unknown) => void) => void;
  close: () => Promise<void>;
}

/** Serves the bundled page on loopback and receives what autonomous pages report. */
export async function serveLab(dir: string): Promise<LabServer> {
  let handler: (path: string, body: unknown) => void = () => undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST') {
      const chunks: Uint8Array[] = [];
      req.on('data', (c: Uint8Array) => chunks.push(c));
      req.on('end', () => {
        let body: unknown = null;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          // not JSON
        }
        res.writeHead(204).end();
        handler(url.pathname, body);
      });
      return;
    }
    const file = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    if (file !== 'index.html' && file !== 'page.js') return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(path.join(dir, file)));
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    onPost: (h) => {
      handler = h;
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
];

/** A Chromium with a profile on disk, driven by Playwright. */
export interface Lab {
  context: BrowserContext;
  /** Opens a page of the lab (one desk per page, as one desk per machine). */
  page: (query?: string) => Promise<LabPage>;
  /** Uncaught errors and unhandled rejections in the lab's pages (printed with LAB_DEBUG=1). */
  pageErrors: Error[];
  close: () => Promise<void>;
}

export interface LabPage {
  page: Page;
  call: <K extends keyof LabApi>(name: K, ...args: Parameters<LabApi[K]>) => Promise<Awaited<ReturnType<LabApi[K]>>>;
}

export async function launchLab(
  server: LabServer,
  profileDir: string,
  /** A Chromium elsewhere (the link lab's runs inside a network namespace) and the page's address from there. */
  where: { executablePath?: string; pageUrl?: string } = {},
): Promise<Lab> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: where.executablePath ?? CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const pageErrors: Error[] = [];
  return {
    context,
    pageErrors,
    page: async (query = '') => {
      const page = await context.newPage();
      page.on('pageerror', (e) => {
        pageErrors.push(e);
        if (process.env['LAB_DEBUG']) console.warn(`[lab page] ${e.name}: ${e.message}\n${e.stack ?? ''}`);
      });
      if (process.env['LAB_DEBUG']) page.on('console', (m) => console.warn(`[lab console] ${m.text()}`));
      await page.goto(`${where.pageUrl ?? server.url}/${query}`);
      await page.waitForFunction(() => (window as unknown as Partial<LabWindow>).labReady === true);
      const call = (async (name: string, ...args: unknown[]) =>
        page.evaluate(
          async ([n, a]) => {
            const lab = (window as unknown as LabWindow).lab as unknown as Record<
              string,
              (...x: unknown[]) => Promise<unknown>
            >;
            const f = lab[n];
            if (!f) throw new Error(`no lab function ${String(n)}`);
            return f(...a);
          },
          [name, args] as const,
        )) as LabPage['call'];
      return { page, call };
    },
    close: () => context.close(),
  };
}

/** A bare Chromium on a profile directory, in its own process group, so that it can be SIGKILLed whole. */
export interface SpawnedChromium {
  child: ChildProcess;
  /** SIGKILL to every process of this Chromium (browser, renderers, storage service). */
  kill: () => Promise<void>;
  /** SIGTERM, then SIGKILL if it lingers. */
  stop: () => Promise<void>;
}

/** Processes whose command line names this profile directory. */
export function profileProcesses(profileDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profileDir)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

export function spawnChromium(profileDir: string, url: string, logFile?: string): SpawnedChromium {
  const logging = logFile ? ['--enable-logging=stderr', '--v=0'] : [];
  const child = spawn(
    CHROMIUM,
    ['--headless=new', ...CHROMIUM_ARGS, ...logging, `--user-data-dir=${profileDir}`, url],
    {
      detached: true,
      stdio: logFile ? ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')] : 'ignore',
    },
  );
  const exited = new Promise<void>((r) => {
    if (child.exitCode !== null) r();
    child.once('exit', () => r());
  });
  const signal = (sig: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  // Chromium's helper processes (zygote, renderers, utilities) may leave the process group; they
  // are found by the profile directory on their command line, and killed and waited for too, so
  // that no process of a killed desk still holds its files when the next one starts.
  const gone = async (): Promise<void> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const left = profileProcesses(profileDir);
      if (left.length === 0) return;
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (Date.now() > deadline) throw new Error(`Chromium processes ${left.join(', ')} outlived SIGKILL`);
      await sleep(50);
    }
  };
  return {
    child,
    kill: async () => {
      signal('SIGKILL');
      await exited;
      await gone();
    },
    stop: async () => {
      signal('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      signal('SIGKILL');
      await exited;
      await gone();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Links

export interface ProxiedRequest {
  method: string;
  path: string;
  /** Document ids sent in a `_bulk_docs` body, asked about in a `_revs_diff` body, or fetched (`_bulk_get`, GET). */
  ids: string[];
  status: number | null;
  /** The `since` of a `_changes` request. */
  since?: string;
}

export interface Proxy {
  name: string;
  url: string;
  up: () => boolean;
  /** Drops the link: every open connection is destroyed and new ones are refused until restored. */
  cut: () => void;
  /**
   * The network goes quiet (a cable pulled, the Wi-Fi gone): connections are still accepted and
   * open ones stay open, but nothing is answered any more, until restored.
   */
  silence: () => void;
  restore: () => void;
  /** `_bulk_docs` and `_revs_diff` requests that reached the server, with the server's status. */
  log: ProxiedRequest[];
  /** Called when the server has answered a `_bulk_docs`, before the answer goes back: return true to cut the link there. */
  cutAfterBulkDocs: ((r: ProxiedRequest) => boolean) | null;
  /** Every request that reached the server (CORS preflights apart), and the bytes as they crossed the link. */
  counts: ProxyCounts;
  /** Each request as it arrived in full (`at`, ms since the epoch) and when its answer was handed back. */
  timeline: { at: number; what: string; answeredAt: number | null }[];
  close: () => Promise<void>;
}

export interface ProxyCounts {
  requests: number;
  preflights: number;
  /** Request bodies as sent (gzipped where the desk gzipped them). */
  bytesUp: number;
  /** Response bodies as sent back (gzipped where the server or the proxy gzipped them). */
  bytesDown: number;
  /** Requests by kind: `_bulk_docs`, `_revs_diff`, `_changes`, `_local`, `GET doc`, … */
  byKind: Record<string, number>;
}

export interface ProxyOptions {
  /**
   * What the server's responses look like on the link. `identity`: never compressed, as Apache
   * CouchDB 3 sends them (Accept-Encoding is taken off the request, whatever the server would do).
   * `gzip`: JSON compressed here where the browser accepts it, as nginx with `gzip on` in front of
   * CouchDB. Default: as the server sends them (the dev central, like CouchDB 3, plain).
   */
  responses?: 'identity' | 'gzip';
}

/** What kind of CouchDB request a path is, for counting. */
export function requestKind(method: string, p: string): string {
  const m = /\/(_[a-z_]+)(?:\/|$)/.exec(p.replace(/^\/[^/]+/, ''));
  if (m?.[1]) return m[1];
  if (/^\/[^/]+\/?$/.test(p)) return `${method} db`;
  return `${method} doc`;
}

function idsOf(p: string, raw: Buffer, encoding: string | undefined): string[] {
  if (raw.length === 0) return [];
  try {
    const body = encoding === 'gzip' ? gunzipSync(new Uint8Array(raw)) : raw;
    if (p.endsWith('/_bulk_docs')) {
      const b = JSON.parse(body.toString('utf8')) as { docs?: { _id?: string }[] };
      return (b.docs ?? []).map((d) => String(d._id));
    }
    if (p.endsWith('/_revs_diff')) return Object.keys(JSON.parse(body.toString('utf8')) as object);
    if (p.endsWith('/_bulk_get')) {
      const b = JSON.parse(body.toString('utf8')) as { docs?: { id?: string }[] };
      return (b.docs ?? []).map((d) => String(d.id));
    }
  } catch {
    // not JSON: not one of ours
  }
  return [];
}

/** A cuttable HTTP proxy in front of `target` (the whole link, in both directions). */
export async function startProxy(name: string, target: string, opts: ProxyOptions = {}): Promise<Proxy> {
  const t = new URL(target);
  const agent = new http.Agent({ keepAlive: false });
  const sockets = new Set<net.Socket>();
  const upstream = new Set<http.ClientRequest>();
  let down = false;
  let silent = false;
  const cut = (): void => {
    down = true;
    for (const r of upstream) r.destroy();
    for (const s of sockets) s.destroy();
  };
  const proxy: Proxy = {
    name,
    url: '',
    up: () => !down,
    cut,
    silence: () => {
      silent = true;
      // What was under way upstream is dropped there; the desk's side hears nothing.
      for (const r of upstream) r.destroy();
    },
    restore: () => {
      // The connections left open through the silence are long dead at the other end: when
      // packets flow again they are reset, as a server that timed them out resets them.
      if (silent) for (const sock of sockets) sock.destroy();
      down = false;
      silent = false;
    },
    log: [],
    cutAfterBulkDocs: null,
    counts: { requests: 0, preflights: 0, bytesUp: 0, bytesDown: 0, byKind: {} },
    timeline: [],
    close: async () => {
      cut();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
  const server = http.createServer((req, res) => {
    if (down) return void req.socket.destroy();
    if (silent) return;
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => chunks.push(c));
    req.on('end', () => {
      if (down) return void req.socket.destroy();
      if (silent) return;
      const body = Buffer.concat(chunks);
      const p = (req.url ?? '/').split('?')[0] ?? '/';
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const docGet = req.method === 'GET' && /\/evt(%3A|:)/i.test(p);
      const tracked =
        (req.method === 'POST' &&
          (p.endsWith('/_bulk_docs') || p.endsWith('/_revs_diff') || p.endsWith('/_bulk_get'))) ||
        p.endsWith('/_changes') ||
        docGet;
      const headers = { ...req.headers, host: t.host };
      delete headers['connection'];
      // The proxy compresses (`gzip`) or nobody does (`identity`): the server is asked for plain.
      const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (opts.responses) delete headers['accept-encoding'];
      const counts = proxy.counts;
      if (req.method === 'OPTIONS') counts.preflights++;
      else {
        counts.requests++;
        const kind = requestKind(req.method ?? 'GET', p);
        counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
        counts.bytesUp += body.length;
      }
      const moment = {
        at: Date.now(),
        what: `${req.method ?? 'GET'} ${req.url ?? '/'}`,
        answeredAt: null as number | null,
      };
      proxy.timeline.push(moment);
      res.on('finish', () => (moment.answeredAt = Date.now()));
      const up = http.request(
        { hostname: t.hostname, port: t.port, path: req.url, method: req.method, headers, agent },
        (ures) => {
          if (silent) return void ures.destroy();
          const entry: ProxiedRequest | null = tracked
            ? {
                method: req.method ?? 'POST',
                path: p,
                ids: docGet
                  ? [decodeURIComponent(p.split('/').pop() ?? '')]
                  : idsOf(p, body, req.headers['content-encoding']),
                status: ures.statusCode ?? null,
                ...(p.endsWith('/_changes') ? { since: query.get('since') ?? '0' } : {}),
              }
            : null;
          if (entry) proxy.log.push(entry);
          if (entry && p.endsWith('/_bulk_docs') && proxy.cutAfterBulkDocs) {
            // Buffer the answer: the hook may decide that the link drops before it gets back.
            const rchunks: Uint8Array[] = [];
            ures.on('data', (c: Uint8Array) => rchunks.push(c));
            ures.on('end', () => {
              upstream.delete(up);
              if (proxy.cutAfterBulkDocs?.(entry)) {
                cut();
                return;
              }
              res.writeHead(ures.statusCode ?? 502, ures.headers);
              res.end(Buffer.concat(rchunks));
            });
            return;
          }
          ures.on('end', () => upstream.delete(up));
          // CouchDB answers JSON as text/plain to a client that does not accept application/json.
          const json = /json|text\/plain/.test(String(ures.headers['content-type'] ?? ''));
          if (opts.responses === 'gzip' && acceptsGzip && json && !ures.headers['content-encoding']) {
            const { 'content-length': _length, ...plainHeaders } = ures.headers;
            res.writeHead(ures.statusCode ?? 502, { ...plainHeaders, 'content-encoding': 'gzip' });
            // Each chunk flushed as it comes (nginx with `proxy_buffering off`): a feed's heartbeat
            // reaches the desk at once instead of waiting in the compressor.
            const gz = createGzip({ flush: zlibConstants.Z_SYNC_FLUSH });
            gz.on('data', (c: Uint8Array) => (proxy.counts.bytesDown += c.length));
            ures.pipe(gz).pipe(res);
            return;
          }
          res.writeHead(ures.statusCode ?? 502, ures.headers);
          ures.on('data', (c: Uint8Array) => (proxy.counts.bytesDown += c.length));
          ures.pipe(res);
        },
      );
      upstream.add(up);
      up.on('error', () => {
        upstream.delete(up);
        if (!silent) req.socket.destroy();
      });
      up.end(body);
    });
  });
  server.on('connection', (s) => {
    if (down) return void s.destroy();
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  proxy.url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  return proxy;
}

// ---------------------------------------------------------------------------------------------
// Servers

/** The server admin of the server under test (the dev central's, or KENSE_TEST_COUCH_URL's). */
export const adminAuth = testAdminAuth();

/** The development central with the production validation rules and the given staff accounts. */
export async function startLabCentral(staff: StaffUser[], offices = ['ALM01']): Promise<Central> {
  // The dev central, or an external CouchDB 3 (KENSE_TEST_COUCH_URL; tests/integration/lab/couch.ts).
  // The lab page is served from a port chosen at run time: any origin may call (a test server only).
  const couch = await startTestCouch({
    port: await freePort(),
    offices,
    logins: staff.map((s) => s.login),
    corsOrigins: ['*'],
  });
  for (const s of staff) await putStaffUser({ url: couch.url, ...testAdmin() }, s);
  return { url: couch.url, stop: couch.stop };
}

/** A staff account holding several roles (a small office where one person wears several hats). */
export async function putUser(url: string, login: string, password: string, roles: string[]): Promise<void> {
  const r = await fetch(`${url}/_users/${encodeURIComponent(`org.couchdb.user:${login}`)}`, {
    method: 'PUT',
    headers: { authorization: adminAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${login}`, name: login, type: 'user', roles, password }),
  });
  if (r.status !== 201 && r.status !== 202) throw new Error(`user ${login}: HTTP ${r.status} ${await r.text()}`);
}

/** Ids in a server's office database (as the admin): events by default, all with prefix ''. */
export async function serverEventIds(url: string, db = 'office_alm01', prefix = 'evt:'): Promise<string[]> {
  const range = prefix
    ? `?startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(`${prefix}\ufff0`))}`
    : '';
  const r = await fetch(`${url}/${db}/_all_docs${range}`, {
    headers: { authorization: adminAuth },
  });
  if (!r.ok) throw new Error(`_all_docs of ${url}: HTTP ${r.status}`);
  const body = (await r.json()) as { rows: { id: string }[] };
  return body.rows.map((row) => row.id);
}
