import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '../../scripts/central';
import {
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
 * The sync indicator tells the truth soon after the server goes: the desk syncs with the app's own
 * settings (SyncController's: heartbeat, probe timeout, back-off) through a proxy; the network then
 * goes quiet (a pulled cable: nothing is refused, nothing answers, the replication's requests just
 * hang), and the desk must say "offline", with this desk's new event counted as not on the server,
 * within a few seconds — not "syncing…" with the old count until a request of PouchDB's times out.
 */

const clerk = { login: 'aigerim', password: 'secret-aigerim', role: 'clerk', office: 'ALM01' };
/** The most the indicator may lag: one heartbeat (4 s) and one probe timeout (3 s), and a margin. */
const PROMPT_MS = 9_000;

let central: Central;
let server: LabServer;
let lab: Lab;
let proxy: Proxy;
let desk: LabPage;

beforeAll(async () => {
  const [c, dir] = await Promise.all([startLabCentral([clerk]), bundleLabPage()]);
  central = c;
  server = await serveLab(dir);
  lab = await launchLab(server, tmpDir('indicator-profile'));
  proxy = await startProxy('desk-central', central.url);
  desk = await lab.page();
}, 60_000);

afterAll(async () => {
  await desk?.call('closeDesk').catch(() => undefined);
  await lab?.close();
  await proxy?.close();
  await server?.close();
  await central?.stop();
  removeTmpDirs();
});

type Snap = { state: string; pendingLocal: number | null } | undefined;
const snapshot = async (): Promise<Snap> => ((await desk.call('snapshots')) as Record<string, Snap>)['central'];

describe('the sync indicator when the server goes', () => {
  it('says offline within seconds, with the events the server lacks counted, and online again after', async () => {
    await desk.call('openDesk', {
      office: 'ALM01',
      desk: 'D01',
      dbName: 'indicator',
      now: Date.now(),
      login: clerk.login,
    });
    await desk.call('register', { channel: 'provider_office', applicant: 1 });
    void desk.call('startSync', {
      target: 'central',
      url: proxy.url,
      username: clerk.login,
      password: clerk.password,
      appDefaults: true,
    });
    await until(
      'online with nothing pending',
      async () => {
        const s = await snapshot();
        return s?.state === 'online' && s.pendingLocal === 0 ? s : undefined;
      },
      30_000,
    );

    // The network goes quiet; the clerk registers one more application meanwhile.
    proxy.silence();
    const gone = Date.now();
    await desk.call('register', { channel: 'provider_office', applicant: 2 });
    const offline = await until(
      'offline',
      async () => {
        const s = await snapshot();
        return s?.state === 'offline' ? s : undefined;
      },
      60_000,
      100,
    );
    const took = Date.now() - gone;
    expect(took).toBeLessThan(PROMPT_MS);
    // Not a stale count: the new event is the one the server does not have.
    await until(
      'the new event counted',
      async () => ((await snapshot())?.pendingLocal === 1 ? true : undefined),
      5_000,
    );
    expect(offline.state).toBe('offline');
    // And it stays offline while the link is down: retries do not show as "syncing".
    const history = (await desk.call('syncHistory')) as { at: number; state: string }[];
    const wentOffline = history.findIndex((h) => h.state === 'offline' && h.at >= gone);
    await new Promise((r) => setTimeout(r, 6_000));
    const after = ((await desk.call('syncHistory')) as { at: number; state: string }[]).slice(wentOffline);
    expect(after.map((h) => h.state).filter((s) => s === 'syncing')).toEqual([]);

    // The network is back: the event goes up and the desk says so.
    proxy.restore();
    await until(
      'online again with nothing pending',
      async () => {
        const s = await snapshot();
        return s?.state === 'online' && s.pendingLocal === 0 ? true : undefined;
      },
      45_000,
    );
    expect(history.length).toBeGreaterThan(0);
  }, 150_000);
});
