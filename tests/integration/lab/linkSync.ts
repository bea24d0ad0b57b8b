/**
 * A desk's sync measured through a shaped link (link.ts): the development central on the host's
 * loopback behind a counting proxy, a Chromium in the desk's network namespace running the desk's
 * own data layer and sync (page.ts), and the link between them. Used by the CI link test
 * (tests/integration/linkSync.test.ts) and by `npm run bench -- --link` (bench/link.ts).
 */
import type { Central } from '../../../scripts/central';
import {
  bundleLabPage,
  launchLab,
  serveLab,
  serverEventIds,
  sleep,
  startLabCentral,
  startProxy,
  tmpDir,
  type Lab,
  type LabPage,
  type LabServer,
  type Proxy,
  type ProxyCounts,
} from './harness';
import { startLink, type Link, type LinkShape } from './link';

export const LINK_CLERK = {
  login: 'aigerim',
  password: 'secret-aigerim',
  role: ['clerk', 'head', 'executor'],
  office: 'ALM01',
};
/** Ports inside the namespaces (private to them): the page in the desk's, central in the central's. */
const PAGE_PORT = 8080;
const CENTRAL_PORT = 5984;

export interface LinkLab {
  link: Link;
  central: Central;
  proxy: Proxy;
  lab: Lab;
  desk: LabPage;
  /** Central as the desk sees it: across the link. */
  centralUrl: string;
  close: () => Promise<void>;
}

export async function openLinkLab(
  shape: LinkShape,
  o: { responses?: 'identity' | 'gzip'; seed?: number } = {},
): Promise<LinkLab> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const [central, dir] = await Promise.all([startLabCentral([LINK_CLERK]), bundleLabPage()]);
    closers.push(() => central.stop());
    const server: LabServer = await serveLab(dir);
    closers.push(() => server.close());
    // Apache CouchDB 3 sends responses uncompressed: by default, so does the lab's central.
    const proxy = await startProxy('link', central.url, { responses: o.responses ?? 'identity' });
    closers.push(() => proxy.close());
    const link = await startLink(
      shape,
      [
        { side: 'd', host: '127.0.0.1', port: PAGE_PORT, target: server.url.replace('http://', '') },
        { side: 'c', host: '10.231.0.2', port: CENTRAL_PORT, target: proxy.url.replace('http://', '') },
      ],
      o.seed,
    );
    closers.push(() => link.close());
    const lab = await launchLab(server, tmpDir('link-profile'), {
      executablePath: link.chromiumInDesk(),
      pageUrl: `http://127.0.0.1:${PAGE_PORT}`,
    });
    closers.push(() => lab.close());
    const desk = await lab.page();
    return { link, central, proxy, lab, desk, centralUrl: `http://${link.centralIp}:${CENTRAL_PORT}`, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export interface LinkRun {
  /** Until every event had reached its destination. */
  ms: number;
  /** Until every event without a scan had (the day's applications). */
  eventsMs: number;
  events: number;
  /** Events central held before (a push's desk pulls them meanwhile: they cross the link too). */
  pulledAlong: number;
  scans: number;
  jsonBytes: number;
  requests: number;
  /** CORS preflights (OPTIONS) on top of the requests. */
  preflights: number;
  /**
   * What the preflights held requests back, added up: for each, from its arrival at central to the
   * arrival of the request it cleared. Requests in parallel overlap, so this bounds from above what
   * sending no preflight at all (same origin, or cookies instead of an Authorization header) saves.
   */
  preflightMs: number;
  byKind: Record<string, number>;
  bytesUp: number;
  bytesDown: number;
  /** Documents sent up in `_bulk_docs`, each time it was sent (a re-sent batch counts again). */
  docsUp: number;
  /** Documents central was asked for (`_bulk_get`, single GETs), each time asked. */
  docsDown: number;
  /** The line's states and the sync's, in order (`checking`, `dead`, `up`; `SYNC offline` …). */
  trail: string[];
}

/** See LinkRun.preflightMs. */
export function preflightDelay(timeline: Proxy['timeline'], from: number, to: number): number {
  let total = 0;
  timeline.forEach((r, i) => {
    if (r.at < from || r.at > to || !r.what.startsWith('OPTIONS ')) return;
    const url = r.what.slice('OPTIONS '.length);
    const cleared = timeline.slice(i + 1).find((x) => !x.what.startsWith('OPTIONS ') && x.what.endsWith(` ${url}`));
    if (cleared) total += cleared.at - r.at;
  });
  return total;
}

function countsSince(
  before: ProxyCounts,
  after: ProxyCounts,
): Omit<
  LinkRun,
  'ms' | 'eventsMs' | 'events' | 'pulledAlong' | 'scans' | 'jsonBytes' | 'preflightMs' | 'docsUp' | 'docsDown' | 'trail'
> {
  const byKind: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byKind)) {
    const d = v - (before.byKind[k] ?? 0);
    if (d > 0) byKind[k] = d;
  }
  return {
    requests: after.requests - before.requests,
    preflights: after.preflights - before.preflights,
    byKind,
    bytesUp: after.bytesUp - before.bytesUp,
    bytesDown: after.bytesDown - before.bytesDown,
  };
}

const snapshot = (c: ProxyCounts): ProxyCounts => ({ ...c, byKind: { ...c.byKind } });

/** Documents moved by the requests central saw from the `from`-th on (proxy log). */
function docsMoved(l: LinkLab, from: number): { docsUp: number; docsDown: number } {
  const log = l.proxy.log.slice(from);
  const count = (f: (r: (typeof log)[number]) => boolean): number =>
    log.filter(f).reduce((a, r) => a + r.ids.length, 0);
  return {
    docsUp: count((r) => r.path.endsWith('/_bulk_docs')),
    docsDown: count((r) => r.path.endsWith('/_bulk_get') || r.method === 'GET'),
  };
}

/** The line's and the sync's states since t0 (the line's trail, its aborts and failures left out). */
async function trailSince(l: LinkLab, t0: number): Promise<string[]> {
  const line = await l.desk.call('lineCounts', 'central');
  return line.trail.filter((e) => e.at >= t0 && /^(checking|dead|up|SYNC )/.test(e.what)).map((e) => e.what);
}

let dbSerial = 0;

/** With LINK_DEBUG=1: the desk's sync snapshot and the link's figures every few seconds. */
async function debugTrace(l: LinkLab, t0: number, what: string): Promise<void> {
  if (!process.env['LINK_DEBUG']) return;
  const snap = (await l.desk.call('snapshots'))['central'];
  const st = await l.link.stats();
  console.warn(
    `[link ${what} ${((Date.now() - t0) / 1000).toFixed(0)} s] ${snap?.state ?? '-'} ${snap?.error ?? ''} ` +
      `pushed ${snap?.pushed ?? 0} pulled ${snap?.pulled ?? 0} pending ${String(snap?.pendingLocal)} ` +
      `requests ${l.proxy.counts.requests} ${JSON.stringify(l.proxy.counts.byKind)} ` +
      `up ${st['desk->central'].packets}/${st['desk->central'].lost} down ${st['central->desk'].packets}/${st['central->desk'].lost}`,
  );
}

/** With LINK_TRACE=1: the requests as central saw them and the line's own trail, in seconds from t0. */
async function printTimeline(l: LinkLab, t0: number, what: string): Promise<void> {
  if (!process.env['LINK_TRACE']) return;
  const line = await l.desk.call('lineCounts', 'central');
  const rows = [
    ...l.proxy.timeline
      .filter((r) => r.at >= t0)
      .map((r) => ({
        at: r.at,
        text: `${r.what.slice(0, 90)}${r.answeredAt ? ` (${((r.answeredAt - r.at) / 1000).toFixed(1)} s)` : ' (no answer)'}`,
      })),
    ...line.trail
      .filter((e) => e.at >= t0)
      .map((e) => ({ at: e.at, text: e.what.startsWith('SYNC') ? e.what : `LINE ${e.what}` })),
  ].sort((a, b) => a.at - b.at);
  console.warn(
    `[link ${what} timeline]\n` +
      rows.map((r) => `${((r.at - t0) / 1000).toFixed(1).padStart(6)}  ${r.text}`).join('\n') +
      `\nline: ${JSON.stringify({ ...line, trail: undefined })}`,
  );
}

/**
 * A desk holding a day's work pushes it to an empty office database on central. Timed from the
 * start of the desk's sync until central holds every event; `during` runs alongside (a cut).
 */
export async function measurePush(
  l: LinkLab,
  work: { apps: number; scans?: number; scanBytes?: number; batchSize?: number; appPrefix?: string },
  during?: (elapsed: () => number) => Promise<void>,
  timeoutMs = 600_000,
): Promise<LinkRun> {
  const filled = await l.desk.call('linkFill', {
    dbName: `link_push_${++dbSerial}`,
    apps: work.apps,
    login: LINK_CLERK.login,
    now: Date.parse('2026-03-10T05:00:00Z'),
    ...(work.scans ? { scans: work.scans, scanBytes: work.scanBytes ?? 300_000 } : {}),
    ...(work.appPrefix ? { appPrefix: work.appPrefix } : {}),
  });
  const scanIds = new Set(filled.scanIds);
  const already = (await serverEventIds(l.central.url)).length;
  const before = snapshot(l.proxy.counts);
  const logFrom = l.proxy.log.length;
  const t0 = Date.now();
  const elapsed = (): number => Date.now() - t0;
  await l.desk.call('startLinkSync', {
    url: l.centralUrl,
    username: LINK_CLERK.login,
    password: LINK_CLERK.password,
    ...(work.batchSize ? { batchSize: work.batchSize } : {}),
  });
  const side = during?.(elapsed);
  let eventsMs = 0;
  for (;;) {
    const ids = await serverEventIds(l.central.url);
    const scansThere = ids.filter((id) => scanIds.has(id)).length;
    const arrived = ids.length - already;
    if (eventsMs === 0 && arrived - scansThere >= filled.events - scanIds.size) eventsMs = elapsed();
    if (arrived >= filled.events) break;
    if (elapsed() > timeoutMs) throw new Error(`push: ${ids.length} of ${filled.events} after ${timeoutMs} ms`);
    if (elapsed() % 5000 < 120) await debugTrace(l, t0, 'push');
    await sleep(100);
  }
  const ms = elapsed();
  const preflightMs = preflightDelay(l.proxy.timeline, t0, t0 + ms);
  await side;
  await printTimeline(l, t0, 'push');
  const trail = await trailSince(l, t0);
  await l.desk.call('stopSync', 'central');
  return {
    ms,
    eventsMs,
    events: filled.events,
    pulledAlong: already,
    scans: scanIds.size,
    jsonBytes: filled.jsonBytes,
    preflightMs,
    ...countsSince(before, l.proxy.counts),
    ...docsMoved(l, logFrom),
    trail,
  };
}

/** A fresh desk (an empty office database) pulls everything central holds. */
export async function measurePull(l: LinkLab, timeoutMs = 600_000, batchSize?: number): Promise<LinkRun> {
  const total = (await serverEventIds(l.central.url)).length;
  await l.desk.call('linkOpenEmpty', `link_pull_${++dbSerial}`);
  const before = snapshot(l.proxy.counts);
  const logFrom = l.proxy.log.length;
  const t0 = Date.now();
  await l.desk.call('startLinkSync', {
    url: l.centralUrl,
    username: LINK_CLERK.login,
    password: LINK_CLERK.password,
    // Another desk of the same person: the events it pulls are not its own to deliver.
    device: 'D02',
    ...(batchSize ? { batchSize } : {}),
  });
  for (;;) {
    const n = (await l.desk.call('linkCounts')).events;
    if (n >= total) break;
    if (Date.now() - t0 > timeoutMs) throw new Error(`pull: ${n} of ${total} after ${timeoutMs} ms`);
    if ((Date.now() - t0) % 5000 < 120) await debugTrace(l, t0, `pull ${n}`);
    await sleep(100);
  }
  const ms = Date.now() - t0;
  await printTimeline(l, t0, 'pull');
  const trail = await trailSince(l, t0);
  await l.desk.call('stopSync', 'central');
  return {
    ms,
    eventsMs: ms,
    events: total,
    pulledAlong: 0,
    scans: 0,
    jsonBytes: 0,
    preflightMs: preflightDelay(l.proxy.timeline, t0, t0 + ms),
    ...countsSince(before, l.proxy.counts),
    ...docsMoved(l, logFrom),
    trail,
  };
}
