import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '../../server/dev/central';
import {
  bundleLabPage,
  launchLab,
  removeTmpDirs,
  serveLab,
  serverEventIds,
  startLabCentral,
  startProxy,
  tmpDir,
  until,
  type Lab,
  type LabPage,
  type LabServer,
  type Proxy,
} from './lab/harness';

/**
 * A sync cut part-way resumes where it stopped: what already reached the server is not sent again
 * (PouchDB's checkpoints, and `_revs_diff` for the last unconfirmed batch), and everything arrives.
 * The desk's office database is real IndexedDB in Chromium; the server is the development central
 * with the production validation rules, the desk syncs as a real clerk account; a counting proxy on
 * the link sees every document body that goes up.
 */

const COUNT = 1000;
const BATCH = 100;
const clerk = { login: 'aigerim', password: 'secret-aigerim', role: 'clerk', office: 'ALM01' };

let central: Central;
let server: LabServer;
let lab: Lab;
let proxy: Proxy;
let desk: LabPage;

beforeAll(async () => {
  const [c, dir] = await Promise.all([startLabCentral([clerk]), bundleLabPage()]);
  central = c;
  server = await serveLab(dir);
  lab = await launchLab(server, tmpDir('resume-profile'));
  proxy = await startProxy('desk-central', central.url);
  desk = await lab.page();
}, 60_000);

afterAll(async () => {
  await desk?.call('closeResume').catch(() => undefined);
  await lab?.close();
  await proxy?.close();
  await server?.close();
  await central?.stop();
  removeTmpDirs();
});

/** Every document id sent up in a `_bulk_docs` that the server accepted, with how often. */
function sentBodies(p: Proxy): Map<string, number> {
  const sent = new Map<string, number>();
  for (const r of p.log) {
    if (!r.path.endsWith('/_bulk_docs') || r.status !== 201) continue;
    for (const id of r.ids) sent.set(id, (sent.get(id) ?? 0) + 1);
  }
  return sent;
}

/**
 * Ids the replication asked the server about (`_revs_diff`) in a stretch of the log. The desk's
 * pending counter (`countPending` in sync.ts) asks too, but always about every event since the last
 * point the server was known to hold everything, which here is all COUNT of them at once; the
 * replication asks one batch (≤ BATCH ids) at a time. So requests of at most BATCH ids are the
 * replication's. (It also asks about `_design/kense`, which the desk pulled from central: not an event.)
 */
const replicationAsked = (p: Proxy, from: number, to = p.log.length): number =>
  p.log
    .slice(from, to)
    .reduce(
      (n, r) =>
        n +
        (r.path.endsWith('/_revs_diff') && r.ids.length <= BATCH
          ? r.ids.filter((id) => id.startsWith('evt:')).length
          : 0),
      0,
    );
const counterAsked = (p: Proxy): number =>
  p.log.filter((r) => r.path.endsWith('/_revs_diff') && r.ids.length > BATCH).length;

describe('a sync cut part-way resumes without re-sending what already arrived', () => {
  it('after a stop, an abrupt network cut mid-batch, and a restart, every event arrives once', async () => {
    const t0 = Date.now();
    const now = Date.parse('2026-03-10T05:00:00Z');
    expect(await desk.call('fillOffice', { dbName: 'resume_office', count: COUNT, login: clerk.login, now })).toBe(
      COUNT,
    );
    const auth = { url: proxy.url, username: clerk.login, password: clerk.password, batchSize: BATCH };

    // 1. The handle is stopped once 300 events have gone up (the user closes the app, or "sync now").
    desk.call('startResumeSync', { ...auth, stopAtPushed: 300 }).catch(() => undefined);
    await until(
      'the first stop',
      async () => ((await desk.call('snapshots'))['central']?.state === 'stopped' ? true : undefined),
      20_000,
    );
    const afterStop = await serverEventIds(central.url);
    expect((await desk.call('snapshots'))['central']?.pushed).toBe(afterStop.length);
    expect(afterStop.length).toBeGreaterThanOrEqual(300);
    expect(afterStop.length).toBeLessThan(COUNT);
    const logAtStop = proxy.log.length;

    // 2. Restarted; this time the network drops right after the server stored a batch, before the
    // desk hears back: that batch is stored but unconfirmed, and its checkpoint never written.
    let cutAt = 0;
    proxy.cutAfterBulkDocs = (r) => {
      const arrived = sentBodies(proxy).size;
      if (cutAt === 0 && r.status === 201 && arrived >= 600) {
        cutAt = arrived;
        return true;
      }
      return false;
    };
    await desk.call('startResumeSync', auth);
    await until('the cut', () => (cutAt > 0 ? true : undefined), 20_000);
    proxy.cutAfterBulkDocs = null;
    const logAtCut = proxy.log.length;
    // The link stays down a moment: the desk retries, fails, and reports it is offline.
    await until(
      'the desk to notice',
      async () => ((await desk.call('snapshots'))['central']?.state === 'offline' ? true : undefined),
      10_000,
      50,
    );
    proxy.restore();

    // 3. Everything arrives.
    await until(
      'all events on central',
      async () => ((await serverEventIds(central.url)).length === COUNT ? true : undefined),
      30_000,
      200,
    );
    const snap = await until(
      'the desk to say it is in sync',
      async () => {
        const s = (await desk.call('snapshots'))['central'];
        return s?.state === 'online' && s.pendingLocal === 0 ? s : undefined;
      },
      15_000,
    );
    expect(snap.error).toBeNull();
    expect(snap.refused).toEqual([]);
    // The indicator's count is honest (it once added PouchDB's running total at every batch): what
    // this handle wrote, less the batch whose answer the cut swallowed (revs_diff found it there).
    expect(snap.pushed).toBeLessThanOrEqual(COUNT - afterStop.length);
    expect(snap.pushed).toBeGreaterThanOrEqual(COUNT - afterStop.length - BATCH);

    // No document body went up twice, across the stop and the cut: each was sent exactly once.
    const sent = sentBodies(proxy);
    const twice = [...sent].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice).toEqual([]);
    expect(sent.size).toBe(COUNT);
    const ids = await serverEventIds(central.url);
    expect(new Set(ids).size).toBe(COUNT);

    // The checkpoint is what resumes the sync, not a fresh comparison of everything: after the
    // stop, only what had not been confirmed was even asked about; after the cut, what was not
    // confirmed plus at most the one batch whose answer was lost.
    const askedAfterStop = replicationAsked(proxy, logAtStop, logAtCut);
    expect(askedAfterStop).toBeLessThanOrEqual(COUNT - afterStop.length + BATCH);
    const askedAfterCut = replicationAsked(proxy, logAtCut);
    expect(askedAfterCut).toBeLessThanOrEqual(COUNT - cutAt + BATCH);
    console.warn(
      `[syncResume] ${COUNT} events: stopped at ${afterStop.length} on central, cut at ${cutAt}; ` +
        `replication asked about ${askedAfterStop} ids after the stop and ${askedAfterCut} after the cut ` +
        `(the pending counter asked ${counterAsked(proxy)} times about all ${COUNT}); ` +
        `${proxy.log.filter((r) => r.path.endsWith('/_bulk_docs')).length} _bulk_docs in all; ${Date.now() - t0} ms`,
    );
  }, 60_000);
});
