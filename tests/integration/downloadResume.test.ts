import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '@shared/events';
import type { Central } from '../../server/dev/central';
import { intake } from './lab/common';
import {
  adminAuth,
  bundleLabPage,
  launchLab,
  removeTmpDirs,
  serveLab,
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
 * A new desk's first download from central shows how far it is ("N of ~M", M from the server's
 * document count) and, cut part-way (the network drops, the app is closed), resumes from its
 * checkpoint when started again: it does not ask for the whole change list again, and fetches only
 * what it lacks (plus at most the batch whose checkpoint the cut lost). Real Chromium with the desk's
 * own startSync on IndexedDB, the development central (pouchdb-server), a cuttable counting proxy.
 */

const COUNT = 2000;
const BATCH = 100;
const clerk = { login: 'aigerim', password: 'secret-aigerim', role: 'clerk', office: 'ALM01' };

let central: Central;
let server: LabServer;
let lab: Lab;
let proxy: Proxy;
let desk: LabPage;

async function fillCentral(url: string): Promise<void> {
  const now = Date.parse('2026-03-10T05:00:00Z');
  for (let from = 0; from < COUNT; from += 500) {
    const docs = [];
    for (let i = from; i < Math.min(COUNT, from + 500); i++)
      docs.push(
        makeEvent({
          kind: 'registered',
          appId: `DL${String(i).padStart(5, '0')}`,
          office: 'ALM01',
          device: 'D09',
          clock: { wall: now, counter: i },
          now,
          actor: { login: clerk.login, role: 'clerk' },
          payload: { ...intake('provider_office', i), regNumber: `ALM01-D09-${String(i + 1).padStart(6, '0')}` },
        }),
      );
    const r = await fetch(`${url}/office_alm01/_bulk_docs`, {
      method: 'POST',
      headers: { authorization: adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ docs }),
    });
    const res = (await r.json()) as { ok?: boolean }[];
    expect(res.filter((x) => x.ok).length).toBe(docs.length);
  }
}

beforeAll(async () => {
  const [c, dir] = await Promise.all([startLabCentral([clerk]), bundleLabPage()]);
  central = c;
  await fillCentral(central.url);
  server = await serveLab(dir);
  lab = await launchLab(server, tmpDir('download-profile'));
  proxy = await startProxy('desk-central', central.url);
  desk = await lab.page();
}, 90_000);

afterAll(async () => {
  await desk?.call('closeResume').catch(() => undefined);
  await lab?.close();
  await proxy?.close();
  await server?.close();
  await central?.stop();
  removeTmpDirs();
});

/** Event ids the desk fetched from the server (`_bulk_get` or one by one) in a stretch of the log. */
const fetched = (p: Proxy, from: number, to = p.log.length): string[] =>
  p.log
    .slice(from, to)
    .filter((r) => r.path.endsWith('/_bulk_get') || r.method === 'GET')
    .flatMap((r) => r.ids.filter((id) => id.startsWith('evt:')));

describe('a first download shows its progress and resumes after a cut', () => {
  it('cut mid-way and restarted, it continues from its checkpoint', async () => {
    await desk.call('openEmptyOffice', 'download_office');
    const auth = { url: proxy.url, username: clerk.login, password: clerk.password, batchSize: BATCH };
    await desk.call('startResumeSync', auth);

    // The progress is shown from the start, against the server's own count (approximate: it
    // includes the design document).
    const early = await until(
      'the download progress',
      async () => (await desk.call('snapshots'))['central']?.download ?? undefined,
      15_000,
      50,
    );
    expect(early.total).toBeGreaterThanOrEqual(COUNT);
    expect(early.total).toBeLessThanOrEqual(COUNT + 5);

    // Part-way, the network drops; the desk says it is offline and still shows how far it got.
    await until(
      'half the download',
      async () => ((await desk.call('officeEventCount')) >= COUNT / 2 ? true : undefined),
      60_000,
      20,
    );
    proxy.cut();
    const offline = await until(
      'the desk to notice the cut',
      async () => {
        const s = (await desk.call('snapshots'))['central'];
        return s?.state === 'offline' ? s : undefined;
      },
      15_000,
      50,
    );
    expect(offline.error).toBe('sync.unreachable');
    // The app is closed while offline; what arrived stays.
    await desk.call('stopSync', 'central');
    const haveAtCut = await desk.call('officeEventCount');
    expect(haveAtCut).toBeGreaterThanOrEqual(COUNT / 2);
    expect(haveAtCut).toBeLessThan(COUNT);
    const fetchedBefore = new Set(fetched(proxy, 0));

    // Started again with the link back: the replication starts from its checkpoint, not from 0.
    proxy.restore();
    const logAtRestart = proxy.log.length;
    await desk.call('startResumeSync', auth);
    const done = await until(
      'the download to finish',
      async () => {
        const s = (await desk.call('snapshots'))['central'];
        return (await desk.call('officeEventCount')) === COUNT && s?.state === 'online' && s.download === null
          ? s
          : undefined;
      },
      60_000,
      100,
    );
    expect(done.error).toBeNull();
    const changes = proxy.log.slice(logAtRestart).filter((r) => r.path.endsWith('/_changes'));
    expect(changes.length).toBeGreaterThan(0);
    const firstSince = changes[0]?.since ?? '0';
    expect(firstSince).not.toBe('0');
    const again = fetched(proxy, logAtRestart);
    const refetched = again.filter((id) => fetchedBefore.has(id));
    // Only what it lacked, plus at most the one batch whose checkpoint the cut swallowed.
    expect(again.length).toBeLessThanOrEqual(COUNT - haveAtCut + BATCH);
    expect(refetched.length).toBeLessThanOrEqual(BATCH);
    console.warn(
      `[downloadResume] ${COUNT} events; first progress ${early.have}/~${early.total}; cut at ${haveAtCut}; ` +
        `restarted from since=${firstSince}; fetched ${again.length} after the restart (${refetched.length} again)`,
    );
  }, 120_000);
});
