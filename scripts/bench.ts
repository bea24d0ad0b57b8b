/**
 * `npm run bench`: the data layer's figures, measured in Debian's Chromium (real IndexedDB on
 * disk) against the development central server. It prints a table and writes bench/results.json.
 *
 *   npm run bench                        # 10,000 applications (~50,000 events), a few minutes
 *   npm run bench -- --apps 100000       # the issue's size
 *   npm run bench -- --help
 *
 * Steps: generate applications with the workflow engine (shared/workflow/drive.ts) and load them
 * into central; build the bench page (bench/) and the app (renderer/) with Vite; in Chromium,
 * download the office database several ways and write the same documents with no network (the
 * raw write rate), open the desk (initial projection), time appends until the read model shows
 * them, time the inbox queries, rebuild the read model, open the real app on its inbox and read its
 * memory; start the real app on a new desk (empty profile), sign in online and time the inbox and
 * the whole office; then compare pouchdb-find with Dexie and the two PouchDB adapters, and measure
 * the cost of encryption at rest (bench/crypto.ts). Long tasks on the pages' main threads are
 * counted throughout; issue 13's goals are printed last, each with today's figure beside.
 *
 *   npm run bench -- --crypto-only       # only the encryption figures, in a minute
 *   npm run bench -- --link              # a desk's day of work through three shaped links (root; bench/link.ts)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build, preview, type PreviewServer } from 'vite';
import { benchStaffDirectory, generateApplications } from '../bench/generate';
import { DEFAULT_CRYPTO_PARAMS } from '../bench/crypto';
import { formatLinkRow, runLinkBench } from '../bench/link';
import { BENCH_PASSWORD } from '../bench/protocol';
import type {
  AdapterResult,
  LongTasks,
  RawWriteResult,
  AppInboxResult,
  BenchApi,
  CryptoResult,
  InboxResult,
  LatencyResult,
  OpenDeskResult,
  PageInfo,
  Percentiles,
  RebuildResult,
  ReplicateResult,
  ReplicateStrategy,
  SealedDeskResult,
} from '../bench/protocol';
import { bundledCatalogue } from '../shared/catalogue';
import { officeDbName } from '../shared/couch';
import { parseEvent, type EventDoc } from '../shared/events';
import { DEV_ADMIN, startCentral } from '../server/dev/central';
import { bundleHubServer } from '../server/hub/bundle';
import { startHub, type Hub } from '../server/hub/officeHub';
import { HUB_ADAPTER, leveldbAdapter } from '../server/hub/storage';
import { putStaffUser } from '../server/provision';
import { SESSION_KEY } from '../renderer/state/session';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { attachmentMd5Plugin, rendererAlias } from '../vite.renderer';
import { WorkerProfiler } from '../bench/workerProfiler';
import { cpuBetween, cpuSnapshot, processCpuMs } from '../bench/processCpu';

/** Enough appends on a fresh desk for stable medians, in well under a minute. */
const SEALED_APPENDS = 300;

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** The bench's Chromium: headless, no GPU, no sandbox, nothing fetched in the background. */
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--enable-precise-memory-info',
  '--no-first-run',
];
const OFFICE = 'ALM01';
const DB_NAME = officeDbName(OFFICE);

const { values: args } = parseArgs({
  options: {
    apps: { type: 'string', default: '10000' },
    appends: { type: 'string', default: '2000' },
    'adapter-docs': { type: 'string', default: '60000' },
    'range-reads': { type: 'string', default: '2000' },
    puts: { type: 'string', default: '200' },
    'inbox-runs': { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    strategies: { type: 'string', default: 'default,tuned,bulk_get,first_download' },
    'skip-rebuild': { type: 'boolean', default: false },
    'appends-settle-s': { type: 'string', default: '0' },
    'default-cap-s': { type: 'string', default: '0' },
    'new-desk-timeout-s': { type: 'string', default: '2400' },
    'profile-new-desk': { type: 'string' },
    'new-desk-js-flags': { type: 'string' },
    'skip-new-desk': { type: 'boolean', default: false },
    'new-desk-on': { type: 'string' },
    'new-desk-login': { type: 'string', default: 'exec13' },
    'downloads-on': { type: 'string' },
    out: { type: 'string', default: path.join(root, 'bench', 'results.json') },
    keep: { type: 'boolean', default: false },
    'crypto-only': { type: 'boolean', default: false },
    hub: { type: 'boolean', default: false },
    'attachments-mb': { type: 'string', default: '200' },
    'scan-kb': { type: 'string', default: '100' },
    'hub-clients': { type: 'string', default: 'node,desk' },
    'hub-reuse': { type: 'string' },
    'hub-order': { type: 'string', default: 'central,hub' },
    link: { type: 'boolean', default: false },
    'link-names': { type: 'string', default: 'clean,middle,poor' },
    'link-apps': { type: 'string', default: '240' },
    'link-cut': { type: 'string', default: '60' },
    'link-scans': { type: 'string', default: '5' },
    'link-gzip': { type: 'boolean', default: false },
    'reports-only': { type: 'boolean', default: false },
    'report-apps': { type: 'string', default: '100000' },
    'report-fold': { type: 'string', default: '20000' },
    'region-offices': { type: 'string', default: '20' },
    'region-apps': { type: 'string', default: '10000' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  process.stdout.write(
    [
      'npm run bench -- [options]',
      '  --apps N            applications generated and loaded into central (default 10000)',
      '  --appends N         appends timed one by one, until the read model shows each (default 2000)',
      '  --adapter-docs N    events written into each PouchDB adapter for the comparison (default 60000)',
      '  --range-reads N     per-application range reads per adapter (default 2000)',
      '  --puts N            single puts per adapter (default 200)',
      '  --inbox-runs N      warm runs of each inbox query (default 30)',
      '  --seed N            data generator seed (default 1)',
      '  --strategies LIST   first-download strategies to time: default,tuned,bulk_get,first_download,',
      '                      first_download_1000 (default: all but the last)',
      '  --skip-rebuild      leave out the read-model rebuild (the initial projection is measured anyway)',
      '  --appends-settle-s S  time the appends again after S seconds idle, once the store has settled after the',
      "                      initial projection (IndexedDB's compactions): what a desk at work sees (default 0: not run)",
      '  --default-cap-s S   stop the PouchDB-defaults download after S seconds and rate what it wrote (default 0:',
      '                      to the end; at 100,000 applications it alone takes most of an hour here)',
      '  --skip-new-desk     leave out the real app on a new desk (sign-in → inbox, → whole office projected)',
      '  --new-desk-timeout-s S  give the new desk up after S seconds, reporting how far it got (default 2400)',
      "  --new-desk-on DIR   only the new desk, against the central of a kept run's directory (--keep), signing in",
      '                      as --new-desk-login (default exec13); its applications from DIR/load.json',
      '  --downloads-on DIR  only the downloads (--strategies) and the raw writes, against the central of a kept',
      "                      run's directory, each in a browser profile of its own",
      "  --profile-new-desk FILE  CPU profiles of the new desk's window from sign-in to the inbox (FILE) and on to",
      '                      the whole office (FILE-office.cpuprofile), and of its workers over the latter',
      '                      (FILE-office-workerN.cpuprofile; Chrome DevTools opens them)',
      "  --new-desk-js-flags=F  V8 flags for the new desk's browser (e.g. =--trace-gc; its output with DEBUG=pw:browser)",
      '  --out FILE          results file (default bench/results.json)',
      '  --keep              keep the temporary directory (central data, browser profile)',
      '  --crypto-only       only the encryption-at-rest figures (no central, no data); printed, not written',
      '  --hub               the office hub instead: its start time, memory, seeding from central and a desk',
      '                      first download from it against the same from central (bench/results-hub.json)',
      '  --attachments-mb N  with --hub: megabytes of scans attached to registrations (default 200)',
      '  --scan-kb N         with --hub: size of one scan (default 100)',
      '  --hub-clients LIST  with --hub: whose first downloads to time: node (a Node client), desk (Chromium);',
      '                      default both (at 100,000 applications the Node client alone takes about 50 minutes);',
      '                      none: load and seed only (with --keep, for --hub-reuse runs on a quiet machine)',
      '  --hub-order LIST    with --hub: which server the desk downloads from first: central,hub (default) or',
      "                      hub,central (pairs of runs in both orders tell the servers from the machine's drift)",
      '  --hub-reuse DIR     with --hub: the central and hub data of an earlier run kept with --keep (DIR, the',
      "                      temporary directory it named): no loading, no seeding; the hub's start and the",
      '                      downloads measured again (DIR is kept)',
      '  --link              only the link figures (root): push and pull of a day of work through shaped links',
      '  --link-names LIST   links for --link: clean,middle,poor (default all three)',
      '  --link-apps N       applications of five events for --link (default 240: 1,200 events)',
      '  --link-cut S        a cut of S seconds in the middle of the push on the middle link (default 60; 0: none)',
      '  --link-scans N      a push with N scans of 300 KB among the events on the middle link (default 5; 0: none)',
      '  --link-gzip         also through a gzip-ing reverse proxy in front of central (nginx-like)',
      '  --reports-only      only the reports: the office report for a year over --report-apps applications',
      '                      (default 100000) in Chromium, and a regional report over --region-offices offices',
      '                      of --region-apps applications each (defaults 20 × 10000) on the dev central;',
      '                      the first --report-fold (default 20000) office applications and one office of the',
      '                      region go through the engine fold, the rest are those facts under other ids',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

const num = (name: keyof typeof args): number => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number, got ${String(args[name])}`);
  return v;
};
const APPS = num('apps');
const APPENDS = num('appends');
const RANGE_READS = num('range-reads');
const PUTS = num('puts');
const INBOX_RUNS = num('inbox-runs');
const SEED = num('seed');
const DEFAULT_CAP_MS = num('default-cap-s') * 1000;
const STRATEGIES: ReplicateStrategy[] = [
  {
    label: 'default',
    kind: 'replicate',
    batchSize: 100,
    batchesLimit: 10,
    ...(DEFAULT_CAP_MS > 0 ? { capMs: DEFAULT_CAP_MS } : {}),
  },
  { label: 'tuned', kind: 'replicate', batchSize: 1000, batchesLimit: 20 },
  { label: 'bulk_get', kind: 'bulkGet', batchSize: 1000, parallel: 2 },
  { label: 'first_download', kind: 'firstDownload', batchSize: 2000, parallel: 3 },
  // The desk's with the plain strategy's batches (1,000, 2 in flight): measured no better.
  { label: 'first_download_1000', kind: 'firstDownload', batchSize: 1000, parallel: 2 },
];
const chosen = args.strategies.split(',').map((x) => x.trim());
const strategies = STRATEGIES.filter((x) => chosen.includes(x.label));
if (strategies.length === 0 || strategies.length !== chosen.length)
  throw new Error(`--strategies: pick from ${STRATEGIES.map((x) => x.label).join(', ')}`);
/** The desk's office database is the one downloaded by standard replication where it ran. */
const KEEP = strategies.find((x) => x.label === 'tuned') ?? strategies[strategies.length - 1];

const log = (line: string): void => console.warn(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function shell(cmd: string, argv: string[]): string {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

// ─── Data: generated with the workflow engine, loaded into central ──────────────────────────────

interface LoadResult {
  apps: number;
  events: number;
  /** Events left out: from the first one the server's rules refuse (see the report's notes). */
  droppedEvents: number;
  droppedApps: number;
  generateMs: number;
  uploadMs: number;
}

/** Scans attached to the registration of the first `count` applications, `bytes` each (random: like JPEGs, incompressible). */
interface Scans {
  count: number;
  bytes: number;
}

async function loadCentral(url: string, scans: Scans = { count: 0, bytes: 0 }): Promise<LoadResult> {
  const services = bundledCatalogue().services;
  const auth = 'Basic ' + Buffer.from(`${DEV_ADMIN.user}:${DEV_ADMIN.password}`).toString('base64');
  const now = Date.now();
  // Small enough for the dev central to take in one request (1,000 applications broke its pipe here).
  const CHUNK = scans.count > 0 ? 50 : 250;
  let events = 0;
  let droppedEvents = 0;
  let droppedApps = 0;
  let attached = 0;
  let generateMs = 0;
  let uploadMs = 0;
  // The office's staff directory first, as the central service would have written it.
  const staff = await fetch(`${url}/${DB_NAME}/_bulk_docs`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ docs: benchStaffDirectory(OFFICE, now) }),
  });
  if (!staff.ok) throw new Error(`central refused the staff directory: HTTP ${staff.status}`);
  for (let from = 0; from < APPS; from += CHUNK) {
    const t0 = performance.now();
    const docs: EventDoc[] = [];
    for (const app of generateApplications({ services, apps: Math.min(CHUNK, APPS - from), from, seed: SEED, now })) {
      const bad = app.findIndex((e) => !parseEvent(e).ok);
      if (bad >= 0) {
        droppedEvents += app.length - bad;
        droppedApps++;
      }
      const kept = bad >= 0 ? app.slice(0, bad) : app;
      const first = kept[0];
      if (first && attached < scans.count) {
        attached++;
        (first as EventDoc & { _attachments?: object })._attachments = {
          'scan.jpg': { content_type: 'image/jpeg', data: randomBytes(scans.bytes).toString('base64') },
        };
      }
      docs.push(...kept);
    }
    const t1 = performance.now();
    const post = (): Promise<Response> =>
      fetch(`${url}/${DB_NAME}/_bulk_docs`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ docs }),
      });
    // Generating a chunk can outlast the server's keep-alive: the reused socket may be closed as
    // the request goes out (undici's "other side closed"). Sent again, an event that did land is a
    // conflict with itself (ids are content-addressed), and only then is a conflict accepted.
    let retried = false;
    const r = await post().catch((e: unknown) => {
      if ((e as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw e;
      retried = true;
      return post();
    });
    const body = (await r.json()) as { id: string; error?: string; reason?: string }[];
    const failed = body.filter((x) => x.error && !(retried && x.error === 'conflict'));
    if (!r.ok || failed.length > 0)
      throw new Error(`central refused ${failed.length} events, e.g. ${JSON.stringify(failed[0] ?? r.status)}`);
    uploadMs += performance.now() - t1;
    generateMs += t1 - t0;
    events += docs.length;
    if ((from / CHUNK) % 10 === 9 || from + CHUNK >= APPS)
      log(`central: ${Math.min(from + CHUNK, APPS)} apps, ${events} events`);
  }
  return { apps: APPS, events, droppedEvents, droppedApps, generateMs, uploadMs };
}

// ─── Pages ──────────────────────────────────────────────────────────────────────────────────────

/**
 * Collects the page's long tasks (over 50 ms on its main thread) from its first script on: run by
 * Playwright before the page's own scripts, on the bench page and on the app alike.
 */
function collectLongTasks(): void {
  const w = window as Window & { __kenseLongTasks?: number[]; __kenseLongTasksOver200?: [number, number][] };
  w.__kenseLongTasks = [];
  w.__kenseLongTasksOver200 = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      w.__kenseLongTasks?.push(e.duration);
      // When, too (the page's clock): the new desk's log places them in its download.
      if (e.duration > 200) w.__kenseLongTasksOver200?.push([e.startTime, e.duration]);
    }
  }).observe({ type: 'longtask', buffered: true });
}

/** The long tasks collected on the page since the last call (and forgets them). */
async function takeLongTasks(page: Page): Promise<LongTasks> {
  const ds = await page.evaluate(() => {
    const w = window as Window & { __kenseLongTasks?: number[] };
    return w.__kenseLongTasks?.splice(0) ?? [];
  });
  return summariseLongTasks(ds);
}

function summariseLongTasks(ds: number[]): LongTasks {
  return {
    count: ds.length,
    over200: ds.filter((d) => d > 200).length,
    maxMs: Math.round(Math.max(0, ...ds)),
    totalMs: Math.round(ds.reduce((a, b) => a + b, 0)),
  };
}

const worstOf = (xs: LongTasks[]): LongTasks =>
  xs.reduce(
    (a, b) => ({
      count: a.count + b.count,
      over200: a.over200 + b.over200,
      maxMs: Math.max(a.maxMs, b.maxMs),
      totalMs: a.totalMs + b.totalMs,
    }),
    { count: 0, over200: 0, maxMs: 0, totalMs: 0 },
  );

async function openBenchPage(context: BrowserContext, base: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(collectLongTasks);
  page.on('pageerror', (e) => log(`page exception: ${e.message}`));
  page.on('console', (m) => {
    // PouchDB's replication asks for checkpoints that do not exist yet: those 404s are expected.
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('404 (Not Found)'))
      log(`page ${m.type()}: ${m.text()}`);
  });
  await page.goto(`${base}/bench/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return page;
}

/**
 * Runs `run` on a bench page in a browser profile of its own (an empty IndexedDB store), then
 * closes it and deletes the profile.
 */
async function inFreshProfile<T>(
  tmp: string,
  label: string,
  base: string,
  run: (page: Page) => Promise<T>,
): Promise<T> {
  const dir = path.join(tmp, `profile-${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: BROWSER_ARGS,
  });
  try {
    return await run(await openBenchPage(context, base));
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Downloads {
  replication: ReplicateResult[];
  rawWrite: RawWriteResult;
  rawWriteWhole: RawWriteResult;
  rawSlicedLong: LongTasks;
  rawWholeLong: LongTasks;
}

/**
 * The chosen downloads from central, then the raw write of the same documents (read from central,
 * untimed): as the first download writes them (the replica writer), and in one plain `bulkDocs` a batch. Each on a store that holds nothing else: Chromium keeps one LevelDB
 * per origin, and what it holds or held slows the next writes (at 100,000 applications a raw write
 * beside the downloads ran at 562 docs/s, on a fresh store at 4,230). The kept download goes first, on `keptPage` when given (the
 * profile the later steps use, still empty); every other download and each raw write in a profile
 * of its own.
 */
async function measureDownloads(o: {
  tmp: string;
  base: string;
  central: string;
  keptPage?: Page;
}): Promise<Downloads> {
  const access = { url: `${o.central}/${DB_NAME}`, user: DEV_ADMIN.user, password: DEV_ADMIN.password };
  const download = (p: Page, s: (typeof strategies)[number], warm: boolean): Promise<ReplicateResult[]> =>
    step(p, 'replicate', {
      central: access,
      office: OFFICE,
      strategies: [s],
      keepLabel: KEEP?.label ?? 'tuned',
      keepAs: DB_NAME,
      warm,
    });
  const byLabel = new Map<string, ReplicateResult>();
  const logged = (xs: ReplicateResult[]): void => {
    // Each figure logged as it comes: a run stopped part-way (100,000 applications take an hour) keeps them.
    for (const x of xs) {
      byLabel.set(x.label, x);
      log(
        `${x.label}: ${f(x.docs)} docs, ${f(x.docsPerSec)} docs/s in ${f(x.ms / 1000, 1)} s${x.capped ? ' (capped)' : ''}`,
      );
    }
  };
  const kept = strategies.find((x) => x.label === KEEP?.label) ?? strategies[strategies.length - 1];
  let warm = true;
  for (const s of kept ? [kept, ...strategies.filter((x) => x !== kept)] : strategies) {
    const w = warm;
    warm = false;
    logged(
      s === kept && o.keptPage
        ? await download(o.keptPage, s, w)
        : await inFreshProfile(o.tmp, s.label, o.base, (p) => download(p, s, w)),
    );
  }
  const batchDocs = strategies.find((x) => x.kind === 'firstDownload')?.batchSize ?? 2000;
  const raw = (sliceDocs?: number): Promise<{ result: RawWriteResult; long: LongTasks }> =>
    inFreshProfile(o.tmp, sliceDocs === undefined ? 'raw' : 'raw-whole', o.base, async (p) => {
      await takeLongTasks(p);
      const result = await step(p, 'rawWrite', {
        office: OFFICE,
        source: { central: access },
        batchDocs,
        ...(sliceDocs === undefined ? {} : { sliceDocs }),
      });
      return { result, long: await takeLongTasks(p) };
    });
  // As the first download writes: the replica writer's worker, in its slices.
  const sliced = await raw();
  log(
    `raw write as the download writes: ${f(sliced.result.docs)} docs, ${f(sliced.result.docsPerSec)} docs/s, slices of ${f(sliced.result.sliceDocs)}`,
  );
  // Plain PouchDB: one bulkDocs per batch on the page's thread (no worker, no slices).
  const whole = await raw(batchDocs);
  log(`raw write, plain bulkDocs: ${f(whole.result.docs)} docs, ${f(whole.result.docsPerSec)} docs/s`);
  return {
    replication: strategies.flatMap((s) => byLabel.get(s.label) ?? []),
    rawWrite: sliced.result,
    rawWriteWhole: whole.result,
    rawSlicedLong: sliced.long,
    rawWholeLong: whole.long,
  };
}

/** Calls one step of the page's API (a plain JSON argument, a JSON answer). */
function step<K extends keyof BenchApi>(
  page: Page,
  name: K,
  arg?: Parameters<BenchApi[K]>[0],
): Promise<Awaited<ReturnType<BenchApi[K]>>> {
  log(`step ${name}`);
  const cpu0 = cpuSnapshot();
  const t0 = performance.now();
  const done = page.evaluate(
    async ([n, a]) => {
      const api = window.kenseBench;
      if (!api) throw new Error('the bench page did not load');
      const f = api[n] as (x: unknown) => unknown;
      return (await f(a)) as Awaited<ReturnType<BenchApi[K]>>;
    },
    [name, arg] as const,
  ) as Promise<Awaited<ReturnType<BenchApi[K]>>>;
  // Each step's length in the log (a run stopped part-way still tells how long its steps took), and
  // the CPU each process used in it: what the step cost beyond the page's own thread.
  return done.then((x) => {
    const cpu = cpuBetween(cpu0, cpuSnapshot()).filter((c) => c.cpuS >= 0.5);
    log(
      `step ${name} done in ${f((performance.now() - t0) / 1000, 1)} s; CPU ` +
        (cpu.map((c) => `${c.role} ${f(c.cpuS, 1)} s`).join(', ') || 'under 0.5 s each'),
    );
    return x;
  });
}

interface Memory {
  /** CDP Performance.getMetrics after a forced garbage collection (bytes). */
  jsHeapUsed: number;
  jsHeapTotal: number;
  documents: number;
  nodes: number;
}

async function memory(context: BrowserContext, page: Page): Promise<Memory> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const m = (name: string): number => metrics.find((x) => x.name === name)?.value ?? NaN;
  return {
    jsHeapUsed: m('JSHeapUsedSize'),
    jsHeapTotal: m('JSHeapTotalSize'),
    documents: m('Documents'),
    nodes: m('Nodes'),
  };
}

interface AppLoad {
  /** Navigation → sign-in → the inbox shows its first rows (the app opens the desk; read model already built). */
  msToInbox: number;
  memory: Memory;
}

async function loadApp(
  context: BrowserContext,
  base: string,
  signedIn: { key: string; value: string },
): Promise<AppLoad> {
  const page = await context.newPage();
  // Signed in for this tab, as the app keeps it (sessionStorage), before the app's scripts run.
  await page.addInitScript(({ key, value }) => sessionStorage.setItem(key, value), signedIn);
  page.on('pageerror', (e) => log(`app error: ${e.message}`));
  const t0 = performance.now();
  await page.goto(`${base}/renderer/index.html#/inbox`);
  // The desk's keys live in memory only: the person signs in again (offline, the slow verifier
  // pass included in the figure), as anyone opening the app does.
  await page.getByTestId('signin-login').fill((JSON.parse(signedIn.value) as { login: string }).login);
  await page.getByTestId('signin-password').fill(BENCH_PASSWORD);
  await page.getByTestId('signin-submit').click();
  await page.waitForSelector('[data-testid="inbox-list"] [data-testid="application-row"]', { timeout: 600_000 });
  const msToInbox = performance.now() - t0;
  await page.waitForTimeout(2000);
  const mem = await memory(context, page);
  await page.close();
  return { msToInbox, memory: mem };
}

interface NewDeskResult {
  login: string;
  /** Sign-in submitted (online, against central) → the inbox shows its first row. */
  msToInbox: number;
  /** Sign-in submitted → the read model holds every application of the office; null if never. */
  msToOffice: number | null;
  applications: number;
  expected: number;
  /** Loading the app up to the sign-in form; from the sign-in to the inbox; then to the whole office. */
  longTasks: { load: LongTasks; toInbox: LongTasks; toOffice: LongTasks };
  /**
   * CPU seconds each kind of process used from the sign-in to the whole office (bench/processCpu.ts):
   * the dev central and the browser share this machine's cores with the desk.
   */
  cpu: { role: string; cpuS: number }[];
}

/**
 * The real app on a new desk: a browser profile of its own (no replica, no read model, nobody
 * remembered), the desk set up with central's address, the person signs in online. Times the
 * inbox's first row and the whole office in the read model (counted in IndexedDB every 2 s, from
 * outside the app), and counts the window's long tasks meanwhile.
 */
async function newDesk(o: {
  tmp: string;
  base: string;
  central: string;
  login: string;
  role: 'head' | 'executor';
  expected: number;
  timeoutMs: number;
}): Promise<NewDeskResult> {
  await putStaffUser(
    { url: o.central, user: DEV_ADMIN.user, password: DEV_ADMIN.password },
    { login: o.login, password: BENCH_PASSWORD, role: o.role, office: OFFICE, fullName: o.login },
  );
  const profile = path.join(o.tmp, 'profile-new-desk');
  mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      ...(args['new-desk-js-flags'] ? [`--js-flags=${args['new-desk-js-flags']}`] : []),
    ],
  });
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`new desk error: ${e.message}`));
    await page.addInitScript(collectLongTasks);
    // The desk's set-up as Settings writes it (renderer/state/session.ts), on the first load only.
    await page.addInitScript(
      ({ key, value }) => {
        if (!localStorage.getItem(key)) localStorage.setItem(key, value);
      },
      {
        key: SESSION_KEY,
        value: JSON.stringify({ state: { office: OFFICE, desk: 'D10', server: o.central }, version: 2 }),
      },
    );
    await page.goto(`${o.base}/renderer/index.html#/inbox`);
    await page.getByTestId('signin-login').fill(o.login);
    await page.getByTestId('signin-password').fill(BENCH_PASSWORD);
    const load = await takeLongTasks(page);
    // Where the window's long tasks come from (Chrome DevTools opens the file).
    const profileTo = args['profile-new-desk'];
    const cdp = profileTo ? await context.newCDPSession(page) : null;
    const workers = cdp ? await WorkerProfiler.attach(cdp) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const cpuAtSignIn = cpuSnapshot();
    const pageAtSignIn = await page.evaluate(() => performance.now());
    const t0 = performance.now();
    await page.getByTestId('signin-submit').click();
    await page.waitForSelector('[data-testid="inbox-list"] [data-testid="application-row"]', {
      timeout: o.timeoutMs,
    });
    const msToInbox = performance.now() - t0;
    // The second phase's profile beside the first: FILE-office.cpuprofile.
    const officeProfileTo = profileTo?.replace(/(\.cpuprofile)?$/, '-office.cpuprofile');
    if (cdp && profileTo) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileTo, JSON.stringify(profile));
      log(`new desk: CPU profile written to ${profileTo}`);
      await cdp.send('Profiler.start');
      // The projection worker from the inbox on: where the whole office's time goes once the window idles.
      await workers?.start();
    }
    const toInbox = await takeLongTasks(page);
    log(`new desk: inbox shown ${f(msToInbox / 1000, 1)} s after sign-in; waiting for ${f(o.expected)} applications`);
    let applications = 0;
    let heap = 0;
    let msToOffice: number | null = null;
    let lastLog = 0;
    while (performance.now() - t0 < o.timeoutMs) {
      ({ applications, heap } = await page.evaluate(async () => {
        // The read model's applications, counted with plain IndexedDB (its name: readModel.ts).
        const names = (await indexedDB.databases()).flatMap((d) => (d.name?.startsWith('kense_read_') ? [d.name] : []));
        let most = 0;
        for (const name of names) {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const r = indexedDB.open(name);
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error ?? new Error(name));
          });
          try {
            if (!db.objectStoreNames.contains('applications')) continue;
            const n = await new Promise<number>((resolve, reject) => {
              const r = db.transaction('applications').objectStore('applications').count();
              r.onsuccess = () => resolve(r.result);
              r.onerror = () => reject(r.error ?? new Error(name));
            });
            most = Math.max(most, n);
          } finally {
            db.close();
          }
        }
        // The window's JS heap (Chromium's, rounded): what its garbage collector has to trace.
        const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
        return { applications: most, heap: memory?.usedJSHeapSize ?? 0 };
      }));
      if (applications >= o.expected) {
        msToOffice = performance.now() - t0;
        break;
      }
      if (performance.now() - lastLog > 60_000) {
        lastLog = performance.now();
        log(
          `new desk: ${f(applications)} of ${f(o.expected)} applications in the read model; window's JS heap ${mb(heap)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    const toOffice = await takeLongTasks(page);
    const over200 = await page.evaluate(
      () => (window as Window & { __kenseLongTasksOver200?: [number, number][] }).__kenseLongTasksOver200 ?? [],
    );
    const after = over200.filter(([at]) => at >= pageAtSignIn);
    if (after.length > 0)
      log(
        `new desk: tasks over 200 ms at ` +
          after.map(([at, d]) => `${f((at - pageAtSignIn) / 1000, 1)} s (${f(d)} ms)`).join(', ') +
          ' after sign-in',
      );
    const cpu = cpuBetween(cpuAtSignIn, cpuSnapshot());
    const wallS = (performance.now() - t0) / 1000;
    log(
      `new desk: CPU from sign-in over ${f(wallS, 1)} s on ${os.cpus().length} cores: ` +
        cpu.map((c) => `${c.role} ${f(c.cpuS, 1)} s`).join(', '),
    );
    if (cdp && officeProfileTo) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(officeProfileTo, JSON.stringify(profile));
      log(`new desk: CPU profile of inbox → whole office written to ${officeProfileTo}`);
      const workerProfiles = (await workers?.stop()) ?? [];
      workerProfiles.forEach((w, i) => {
        const to = officeProfileTo.replace(/\.cpuprofile$/, `-worker${i + 1}.cpuprofile`);
        writeFileSync(to, JSON.stringify(w.profile));
        log(`new desk: CPU profile of a worker (${w.url.slice(-60)}) written to ${to}`);
      });
      await cdp.detach();
    }
    log(
      msToOffice === null
        ? `new desk: ${f(applications)} of ${f(o.expected)} applications after ${f(o.timeoutMs / 1000)} s: stopped`
        : `new desk: the whole office projected ${f(msToOffice / 1000, 1)} s after sign-in`,
    );
    return {
      login: o.login,
      msToInbox: Math.round(msToInbox),
      msToOffice: msToOffice === null ? null : Math.round(msToOffice),
      applications,
      expected: o.expected,
      longTasks: { load, toInbox, toOffice },
      cpu,
    };
  } finally {
    await context.close();
  }
}

// ─── Report ─────────────────────────────────────────────────────────────────────────────────────

interface Results {
  date: string;
  command: string;
  machine: {
    nproc: number;
    cpu: string;
    memTotal: string;
    free: string;
    chromium: string;
    userAgent: string;
    node: string;
    disk: string;
    /** Load averages (1, 5, 15 min) at the start and the end: other work on the machine skews figures. */
    loadStart: number[];
    loadEnd: number[];
  };
  params: Record<string, number>;
  strategies: string[];
  load: LoadResult;
  replication: ReplicateResult[];
  open: OpenDeskResult;
  benchPageMemory: { beforeDesk: Memory; afterDesk: Memory };
  latency: LatencyResult;
  /** The same appends after `--appends-settle-s` seconds idle (null when not asked for). */
  latencySettled: LatencyResult | null;
  appInbox: AppInboxResult;
  rebuild: RebuildResult | null;
  /** The first download's documents written again with no network (bench/page.ts rawWrite). */
  rawWrite: RawWriteResult | null;
  /** The same, each batch in one `bulkDocs` (as before the writes were sliced), and the long tasks of each. */
  rawWriteWhole: RawWriteResult | null;
  rawWriteLongTasks: { sliced: LongTasks; whole: LongTasks } | null;
  newDesk: NewDeskResult | null;
  /** Long tasks on the bench page's main thread during each step (the projection runs in its worker). */
  longTasks: { openDesk: LongTasks; latency: LongTasks; rebuild: LongTasks | null };
  app: { executor: AppLoad; head: AppLoad };
  inbox: InboxResult;
  adapters: AdapterResult[];
  sealedDesk: SealedDeskResult;
  crypto: CryptoResult;
  totalMs: number;
}

const f = (x: number, d = 0): string =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—';
const mb = (bytes: number): string => `${f(bytes / 1048576, 1)} MB`;
const pct = (p: Percentiles, d = 1): string => `p50 ${f(p.p50, d)} / p95 ${f(p.p95, d)} ms`;

/** The figures as rows: what, value, size. */
export function figureRows(r: Results): [string, string, string][] {
  const rows: [string, string, string][] = [];
  const ev = `${f(r.load.apps)} apps, ${f(r.load.events)} events`;
  const lat = r.latency;
  rows.push([
    '1. Append → read model (all)',
    pct(lat.withProjection),
    `${f(lat.appends)} appends onto ${f(lat.eventsBefore)} events`,
  ]);
  rows.push([
    '   registration → read model',
    pct(lat.registerWithProjection),
    `${f(lat.registerWithProjection.n)} appends`,
  ]);
  rows.push(['   action → read model', pct(lat.actionWithProjection), `${f(lat.actionWithProjection.n)} appends`]);
  rows.push(['   append write only (strict durability)', pct(lat.writeOnly), `${f(lat.writeOnly.n)} appends`]);
  const ib = r.inbox;
  const inboxSize = `${f(ib.applications)} apps; ${f(ib.matching)} match, first ${ib.returned}`;
  rows.push(["2. Inbox first page, Dexie (app's inboxPage)", pct(ib.dexie.ms, 2), inboxSize]);
  rows.push(['   same through pouchdb-find (office db)', pct(ib.pouchFind.ms, 2), inboxSize]);
  rows.push([
    '   pouchdb-find / Dexie (medians)',
    `${f(ib.ratio, 1)}×${ib.sameAnswer ? '' : ' (answers differ!)'}`,
    'same run',
  ]);
  rows.push([
    '   pouchdb-find with `queueDue: {$gt: null}`',
    `${ib.pouchFind.gtNullReturned} rows returned of ${Math.min(50, ib.matching)}`,
    `${f(ib.withoutDue)} matching rows have no due date`,
  ]);
  rows.push(['   pouchdb-find index build', `${f(ib.pouchFind.createIndexMs)} ms`, `${f(ib.applications)} row docs`]);
  const hf = r.appInbox.headFiltered;
  const af = r.appInbox.applicationsFiltered;
  rows.push([
    '   head inbox filtered (service, late) by registration date',
    `${f(hf.ms.p50)} ms (${f(hf.shown)} of ${f(hf.rows)} rows)`,
    `median of 7; ${hf.serviceId}`,
  ]);
  rows.push([
    '   applications filtered (service, open) by due date',
    `${f(af.ms.p50)} ms (${f(af.shown)} of ${f(af.rows)} rows)`,
    'median of 7',
  ]);
  rows.push([
    '   app inbox on opening (first page + counts)',
    `head ${f(r.appInbox.head.ms.p50)} ms (${f(r.appInbox.head.shown)} of ${f(r.appInbox.head.rows)} rows), executor ${f(r.appInbox.executor.ms.p50)} ms (${f(r.appInbox.executor.shown)} of ${f(r.appInbox.executor.rows)} rows)`,
    'median of 7',
  ]);
  for (const x of r.replication) {
    const how =
      x.kind === 'replicate'
        ? `batch_size ${x.batchSize} × batches_limit ${x.batchesLimit}`
        : x.kind === 'bulkGet'
          ? `_bulk_get ${x.batchSize}`
          : `the desk's: view rows, open first, _bulk_get ${x.batchSize}`;
    const through = x.parallel ? `, ${x.parallel} in flight` : '';
    rows.push([
      `3. First download: ${x.label} (${how}${through})`,
      `${f(x.docsPerSec)} docs/s (${f(x.ms / 1000, 1)} s, ${f(x.requests)} requests)`,
      x.capped ? `${f(x.docs)} docs, stopped at its time cap (--default-cap-s)` : `${f(x.docs)} docs`,
    ]);
  }
  if (r.rawWrite)
    rows.push([
      "   raw write of the same documents, the download's own write (no network)",
      `${f(r.rawWrite.docsPerSec)} docs/s (${f(r.rawWrite.ms / 1000, 1)} s of writes)`,
      `${f(r.rawWrite.docs)} docs, ${f(r.rawWrite.batches)} writeReplicated batches (the replica writer) in slices of ${f(r.rawWrite.sliceDocs)}`,
    ]);
  if (r.rawWriteWhole)
    rows.push([
      "   raw write, each batch in one plain bulkDocs on the page's thread",
      `${f(r.rawWriteWhole.docsPerSec)} docs/s (${f(r.rawWriteWhole.ms / 1000, 1)} s of writes)`,
      `${f(r.rawWriteWhole.docs)} docs, ${f(r.rawWriteWhole.batches)} bulkDocs`,
    ]);
  const base = r.replication.find((x) => x.label === 'default');
  for (const x of r.replication) {
    if (base && x !== base)
      rows.push([`   ${x.label} / default`, `${f(x.docsPerSec / base.docsPerSec, 1)}×`, 'same run']);
    if (r.rawWrite)
      rows.push([`   ${x.label} / raw write`, `${f((x.docsPerSec / r.rawWrite.docsPerSec) * 100)} %`, 'same run']);
    if (r.rawWriteWhole)
      rows.push([
        `   ${x.label} / plain bulkDocs`,
        `${f((x.docsPerSec / r.rawWriteWhole.docsPerSec) * 100)} %`,
        'same run',
      ]);
  }
  if (r.rebuild)
    rows.push([
      '4. Read-model rebuild (personal fields sealed, blind index)',
      `${f(r.rebuild.eventsPerSec)} events/s (${f(r.rebuild.ms / 1000, 1)} s)`,
      `${f(r.rebuild.events)} events; until the first batch ${f(r.rebuild.firstBatchMs / 1000, 1)} s, after the last ${f(r.rebuild.afterLastBatchMs / 1000, 1)} s`,
    ]);
  rows.push([
    '   initial projection (Desk.open, empty model)',
    `${f((r.open.events * 1000) / r.open.ms)} events/s (${f(r.open.ms / 1000, 1)} s)`,
    `${f(r.open.events)} events`,
  ]);
  for (const [role, a] of [
    ['executor', r.app.executor],
    ['head', r.app.head],
  ] as const) {
    const rowsShown = role === 'head' ? r.appInbox.head.rows : r.appInbox.executor.rows;
    rows.push([
      `5. App JS heap, ${role}'s inbox (after GC)`,
      mb(a.memory.jsHeapUsed),
      `${ev}; ${f(rowsShown)} inbox rows; ${f(a.memory.nodes)} DOM nodes`,
    ]);
    rows.push([
      `   app start → ${role}'s inbox shown`,
      `${f(a.msToInbox)} ms`,
      'read model built; includes the offline sign-in (PBKDF2)',
    ]);
  }
  if (r.newDesk) {
    const n = r.newDesk;
    rows.push([
      '9. New desk (real app, empty profile): sign-in → inbox shown',
      `${f(n.msToInbox / 1000, 1)} s`,
      `${n.login}, online sign-in against central`,
    ]);
    rows.push([
      '   sign-in → whole office in the read model',
      n.msToOffice === null ? `not reached (${f(n.applications)} apps)` : `${f(n.msToOffice / 1000, 1)} s`,
      `${f(n.expected)} applications`,
    ]);
    for (const [what, lt] of [
      ['loading the app (to the sign-in form)', n.longTasks.load],
      ['sign-in → inbox', n.longTasks.toInbox],
      ['inbox → whole office', n.longTasks.toOffice],
    ] as const)
      rows.push([
        `   long tasks, app window, ${what}`,
        `max ${f(lt.maxMs)} ms; ${f(lt.over200)} over 200 ms`,
        `${f(lt.count)} tasks over 50 ms, ${f(lt.totalMs)} ms in all`,
      ]);
  }
  for (const [what, lt] of [
    ['initial projection', r.longTasks.openDesk],
    ['appends', r.longTasks.latency],
    ['rebuild', r.longTasks.rebuild],
    ['raw write, the replica writer', r.rawWriteLongTasks?.sliced ?? null],
    ['raw write, plain bulkDocs', r.rawWriteLongTasks?.whole ?? null],
  ] as const)
    if (lt)
      rows.push([
        `   long tasks, bench page, ${what}`,
        `max ${f(lt.maxMs)} ms; ${f(lt.over200)} over 200 ms`,
        `${f(lt.count)} tasks over 50 ms, ${f(lt.totalMs)} ms in all`,
      ]);
  rows.push([
    '   data layer only (bench page, desk open)',
    mb(r.benchPageMemory.afterDesk.jsHeapUsed),
    `before desk: ${mb(r.benchPageMemory.beforeDesk.jsHeapUsed)}`,
  ]);
  for (const a of r.adapters) {
    rows.push([
      `6. ${a.adapter}: bulk write`,
      `${f(a.bulkWrite.docsPerSec)} docs/s`,
      `${f(a.docs)} events, batches of 500`,
    ]);
    rows.push([`   ${a.adapter}: single put`, pct(a.put), `${a.put.n} puts`]);
    rows.push([
      `   ${a.adapter}: one application's events (allDocs range)`,
      `${f(a.rangeRead.perSec)} reads/s, ${pct(a.rangeRead.latency, 2)}`,
      `${f(a.rangeRead.reads)} reads`,
    ]);
    rows.push([
      `   ${a.adapter}: full allDocs scan with docs`,
      `${f(a.fullScan.docsPerSec)} docs/s`,
      `${f(a.docs)} events`,
    ]);
    rows.push([`   ${a.adapter}: changes feed`, `${f(a.changes.perSec)} changes/s`, `${f(a.docs)} events`]);
  }
  rows.push(...cryptoRows(r.crypto), ...sealedDeskRows(r.sealedDesk));
  return rows;
}

/** Issue 13's figures from before its work (same machine, lighter load), where this run has no baseline. */
const ISSUE_13_BEFORE = { rebuildEventsPerSec: 666, appendP95Ms: '42–137' };

/**
 * Issue 13's goals: target, this run's figure, today's (the old strategy, measured in this run
 * where the bench still has it; otherwise said), their ratio and whether the goal is met.
 */
export function goalRows(r: Results): string[][] {
  const rows: string[][] = [];
  const yes = (ok: boolean): string => (ok ? 'yes' : 'NO');
  const def = r.replication.find((x) => x.label === 'default');
  const own = r.replication.find((x) => x.kind === 'firstDownload');
  const totalDocs = own?.docs ?? r.load.events;
  // Today's desk downloaded by the live replication at PouchDB's defaults, projecting as it went:
  // its first start took at least that download.
  const todayDownloadMs = def ? (totalDocs / def.docsPerSec) * 1000 : NaN;
  const n = r.newDesk;
  rows.push([
    'inbox on a new desk after sign-in',
    '≤ 60 s',
    n ? `${f(n.msToInbox / 1000, 1)} s` : 'not run',
    'not in the bench',
    '—',
    n ? yes(n.msToInbox <= 60_000) : '—',
  ]);
  rows.push([
    'whole office projected on a new desk',
    '≤ 300 s',
    n?.msToOffice != null ? `${f(n.msToOffice / 1000)} s` : n ? 'not reached' : 'not run',
    def
      ? `≥ ${f(todayDownloadMs / 1000)} s (defaults download alone${def.capped ? ', its rate over the cap' : ''})`
      : '—',
    n?.msToOffice != null && def ? `≤ ${f(n.msToOffice / todayDownloadMs, 2)}` : '—',
    n?.msToOffice != null ? yes(n.msToOffice <= 300_000) : 'NO',
  ]);
  rows.push([
    'rebuild, sealed',
    '≥ 5,000 events/s',
    r.rebuild ? `${f(r.rebuild.eventsPerSec)} events/s` : 'not run',
    `${f(ISSUE_13_BEFORE.rebuildEventsPerSec)} events/s (issue 13, not this run)`,
    r.rebuild ? `${f(r.rebuild.eventsPerSec / ISSUE_13_BEFORE.rebuildEventsPerSec, 1)}×` : '—',
    r.rebuild ? yes(r.rebuild.eventsPerSec >= 5000) : '—',
  ]);
  if (r.rawWrite && own) {
    const share = own.docsPerSec / r.rawWrite.docsPerSec;
    rows.push([
      'first download / raw write of the same docs',
      '≥ 80 %',
      `${f(share * 100)} % (${f(own.docsPerSec)} / ${f(r.rawWrite.docsPerSec)} docs/s)${
        r.rawWriteWhole
          ? `; ${f((own.docsPerSec / r.rawWriteWhole.docsPerSec) * 100)} % of plain bulkDocs (${f(r.rawWriteWhole.docsPerSec)})`
          : ''
      }`,
      def ? `${f((def.docsPerSec / r.rawWrite.docsPerSec) * 100)} % (defaults, ${f(def.docsPerSec)} docs/s)` : '—',
      def ? `${f(own.docsPerSec / def.docsPerSec, 1)}×` : '—',
      yes(share >= 0.8),
    ]);
  }
  rows.push([
    'append until shown, p95',
    '≤ 50 ms',
    `${f(r.latency.withProjection.p95, 1)} ms`,
    `${ISSUE_13_BEFORE.appendP95Ms} ms (issue 13, not this run)`,
    '—',
    yes(r.latency.withProjection.p95 <= 50),
  ]);
  const windows = [r.longTasks.openDesk, r.longTasks.latency, ...(r.longTasks.rebuild ? [r.longTasks.rebuild] : [])];
  if (n) windows.push(n.longTasks.toInbox, n.longTasks.toOffice);
  const worst = worstOf(windows);
  rows.push([
    'longest main-thread task (from sign-in on)',
    '≤ 200 ms',
    `${f(worst.maxMs)} ms (${f(worst.over200)} over 200 ms)${n ? `; loading the app: ${f(n.longTasks.load.maxMs)} ms` : ''}`,
    'not in the bench',
    '—',
    yes(worst.maxMs <= 200),
  ]);
  return rows;
}

/** Encryption at rest (AES-256-GCM, WebCrypto in Chromium): per event, per scan, at sign-in. */
export function cryptoRows(c: CryptoResult): [string, string, string][] {
  return [
    [
      '7. Encrypt + decrypt one event payload',
      `${f(c.eventSealUs, 1)} + ${f(c.eventOpenUs, 1)} µs (${f(c.eventsPerSec)} events/s)`,
      `${f(c.payloadBytes)} B JSON → ${f(c.sealedChars)} chars sealed; median of ${c.eventRuns} runs × ${f(c.batch)}`,
    ],
    [
      '   Encrypt + decrypt one scan',
      `${f(c.scanSealMs, 2)} + ${f(c.scanOpenMs, 2)} ms (${f(c.scanMBps, 1)} MB/s)`,
      `${f(c.scanBytes / 1048576, 1)} MB, median of ${c.scanRuns}`,
    ],
    [
      '   Unlock at sign-in (PBKDF2-SHA256)',
      `${f(c.unlockMs)} ms`,
      `${f(c.pbkdf2Iterations)} iterations, browser mode`,
    ],
  ];
}

/** The sealed office database against a clear one: the desk's own appends and rebuild. */
export function sealedDeskRows(r: SealedDeskResult): [string, string, string][] {
  const pct = (clear: number, sealed: number): string => `${clear > 0 ? f(((sealed - clear) / clear) * 100) : '?'} %`;
  return [
    [
      '8. Append until shown, clear → sealed (p50)',
      `${f(r.clear.withProjection.p50, 1)} → ${f(r.sealed.withProjection.p50, 1)} ms (${pct(r.clear.withProjection.p50, r.sealed.withProjection.p50)})`,
      `${f(r.sealed.appends)} appends on a fresh desk; p95 ${f(r.clear.withProjection.p95, 1)} → ${f(r.sealed.withProjection.p95, 1)} ms`,
    ],
    [
      '   Write alone, clear → sealed (p50)',
      `${f(r.clear.writeOnly.p50, 1)} → ${f(r.sealed.writeOnly.p50, 1)} ms`,
      'validation, chain, seal, IndexedDB commit',
    ],
    [
      '   Rebuild of the read model, clear → sealed',
      `${f(r.clear.rebuildEventsPerSec)} → ${f(r.sealed.rebuildEventsPerSec)} events/s`,
      `${f(r.sealed.rebuildEvents)} events; ${f(r.clear.rebuildMs)} → ${f(r.sealed.rebuildMs)} ms`,
    ],
  ];
}

/**
 * The bench page (and with `withApp` the app itself, as the bench drives it) built with Vite into
 * `outDir` and served from there on a free loopback port.
 */
async function serveBenchPage(outDir: string, o: { withApp?: boolean; minify?: boolean } = {}): Promise<PreviewServer> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    base: '/',
    resolve: { alias: rendererAlias },
    define: {
      __APP_VERSION__: JSON.stringify(o.withApp ? (process.env['npm_package_version'] ?? 'bench') : 'bench'),
    },
    plugins: o.withApp ? [react(), attachmentMd5Plugin()] : [attachmentMd5Plugin()],
    // The replica writer's worker bundles the adapter too (renderer/data/store/replicaWorker.ts).
    worker: { plugins: () => [attachmentMd5Plugin()] },
    build: {
      outDir,
      emptyOutDir: true,
      minify: o.minify === false ? false : 'esbuild',
      chunkSizeWarningLimit: 10_000,
      rollupOptions: {
        input: {
          bench: path.join(root, 'bench', 'index.html'),
          ...(o.withApp ? { app: path.join(root, 'renderer', 'index.html') } : {}),
        },
        onwarn: (w, warn) => {
          if (w.code !== 'INVALID_ANNOTATION') warn(w);
        },
      },
    },
  });
  return preview({
    configFile: false,
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: await freePort(), strictPort: true, open: false },
  });
}

/** `--crypto-only`: the bench page alone in headless Chromium, the encryption step, a table. */
async function cryptoOnly(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kense-bench-crypto-'));
  try {
    const outDir = path.join(tmp, 'web');
    const server = await serveBenchPage(outDir);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${(server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '')}/bench/index.html`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      const c = await step(page, 'crypto', DEFAULT_CRYPTO_PARAMS);
      const sealed = await step(page, 'sealedDesk', { appends: SEALED_APPENDS });
      const chromiumVersion = /Chromium ([\d.]+)/.exec(shell(CHROMIUM, ['--version']))?.[1] ?? '?';
      process.stdout.write(
        `\nKense benchmark — encryption at rest; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ` +
          `Chromium ${chromiumVersion}; load average ${os
            .loadavg()
            .map((x) => x.toFixed(2))
            .join(' ')}\n\n` +
          table([...cryptoRows(c), ...sealedDeskRows(sealed)]) +
          '\n',
      );
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * `--reports-only`: report facts made in Node from generated applications (the workflow engine's
 * fold, as the projector and the central writer make them), then (1) in Chromium, a read model with
 * those facts and its day index, and the office's SLA report for the year opened over it; (2) on the
 * dev central, the offices' reports databases filled with the same kind of facts, their totals made
 * by the central reports writer, and the regional report read as a supervisor's computer reads it.
 */
async function reportsOnly(): Promise<void> {
  const { reportFact, regionalFactDoc, periodOf } = await import('../shared/reports');
  const { fold } = await import('../shared/workflow');
  const { DEFAULT_CALENDAR } = await import('../shared/calendar');
  const { regionalReport } = await import('../renderer/data/remote/regional');
  const { putStaffUser } = await import('../server/provision');
  const { ReportsWriter } = await import('../server/central/reports/writer');
  const { loadCatalogue } = await import('../shared/catalogue/load');
  const catalogue = bundledCatalogue();
  const reportApps = num('report-apps');
  const offices = num('region-offices');
  const regionApps = num('region-apps');
  const now = Date.now();
  const year = periodOf('year', new Date(now - 86_400_000 * 30).toISOString().slice(0, 10));
  const factsOf = function* (count: number, seed: number, office: string, chunk: number) {
    for (let from = 0; from < count; from += chunk) {
      const out: NonNullable<ReturnType<typeof reportFact>>[] = [];
      for (const events of generateApplications({
        services: catalogue.services,
        apps: Math.min(chunk, count - from),
        from,
        seed,
        now,
        spanDays: 365,
        office,
      })) {
        const appId = events[0]?.appId ?? '';
        const f = reportFact(
          fold({
            appId,
            events: events.filter((e) => parseEvent(e).ok),
            service: (id, v) => catalogue.get(id, v),
            calendar: DEFAULT_CALENDAR,
            now,
          }),
          DEFAULT_CALENDAR,
        );
        if (f) out.push(f);
      }
      yield out;
    }
  };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kense-bench-reports-'));
  const rows: [string, string, string][] = [];
  const results: Record<string, unknown> = {};
  try {
    // (1) The office report in Chromium.
    if (reportApps > 0) {
      const outDir = path.join(tmp, 'web');
      const server = await serveBenchPage(outDir);
      const profile = path.join(tmp, 'profile');
      mkdirSync(profile, { recursive: true });
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      });
      try {
        const page = await context.newPage();
        await page.goto(`${(server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '')}/bench/index.html`);
        await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
        const name = 'bench_reports';
        const t0 = performance.now();
        let facts = 0;
        // Folded through the engine up to --report-fold applications, then the folded facts given
        // again under other application ids up to --report-apps (the fold is what takes minutes:
        // 100,000 applications over ten on a loaded machine). The day rows are as large as a real
        // office's of that size (slots, entries, dictionary); the durations repeat the folded ones.
        const folded = Math.min(reportApps, num('report-fold'));
        const pool: NonNullable<ReturnType<typeof reportFact>>[] = [];
        for (const chunk of factsOf(folded, SEED, OFFICE, 5000)) {
          pool.push(...chunk);
          facts += await step(page, 'reportsAdd', { name, facts: chunk });
          log(`reports: ${facts} facts in the read model`);
        }
        for (let copy = 1; facts < reportApps && pool.length > 0; copy++)
          for (let from = 0; from < pool.length && facts < reportApps; from += 5000) {
            const chunk = pool
              .slice(from, Math.min(from + 5000, from + reportApps - facts))
              .map((x) => ({ ...x, appId: `${x.appId}C${copy}` }));
            facts += await step(page, 'reportsAdd', { name, facts: chunk });
            log(`reports: ${facts} facts in the read model (copies)`);
          }
        const generateMs = performance.now() - t0;
        const index = await step(page, 'reportsIndex', { name });
        const timed = await step(page, 'reportsTime', { name, period: year, runs: 7 });
        results['office'] = { apps: reportApps, folded, facts, generateMs, index, timed, period: year };
        rows.push([
          `Office SLA report, a year (${year.from} — ${year.to}), cold`,
          `${f(timed.cold.totalMs)} ms (read ${f(timed.cold.readMs)} + compute ${f(timed.cold.computeMs)})`,
          `${f(facts)} apps; ${f(timed.dayRows)} day rows; ${f(timed.registered)} registered, ${f(timed.closed)} results`,
        ]);
        rows.push([
          '   warm, p50 / p95',
          `${f(timed.warm.p50)} / ${f(timed.warm.p95)} ms`,
          `${timed.warm.n} runs; read p50 ${f(timed.warmRead.p50)} ms`,
        ]);
        rows.push(['   with an executor filter', `${f(timed.filteredMs)} ms`, 'one run']);
        rows.push([
          '   bytes read (typed arrays and ids)',
          `${f(timed.bytes / 1e6, 1)} MB`,
          `${f(timed.dayRows)} rows`,
        ]);
        rows.push([
          '   reading every fact instead (no day index)',
          `${f(timed.scanAllFactsMs)} ms`,
          `${f(timed.facts)} facts`,
        ]);
        rows.push(['   day index rebuilt from the facts', `${f(index.ms)} ms`, `${f(index.rows)} rows`]);
        await step(page, 'reportsDrop', { name });
      } finally {
        await context.close();
        await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      }
      process.stdout.write(`\n${table(rows)}\n`);
    }

    // (2) The regional report on the dev central.
    if (offices > 0) {
      const codes = Array.from({ length: offices }, (_, i) => `R${String(i + 1).padStart(2, '0')}`);
      const central = await startCentral({
        port: await freePort(),
        dir: path.join(tmp, 'central'),
        offices: codes,
        quiet: true,
      });
      try {
        const auth = 'Basic ' + Buffer.from(`${DEV_ADMIN.user}:${DEV_ADMIN.password}`).toString('base64');
        const t0 = performance.now();
        // One office's facts made through the engine's fold, then given to every office under its
        // own code and application ids: folding 200,000 applications takes over half an hour on
        // this machine, and what is timed (the views' queries) depends on how many facts and on
        // which days, services and steps, not on which office holds them. So every office's
        // figures are the same here; each office's facts are still its own documents.
        const pool = [...factsOf(regionApps, SEED + 1, 'POOL', 1000)].flat();
        const poolMs = performance.now() - t0;
        log(`regional: ${pool.length} facts folded in ${f(poolMs / 1000, 1)} s`);
        for (const office of codes) {
          for (let from = 0; from < pool.length; from += 1000) {
            const docs = pool
              .slice(from, from + 1000)
              .map((x) => regionalFactDoc({ ...x, appId: `${x.appId}${office}`, office }));
            const status = await postOnce(
              `${central.url}/reports_${office.toLowerCase()}/_bulk_docs`,
              auth,
              JSON.stringify({ docs }),
            );
            if (status !== 201) throw new Error(`reports_${office}: HTTP ${status}`);
          }
          log(`regional: ${office} filled`);
        }
        const loadMs = performance.now() - t0;
        await putStaffUser(
          { url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password },
          { login: 'sup', password: 'bench-sup', role: 'supervisor', office: codes.join('+') },
        );
        const c = { server: central.url, login: 'sup', password: 'bench-sup' };
        const month = periodOf('month', new Date(now - 86_400_000 * 15).toISOString().slice(0, 10));
        const time = async (period: typeof year): Promise<number> => {
          const s = performance.now();
          const { failed } = await regionalReport(c, codes, period, {});
          if (failed.length > 0) throw new Error(`regional: ${JSON.stringify(failed)}`);
          return performance.now() - s;
        };
        // The writer makes each office's day and month totals from its facts, once (as on a reports
        // database from before totals; afterwards it keeps them batch by batch): timed apart.
        const writer = new ReportsWriter({
          url: central.url,
          user: DEV_ADMIN.user,
          password: DEV_ADMIN.password,
          offices: codes,
          catalogue: loadCatalogue([]),
          calendar: DEFAULT_CALENDAR,
        });
        const b0 = performance.now();
        for (const office of codes) await writer.ensureTotals(`reports_${office.toLowerCase()}`);
        const buildMs = performance.now() - b0;
        rows.push([
          `Regional totals made by the writer from the facts (${offices} offices)`,
          `${f(buildMs / 1000, 1)} s`,
          `${f(offices * regionApps)} facts`,
        ]);
        const firstYear = await time(year);
        const warmYear: number[] = [];
        for (let i = 0; i < 5; i++) warmYear.push(await time(year));
        const warmMonth: number[] = [];
        for (let i = 0; i < 5; i++) warmMonth.push(await time(month));
        const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
        results['regional'] = { offices, regionApps, poolMs, loadMs, buildMs, firstYear, warmYear, warmMonth };
        rows.push([
          `Regional report, ${offices} offices × ${f(regionApps)} apps, a year: first`,
          `${f(firstYear)} ms`,
          `${offices} requests (12 month totals each)`,
        ]);
        rows.push(['   the same again, median of 5', `${f(med(warmYear))} ms`, '']);
        rows.push(['   a month, median of 5', `${f(med(warmMonth))} ms`, `by day: ${month.from} — ${month.to}`]);
      } finally {
        await central.stop();
      }
    }
    const chromiumVersion = /Chromium ([\d.]+)/.exec(shell(CHROMIUM, ['--version']))?.[1] ?? '?';
    const load = os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    process.stdout.write(
      `\nKense benchmark — reports; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Chromium ${chromiumVersion}, Node ${process.version}; load average ${load}\n\n` +
        table(rows) +
        '\n',
    );
    const out = args.out.endsWith('results.json') ? path.join(root, 'bench', 'results-reports.json') : args.out;
    writeFileSync(
      out,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
          load,
          results,
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A POST on a connection of its own: between two chunks the generator runs for seconds, and a
 * reused keep-alive socket may be closed by the dev server just as the next request goes out.
 */
function postOnce(url: string, auth: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { authorization: auth, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function table(rows: readonly (readonly string[])[], head: readonly string[] = ['figure', 'value', 'size']): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => w.map((n, i) => (r[i] ?? '').padEnd(n)).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

// ─── Main ───────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const started = performance.now();
  const loadStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kense-bench-'));
  const cleanup: (() => Promise<void>)[] = [];
  try {
    log(`temporary directory ${tmp}`);
    const central = await startCentral({
      port: await freePort(),
      dir: path.join(tmp, 'central'),
      offices: [OFFICE],
      quiet: true,
    });
    cleanup.push(() => central.stop());
    log(`central at ${central.url}; generating ${APPS} applications`);
    const load = await loadCentral(central.url);
    log(`loaded ${load.events} events (${load.droppedEvents} dropped) into ${DB_NAME}`);
    // Kept beside the data (--keep) for --new-desk-on.
    writeFileSync(path.join(tmp, 'load.json'), JSON.stringify({ load }));

    log('building the bench page and the app with Vite');
    const outDir = path.join(tmp, 'web');
    // A profile names functions: the build is left unminified then.
    const server = await serveBenchPage(outDir, { withApp: true, minify: !args['profile-new-desk'] });
    cleanup.push(() => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
    const base = (server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');

    // A persistent profile: IndexedDB on disk. (An incognito-like context keeps it in memory.)
    const profile = path.join(tmp, 'profile');
    mkdirSync(profile, { recursive: true });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: BROWSER_ARGS,
    });
    cleanup.push(() => context.close());

    let page = await openBenchPage(context, base);
    const info: PageInfo = await step(page, 'info');
    const { replication, rawWrite, rawWriteWhole, rawSlicedLong, rawWholeLong } = await measureDownloads({
      tmp,
      base,
      central: central.url,
      keptPage: page,
    });
    const beforeDesk = await memory(context, page);
    await takeLongTasks(page);
    const open = await step(page, 'openDesk', { office: OFFICE, desk: 'D09', dbName: DB_NAME });
    const openLong = await takeLongTasks(page);
    log(
      `initial projection: ${f(open.events)} events, ${f((open.events * 1000) / open.ms)} events/s; long tasks max ${f(openLong.maxMs)} ms`,
    );
    const afterDesk = await memory(context, page);
    const appInbox = await step(page, 'appInbox');
    await takeLongTasks(page);
    const latency = await step(page, 'latency', { appends: APPENDS });
    const latencyLong = await takeLongTasks(page);
    log(`appends until shown: p50 ${f(latency.withProjection.p50, 1)} / p95 ${f(latency.withProjection.p95, 1)} ms`);
    // The same appends once the store has had time to settle: right after the initial projection
    // (half a million rows at 100,000 applications) IndexedDB's LevelDB is still compacting them.
    const settleS = Number(args['appends-settle-s']);
    let latencySettled: LatencyResult | null = null;
    if (settleS > 0) {
      log(`waiting ${f(settleS)} s before the appends again`);
      await new Promise((r) => setTimeout(r, settleS * 1000));
      latencySettled = await step(page, 'latency', { appends: APPENDS });
      await takeLongTasks(page);
      log(
        `appends until shown after ${f(settleS)} s idle: p50 ${f(latencySettled.withProjection.p50, 1)} / p95 ` +
          `${f(latencySettled.withProjection.p95, 1)} ms (the write alone p50 ${f(latencySettled.writeOnly.p50, 1)} / ` +
          `p95 ${f(latencySettled.writeOnly.p95, 1)} ms)`,
      );
    }
    const rebuild = args['skip-rebuild'] ? null : await step(page, 'rebuild');
    const rebuildLong = args['skip-rebuild'] ? null : await takeLongTasks(page);
    if (rebuild)
      log(
        `rebuild: ${f(rebuild.events)} events, ${f(rebuild.eventsPerSec)} events/s; until its first batch ${f(rebuild.firstBatchMs / 1000, 1)} s, after its last ${f(rebuild.afterLastBatchMs / 1000, 1)} s`,
      );
    await step(page, 'closeDesk');
    await page.close();
    // The real app on two inboxes: the busiest executor's, and the head's (every open row of the role).
    const appAs = async (login: string, role: 'head' | 'executor'): Promise<AppLoad> => {
      const setup = await openBenchPage(context, base);
      const signedIn = await step(setup, 'setSession', { office: OFFICE, desk: 'D09', login, role });
      await setup.close();
      log(`step app: the real renderer on the ${role}'s inbox`);
      return loadApp(context, base, signedIn);
    };
    const app = {
      executor: await appAs(appInbox.executor.login, 'executor'),
      head: await appAs('head1', 'head'),
    };
    log('step new desk: the real app on an empty profile, signed in online');
    const fresh = args['skip-new-desk']
      ? null
      : await newDesk({
          tmp,
          base,
          central: central.url,
          login: appInbox.executor.login,
          role: 'executor',
          expected: open.applications,
          timeoutMs: num('new-desk-timeout-s') * 1000,
        });

    page = await openBenchPage(context, base);
    const inbox = await step(page, 'inbox', {
      office: OFFICE,
      dbName: DB_NAME,
      status: 'in_progress',
      assignee: appInbox.executor.login,
      runs: INBOX_RUNS,
    });
    const adapters = await step(page, 'adapters', {
      office: OFFICE,
      sourceDb: DB_NAME,
      docs: Math.min(num('adapter-docs'), load.events),
      rangeReads: RANGE_READS,
      puts: PUTS,
    });
    const crypto = await step(page, 'crypto', DEFAULT_CRYPTO_PARAMS);
    const sealedDesk = await step(page, 'sealedDesk', { appends: SEALED_APPENDS });
    await page.close();

    const results: Results = {
      date: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: {
        nproc: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? '?',
        memTotal: `${f(os.totalmem() / 2 ** 30, 1)} GiB`,
        free: shell('free', ['-h']),
        chromium: /Chromium ([\d.]+)/.exec(shell(CHROMIUM, ['--version']))?.[1] ?? info.userAgent,
        userAgent: info.userAgent,
        node: process.version,
        disk: shell('df', ['-hT', tmp]).split('\n')[1] ?? '',
        loadStart,
        loadEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
      },
      params: {
        apps: APPS,
        appends: APPENDS,
        adapterDocs: Math.min(num('adapter-docs'), load.events),
        rangeReads: RANGE_READS,
        puts: PUTS,
        inboxRuns: INBOX_RUNS,
        seed: SEED,
        skipRebuild: args['skip-rebuild'] ? 1 : 0,
      },
      strategies: strategies.map((x) => x.label),
      load,
      replication,
      open,
      benchPageMemory: { beforeDesk, afterDesk },
      latency,
      latencySettled,
      appInbox,
      rebuild,
      rawWrite,
      rawWriteWhole,
      rawWriteLongTasks: { sliced: rawSlicedLong, whole: rawWholeLong },
      newDesk: fresh,
      longTasks: { openDesk: openLong, latency: latencyLong, rebuild: rebuildLong },
      app,
      inbox,
      adapters,
      crypto,
      sealedDesk,
      totalMs: performance.now() - started,
    };
    mkdirSync(path.dirname(args.out), { recursive: true });
    writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(
      `\nKense benchmark — ${f(load.apps)} applications, ${f(load.events)} events; ` +
        `${results.machine.nproc} CPUs, ${results.machine.memTotal}, Chromium ${results.machine.chromium}; ` +
        `load average ${loadStart.join(' ')} → ${results.machine.loadEnd.join(' ')}\n\n` +
        table(figureRows(results)) +
        `\n\nIssue 13's goals (today = the old strategy in this run where the bench has it)\n\n` +
        table(goalRows(results), ['goal', 'target', 'new', "today's", 'new / today', 'met']) +
        `\n\nWritten to ${path.relative(process.cwd(), args.out)} in ${f(results.totalMs / 1000)} s.\n`,
    );
  } finally {
    for (const c of cleanup.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    if (args.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

// ─── --hub: the office hub ──────────────────────────────────────────────────────────────────────

/**
 * A process's resident memory now and at its peak (Linux /proc), bytes; and of the resident, how
 * much is its own (anonymous: heap, malloc) rather than pages of files it maps (LevelDB's tables,
 * which the kernel can drop and read again).
 */
function rssOf(pid: number | null): { rss: number; peak: number; anon: number } {
  if (pid === null) return { rss: NaN, peak: NaN, anon: NaN };
  const status = shell('cat', [`/proc/${pid}/status`]);
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM'), anon: kb('RssAnon') };
}

/**
 * CPU time a process has used so far, user and system, all its threads, ms (Linux /proc): what
 * serving a download cost a server, which the pace alone does not tell on a machine whose two
 * cores the desk's window shares with it.
 */
function cpuMsOf(pid: number | null | undefined): number {
  if (pid === null || pid === undefined) return NaN;
  const ms = processCpuMs(pid);
  if (ms === null) throw new Error(`no process ${pid}`);
  return ms;
}

/** CPU ms per 1,000 documents the downloads wrote. */
const perThousand = (cpuMs: number, runs: readonly ReplicateResult[]): number =>
  (cpuMs * 1000) / runs.reduce((n, r) => n + r.docs, 0);

/** Resident memory by what holds it, bytes: LevelDB's table files, the program's own file, other files, anonymous. */
interface RssParts {
  tables: number;
  program: number;
  otherFiles: number;
  anon: number;
}

/**
 * A process's resident memory split by mapping (Linux /proc/PID/smaps): which of the resident pages
 * are LevelDB's mapped tables (`.ldb`), which the executable's own pages, which other files', which
 * anonymous. The peak's parts say what a setting of LevelDB's would move.
 */
function rssPartsOf(pid: number): RssParts {
  const parts: RssParts = { tables: 0, program: 0, otherFiles: 0, anon: 0 };
  let smaps: string;
  let exe: string;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return { tables: NaN, program: NaN, otherFiles: NaN, anon: NaN };
  }
  let file = '';
  for (const line of smaps.split('\n')) {
    // A mapping's header: address range, permissions, offset, device, inode, then the path if any.
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      file = head[1] === '0' ? '' : (head[2] ?? '');
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    const bytes = Number(rss[1]) * 1024;
    if (!file) parts.anon += bytes;
    else if (file.endsWith('.ldb') || file.endsWith('.sst')) parts.tables += bytes;
    else if (file === exe) parts.program += bytes;
    else parts.otherFiles += bytes;
  }
  return parts;
}

/**
 * Samples a process's resident memory until stopped: the highest values seen (total and
 * anonymous), and the parts of the highest total.
 */
function sampleRss(pid: number | null): () => { rss: number; anon: number; parts: RssParts | null } {
  const max: { rss: number; anon: number; parts: RssParts | null } = { rss: 0, anon: 0, parts: null };
  const sample = (): void => {
    const now = rssOf(pid);
    if (now.rss > max.rss && pid !== null) max.parts = rssPartsOf(pid);
    max.rss = Math.max(max.rss, now.rss);
    max.anon = Math.max(max.anon, now.anon);
  };
  sample();
  const timer = setInterval(sample, 200);
  return () => {
    clearInterval(timer);
    sample();
    return max;
  };
}

/**
 * The office database's documents other than design documents: what a hub relays (each server has
 * its own design documents; central has more than a hub, which never takes them).
 */
const docCount = async (url: string, auth: { user: string; password: string }): Promise<number> => {
  const headers = { authorization: 'Basic ' + Buffer.from(`${auth.user}:${auth.password}`).toString('base64') };
  const info = (await (await fetch(`${url}/${DB_NAME}`, { headers })).json()) as { doc_count: number };
  const range = new URLSearchParams({ startkey: JSON.stringify('_design/'), endkey: JSON.stringify('_design0') });
  const designs = (await (await fetch(`${url}/${DB_NAME}/_all_docs?${range.toString()}`, { headers })).json()) as {
    rows: unknown[];
  };
  return info.doc_count - designs.rows.length;
};

/**
 * `--hub`: an office of N applications and their scans on the dev central; a hub on an empty disk
 * seeded from it (its own first download); the hub restarted on that data (start time, memory);
 * then a desk in Chromium downloads the office database from central and from the hub, the same
 * ways, while the hub's memory is sampled. The hub runs as it ships: its bundle under Node.
 */
async function hubMain(): Promise<void> {
  const started = performance.now();
  const loadStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const reuse = args['hub-reuse'];
  if (reuse && !existsSync(path.join(reuse, 'hub-data'))) throw new Error(`--hub-reuse: no hub-data in ${reuse}`);
  const tmp = reuse ?? mkdtempSync(path.join(os.tmpdir(), 'kense-bench-hub-'));
  const cleanup: (() => Promise<void>)[] = [];
  try {
    log(`${reuse ? 'reusing' : 'temporary'} directory ${tmp}`);
    const bundle = path.join(tmp, 'hub', 'server.cjs');
    await bundleHubServer(path.join(root, 'server', 'hub', 'main.ts'), bundle);
    const central = await startCentral({
      port: await freePort(),
      dir: path.join(tmp, 'central'),
      offices: [OFFICE],
      quiet: true,
    });
    cleanup.push(() => central.stop());
    const scanBytes = num('scan-kb') * 1024;
    let scans = {
      count: Math.floor((num('attachments-mb') * 1024 * 1024) / Math.max(1, scanBytes)),
      bytes: scanBytes,
    };
    // What was loaded, kept beside the data for a later --hub-reuse (which takes its figures, not the options').
    const loadFile = path.join(tmp, 'load.json');
    let load: LoadResult;
    if (reuse) {
      const kept = existsSync(loadFile)
        ? (JSON.parse(readFileSync(loadFile, 'utf8')) as { load: LoadResult; scans: typeof scans })
        : null;
      load = kept?.load ?? {
        apps: APPS,
        events: NaN,
        droppedEvents: NaN,
        droppedApps: NaN,
        generateMs: NaN,
        uploadMs: NaN,
      };
      scans = kept?.scans ?? scans;
      log(`central at ${central.url}, on the data of ${tmp}`);
    } else {
      log(`central at ${central.url}; generating ${APPS} applications, ${scans.count} scans of ${num('scan-kb')} KB`);
      load = await loadCentral(central.url, scans);
      writeFileSync(loadFile, JSON.stringify({ load, scans }));
    }
    const centralDocs = await docCount(central.url, DEV_ADMIN);
    log(`loaded ${load.events} events (${centralDocs} documents besides design documents) into ${DB_NAME}`);

    const hubDir = path.join(tmp, 'hub-data');
    const port = await freePort();
    const startHubHere = (): Promise<Hub> =>
      startHub({
        office: OFFICE,
        port,
        dir: hubDir,
        central: { url: central.url, ...DEV_ADMIN },
        admin: DEV_ADMIN,
        quiet: true,
        serverScript: bundle,
        startTimeoutMs: 600_000,
      });
    // 1. Seeding: a new hub on an empty disk takes the office from central (not again on reused data).
    let t0 = performance.now();
    let seedMs = NaN;
    let seedPeakRss = { rss: NaN, anon: NaN };
    if (!reuse) {
      const seeding = await startHubHere();
      const seedStop = sampleRss(seeding.pid);
      for (;;) {
        const n = await docCount(seeding.url, DEV_ADMIN).catch(() => 0);
        if (n >= centralDocs) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      seedMs = performance.now() - t0;
      seedPeakRss = seedStop();
      log(`hub seeded from central: ${centralDocs} documents in ${f(seedMs / 1000, 1)} s`);
      await seeding.stop();
    }
    const diskBytes = Number(shell('du', ['-sb', hubDir]).split(/\s+/)[0] ?? NaN);

    // 2. Start on that data, as after a reboot.
    t0 = performance.now();
    const hub = await startHubHere();
    const startMs = performance.now() - t0;
    cleanup.push(() => hub.stop());
    await new Promise((r) => setTimeout(r, 3000));
    const idle = rssOf(hub.pid);
    log(`hub started in ${f(startMs)} ms; RSS ${mb(idle.rss)}`);

    // 3. A new desk's first download, from central and from the hub, the same ways.
    const outDir = path.join(tmp, 'web');
    const server = await serveBenchPage(outDir);
    cleanup.push(() => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
    const base = (server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
    // The same first download by a Node client (PouchDB on LevelDB), scans included: the servers
    // compared with everything they hold. (Plugins are added once per process: PouchDB refuses a
    // second replication plugin.)
    const Pouch = PouchDB.plugin(leveldbAdapter);
    if (!('replicate' in Pouch.prototype)) Pouch.plugin(httpAdapter).plugin(replication);
    const nodeDownload = async (
      url: string,
      label: string,
    ): Promise<{ docs: number; ms: number; docsPerSec: number }> => {
      const local = new Pouch(path.join(tmp, `client-${label}`), { adapter: HUB_ADAPTER });
      const remote = new Pouch(`${url}/${DB_NAME}`, {
        auth: { username: DEV_ADMIN.user, password: DEV_ADMIN.password },
        skip_setup: true,
      });
      const t = performance.now();
      // The desk's own sync settings (renderer/data/sync/sync.ts): batches of 100, 10 ahead.
      const r = await local.replicate.from(remote, { batch_size: 100, batches_limit: 10 });
      const ms = performance.now() - t;
      await local.destroy();
      return { docs: r.docs_written, ms: Math.round(ms), docsPerSec: Math.round(r.docs_written / (ms / 1000)) };
    };
    const clients = args['hub-clients'] === 'none' ? [] : args['hub-clients'].split(',').map((x) => x.trim());
    if (clients.some((c) => c !== 'node' && c !== 'desk'))
      throw new Error('--hub-clients: pick from node, desk, or none');
    const order = args['hub-order'].split(',').map((x) => x.trim());
    if (order.join(',') !== 'central,hub' && order.join(',') !== 'hub,central')
      throw new Error('--hub-order: central,hub or hub,central');
    const notRun = { docs: NaN, ms: NaN, docsPerSec: NaN };
    let nodeFromCentral = notRun;
    let nodeFromHub = notRun;
    let nodePeakRss: ReturnType<ReturnType<typeof sampleRss>> = { rss: 0, anon: 0, parts: null };
    if (clients.includes('node')) {
      log('step node client downloads');
      nodeFromCentral = await nodeDownload(central.url, 'central');
      log(`node client from central: ${f(nodeFromCentral.docs)} docs in ${f(nodeFromCentral.ms / 1000, 1)} s`);
      const nodeStop = sampleRss(hub.pid);
      nodeFromHub = await nodeDownload(hub.url, 'hub');
      nodePeakRss = nodeStop();
      log(`node client from the hub: ${f(nodeFromHub.docs)} docs in ${f(nodeFromHub.ms / 1000, 1)} s`);
    }

    // Each server's download on a browser profile of its own: one IndexedDB store per origin, and
    // the second download in a store that held the first ran slower for it (measureDownloads).
    let page: Page | null = null;
    const download = (url: string, label: string): Promise<ReplicateResult[]> =>
      inFreshProfile(tmp, `desk-${label}`, base, async (p) => {
        page = p;
        try {
          return await step(p, 'replicate', {
            central: { url: `${url}/${DB_NAME}`, user: DEV_ADMIN.user, password: DEV_ADMIN.password },
            office: OFFICE,
            strategies,
            keepLabel: 'none',
            keepAs: 'bench_unused',
          });
        } finally {
          page = null;
        }
      });
    // Chromium's desk (IndexedDB); with scans it fails in the indexeddb adapter ("The transaction has
    // finished"), from central as from the hub: reported, not hidden.
    let fromCentral: ReplicateResult[] = [];
    let fromHub: ReplicateResult[] = [];
    let deskError: string | null = null;
    // Each server's CPU time through the desk's downloads from it (all strategies).
    const serverCpuMs = { central: NaN, hub: NaN };
    const syncStop = sampleRss(hub.pid);
    // The window's own memory through the desk's downloads: its JS heap, and the resident memory of
    // Chromium's renderers (a renderer that runs out ends the page: "Target crashed").
    let deskHeapPeak = 0;
    let rendererPeak = 0;
    const deskMemory = setInterval(() => {
      const renderers = shell('sh', ['-c', "ps -eo rss=,args= | grep -- '--type=renderer' | grep -v grep || true"])
        .split('\n')
        .map((l) => Number(l.trim().split(/\s+/)[0]) * 1024)
        .filter((x) => x > 0);
      rendererPeak = Math.max(rendererPeak, ...renderers);
      void page
        ?.evaluate(
          () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
        )
        .then((heap) => {
          deskHeapPeak = Math.max(deskHeapPeak, heap);
          log(`desk window: JS heap ${mb(heap)}, renderers at most ${mb(Math.max(0, ...renderers))}`);
        })
        .catch(() => undefined);
    }, 15_000);
    cleanup.push(() => Promise.resolve(clearInterval(deskMemory)));
    const said = (from: string, r: ReplicateResult[]): void =>
      r.forEach((x) => log(`desk from ${from}, ${x.label}: ${f(x.docs)} docs in ${f(x.ms / 1000, 1)} s`));
    try {
      if (clients.includes('desk')) {
        for (const which of order) {
          if (which === 'central') {
            const cpu = cpuMsOf(central.pid);
            fromCentral = await download(central.url, 'central');
            serverCpuMs.central = cpuMsOf(central.pid) - cpu;
            said('central', fromCentral);
          } else {
            const cpu = cpuMsOf(hub.pid);
            fromHub = await download(hub.url, 'hub');
            serverCpuMs.hub = cpuMsOf(hub.pid) - cpu;
            said('the hub', fromHub);
          }
        }
        log(
          `servers' CPU through the desk's downloads: central ${f(serverCpuMs.central / 1000, 1)} s, hub ${f(serverCpuMs.hub / 1000, 1)} s`,
        );
      }
    } catch (e) {
      deskError = String(e).split('\n')[0] ?? String(e);
      log(`the desk's download failed: ${deskError}`);
    }
    clearInterval(deskMemory);
    const deskPeak = syncStop();
    const syncPeakRss = Math.max(deskPeak.rss, nodePeakRss.rss);
    const syncPeakAnon = Math.max(deskPeak.anon, nodePeakRss.anon);
    const syncPeakParts = deskPeak.rss >= nodePeakRss.rss ? deskPeak.parts : nodePeakRss.parts;

    const results = {
      date: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: {
        nproc: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? '?',
        memTotal: `${f(os.totalmem() / 2 ** 30, 1)} GiB`,
        node: process.version,
        chromium: /Chromium ([\d.]+)/.exec(shell(CHROMIUM, ['--version']))?.[1] ?? '?',
        disk: shell('df', ['-hT', tmp]).split('\n')[1] ?? '',
        loadStart,
        loadEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
      },
      load,
      scans: { count: scans.count, bytes: scans.bytes },
      hub: {
        documents: centralDocs,
        diskBytes,
        seed: {
          ms: Math.round(seedMs),
          docsPerSec: Math.round(centralDocs / (seedMs / 1000)),
          peakRss: seedPeakRss.rss,
        },
        startMs: Math.round(startMs),
        idleRss: idle.rss,
        syncPeakRss,
        syncPeakAnon,
        syncPeakParts,
      },
      download: {
        fromCentral,
        fromHub,
        deskError,
        serverCpuMs,
        node: { fromCentral: nodeFromCentral, fromHub: nodeFromHub },
      },
      totalMs: performance.now() - started,
    };
    const out =
      args.out === path.join(root, 'bench', 'results.json') ? path.join(root, 'bench', 'results-hub.json') : args.out;
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
    const rows: [string, string, string][] = [
      [
        'Office',
        `${f(load.apps)} apps, ${f(load.events)} events`,
        `${f(scans.count)} scans × ${f(scans.bytes / 1024)} KB = ${mb(scans.count * scans.bytes)}`,
      ],
      ['Hub data on disk (LevelDB)', mb(diskBytes), hubDir],
      [
        'Hub seeded from central (new hub, empty disk)',
        `${f(seedMs / 1000, 1)} s`,
        `${f(results.hub.seed.docsPerSec)} docs/s; peak RSS ${mb(seedPeakRss.rss)}`,
      ],
      ['Hub start on that data (spawn → status answers)', `${f(startMs)} ms`, 'goal ≤ 10 s'],
      ['Hub RSS after start', mb(idle.rss), 'goal ≤ 300 MB'],
      [
        'Hub peak RSS during a desk’s first download',
        mb(syncPeakRss),
        `goal ≤ 300 MB; of it anonymous (not mapped files) at most ${mb(syncPeakAnon)}`,
      ],
      [
        'Of that peak: LevelDB tables, program, other files, anonymous',
        syncPeakParts ? mb(syncPeakParts.tables) : '—',
        syncPeakParts
          ? `${mb(syncPeakParts.program)}, ${mb(syncPeakParts.otherFiles)}, ${mb(syncPeakParts.anon)}`
          : 'not sampled',
      ],
      ...(clients.includes('node')
        ? [
            [
              'First download, Node client (scans included): central → hub',
              `${f(nodeFromCentral.docsPerSec)} → ${f(nodeFromHub.docsPerSec)} docs/s`,
              `${f(nodeFromCentral.docs)} docs; ${f(nodeFromCentral.ms / 1000, 1)} s → ${f(nodeFromHub.ms / 1000, 1)} s; the desk's batches (100 × 10)`,
            ] as [string, string, string],
          ]
        : []),
      ...(deskError
        ? [['Desk first download in Chromium', 'failed', deskError.slice(0, 90)] as [string, string, string]]
        : []),
      ...(clients.includes('desk')
        ? [
            [
              'The desk window through its downloads, at most',
              `JS heap ${mb(deskHeapPeak)}`,
              `Chromium renderer RSS ${mb(rendererPeak)} (sampled every 15 s)`,
            ] as [string, string, string],
          ]
        : []),
      ...fromCentral.map((c, i): [string, string, string] => {
        const h = fromHub[i];
        return [
          `Desk first download, ${c.label}: central → hub`,
          `${f(c.docsPerSec)} → ${f(h?.docsPerSec ?? NaN)} docs/s`,
          `${f(c.docs)} docs; ${f(c.ms / 1000, 1)} s → ${f((h?.ms ?? NaN) / 1000, 1)} s; goal: hub ≥ central`,
        ];
      }),
      ...(clients.includes('desk')
        ? [
            [
              'The server’s CPU time per 1,000 documents served to the desk: central → hub',
              `${f(perThousand(serverCpuMs.central, fromCentral))} → ${f(perThousand(serverCpuMs.hub, fromHub))} ms`,
              `user + system, all threads; ${f(serverCpuMs.central / 1000, 1)} s → ${f(serverCpuMs.hub / 1000, 1)} s in all`,
            ] as [string, string, string],
          ]
        : []),
    ];
    process.stdout.write(
      `\nKense benchmark — office hub; ${results.machine.nproc} CPUs (${results.machine.cpu}), ${results.machine.memTotal}, ` +
        `Node ${process.version}, Chromium ${results.machine.chromium}; load average ${loadStart.join(' ')} → ${results.machine.loadEnd.join(' ')}\n\n` +
        table(rows) +
        `\n\nWritten to ${path.relative(process.cwd(), out)} in ${f(results.totalMs / 1000)} s.\n`,
    );
  } finally {
    for (const c of cleanup.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    if (args.keep || reuse) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

/** `--link`: the link lab's figures (bench/link.ts), printed as a table. */
async function linkOnly(): Promise<void> {
  const names = args['link-names'].split(',').map((x) => x.trim());
  const known = ['clean', 'middle', 'poor'] as const;
  const links = known.filter((k) => names.includes(k));
  if (links.length !== names.length) throw new Error(`--link-names: pick from ${known.join(', ')}`);
  log(
    `link lab: ${links.join(', ')}; machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const rows = await runLinkBench({
    links,
    apps: num('link-apps'),
    cutSeconds: num('link-cut'),
    scans: num('link-scans'),
    gzip: args['link-gzip'],
    log,
  });
  process.stdout.write(`\n${rows.map(formatLinkRow).join('\n')}\n`);
}

/**
 * Runs `measure` against the central of a kept run (`--keep`, either bench): the dev central started
 * on its data, a bench page served from a temporary directory; prints what `measure` returns, with
 * the load averages before and after.
 */
async function onKeptCentral(
  dir: string,
  page: { withApp?: boolean; minify?: boolean },
  measure: (o: { tmp: string; base: string; central: string; kept: LoadResult }) => Promise<object>,
): Promise<void> {
  const kept = JSON.parse(readFileSync(path.join(dir, 'load.json'), 'utf8')) as { load: LoadResult };
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const central = await startCentral({
      port: await freePort(),
      dir: path.join(dir, 'central'),
      offices: [OFFICE],
      quiet: true,
    });
    cleanup.push(() => central.stop());
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'kense-bench-kept-'));
    cleanup.push(() => Promise.resolve(rmSync(tmp, { recursive: true, force: true })));
    const server = await serveBenchPage(path.join(tmp, 'web'), page);
    cleanup.push(() => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
    const base = (server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
    log(`central at ${central.url} on ${dir}: ${f(kept.load.apps)} applications, ${f(kept.load.events)} events`);
    const loadStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
    const r = await measure({ tmp, base, central: central.url, kept: kept.load });
    const loadEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
    process.stdout.write(`\n${JSON.stringify({ ...r, loadStart, loadEnd }, null, 2)}\n`);
  } finally {
    for (const c of cleanup.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  }
}

/** The downloads and raw writes alone (measureDownloads), against the central of a kept run. */
const downloadsOnly = (dir: string): Promise<void> =>
  onKeptCentral(dir, {}, async ({ tmp, base, central }) => {
    const d = await measureDownloads({ tmp, base, central });
    for (const x of d.replication)
      log(
        `${x.label} / raw write as the download writes: ${f((x.docsPerSec / d.rawWrite.docsPerSec) * 100)} %; / plain bulkDocs: ${f((x.docsPerSec / d.rawWriteWhole.docsPerSec) * 100)} %`,
      );
    return d;
  });

/**
 * Only the real app on a new desk (sign-in → inbox → whole office, long tasks), against the central
 * of a kept run: at 100,000 applications the loading alone takes a quarter of an hour, and the
 * desk's own figures are what a change to the app moves.
 */
const newDeskOnly = (dir: string): Promise<void> =>
  onKeptCentral(dir, { withApp: true, minify: !args['profile-new-desk'] }, ({ tmp, base, central, kept }) =>
    newDesk({
      tmp,
      base,
      central,
      login: args['new-desk-login'],
      role: 'executor',
      expected: kept.apps,
      timeoutMs: num('new-desk-timeout-s') * 1000,
    }),
  );

await (args.link
  ? linkOnly()
  : args['new-desk-on']
    ? newDeskOnly(args['new-desk-on'])
    : args['downloads-on']
      ? downloadsOnly(args['downloads-on'])
      : args['crypto-only']
        ? cryptoOnly()
        : args['reports-only']
          ? reportsOnly()
          : args.hub
            ? hubMain()
            : main());
