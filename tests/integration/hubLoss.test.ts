import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '../../server/dev/central';
import { startCentralService, type CentralService } from '../../server/central';
import { startHub, type Hub } from '../../server/hub/officeHub';
import { putHubUser } from '../../server/provision';
import { testAdmin } from './lab/couch';
import {
  bundleLabPage,
  freePort,
  launchLab,
  putUser,
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
 * The hub computer dies (reliability lab, real servers and real desks in Chromium, no mocks):
 *
 * 1. the uplink is down (hub↔central and desks↔central cut): two desks register applications
 *    through the hub, which holds them and cannot relay them;
 * 2. the hub's process is SIGKILLed and its data directory deleted: the events the hub had not
 *    relayed exist only on the desks now;
 * 3. the uplink returns: the desks keep working against central alone, and push everything they
 *    recorded, including what only the dead hub had held;
 * 4. a new hub on a new, empty data directory (same address) is seeded from central (events, and the
 *    office's staff accounts from the Kense central service) and serves the desks again.
 *
 * At the end every event a desk acknowledged is on central, on the new hub and on both desks.
 */
const NOW = Date.parse('2026-03-10T05:00:00Z');
const ROLES = ['clerk', 'head', 'executor', 'commission', 'office:ALM01'];
const users = { D01: { login: 'd01', password: 'secret-d01' }, D02: { login: 'd02', password: 'secret-d02' } };
type DeskCode = keyof typeof users;
const DESKS: DeskCode[] = ['D01', 'D02'];
/** The office's links out: the hub's to central and to the central service, the desks' to central. */
const UPLINK = ['hub-central', 'hub-service', 'D01-central', 'D02-central'];

const hubAccount = { login: 'hub-alm01', password: 'secret-hub', office: 'ALM01' };

let central: Central;
let centralService: CentralService | null = null;
let hub: Hub | null = null;
let hubPort = 0;
let firstHubDir = '';
let server: LabServer;
let lab: Lab;
const links = new Map<string, Proxy>();
const desks = new Map<DeskCode, LabPage>();
const link = (name: string): Proxy => {
  const p = links.get(name);
  if (!p) throw new Error(`no link ${name}`);
  return p;
};
const desk = (d: DeskCode): LabPage => {
  const p = desks.get(d);
  if (!p) throw new Error(`no desk ${d}`);
  return p;
};

/**
 * A hub on `dir`, relaying as the office's hub account through the hub–central link, its staff
 * accounts copied from the central service through the hub–service link.
 */
const startLabHub = (dir: string): Promise<Hub> =>
  startHub({
    office: 'ALM01',
    port: hubPort,
    dir,
    central: { url: link('hub-central').url, user: hubAccount.login, password: hubAccount.password },
    service: { url: link('hub-service').url },
    // The lab reads the servers' event ids as the dev admin.
    admin: testAdmin(),
    staffRefreshMs: 500,
    quiet: true,
    maxBackoffMs: 300,
  });

beforeAll(async () => {
  const [c, dir] = await Promise.all([startLabCentral([]), bundleLabPage()]);
  central = c;
  for (const d of DESKS) await putUser(central.url, users[d].login, users[d].password, ROLES);
  await putHubUser({ url: central.url, ...testAdmin() }, hubAccount);
  centralService = await startCentralService({
    couch: { url: central.url, ...testAdmin() },
    host: '127.0.0.1',
    port: await freePort(),
    origins: [],
    log: () => undefined,
  });
  links.set('hub-central', await startProxy('hub-central', central.url));
  links.set('hub-service', await startProxy('hub-service', centralService.url));
  hubPort = await freePort();
  firstHubDir = tmpDir('hub-first');
  hub = await startLabHub(firstHubDir);
  server = await serveLab(dir);
  lab = await launchLab(server, tmpDir('hub-loss-profile'));
  for (const d of DESKS) {
    links.set(`${d}-central`, await startProxy(`${d}-central`, central.url));
    links.set(`${d}-hub`, await startProxy(`${d}-hub`, `http://127.0.0.1:${hubPort}`));
    const page = await lab.page();
    desks.set(d, page);
    await page.call('openDesk', {
      office: 'ALM01',
      desk: d,
      dbName: `office_${d.toLowerCase()}`,
      now: NOW,
      login: users[d].login,
    });
    for (const target of ['central', 'hub'] as const)
      await page.call('startSync', {
        target,
        url: link(`${d}-${target}`).url,
        username: users[d].login,
        password: users[d].password,
        maxBackoffMs: 300,
      });
  }
}, 90_000);

afterAll(async () => {
  for (const p of desks.values()) await p.call('closeDesk').catch(() => undefined);
  await lab?.close();
  await hub?.stop();
  for (const p of links.values()) await p.close();
  await centralService?.stop();
  await central?.stop();
  await server?.close();
  removeTmpDirs();
});

async function register(d: DeskCode, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await desk(d).call('register', { channel: 'provider_office', applicant: i % 3 });
    if (!r.ok) throw new Error(`registration refused on ${d}: ${r.name} ${r.message}`);
    ids.push(r.value._id);
  }
  return ids;
}

const holds = async (what: string, ids: () => Promise<string[]>, want: string[], ms = 30_000): Promise<void> => {
  await until(
    what,
    async () => {
      const have = new Set(await ids().catch(() => [] as string[]));
      return want.every((id) => have.has(id)) ? true : undefined;
    },
    ms,
    200,
  );
};

describe('the hub computer dies', () => {
  it('desks keep working against central, a new hub seeded from central serves again, nothing is lost', async () => {
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    // The staff accounts reached the first hub from central.
    await until(
      'the first hub to copy the staff accounts',
      async () => {
        const h = hub ? (await hub.status()).health : null;
        return h?.staff?.state === 'copied' && h.staff.count === 2 ? true : undefined;
      },
      20_000,
    );

    // 1. The uplink is down; the office works through the hub.
    for (const name of UPLINK) link(name).cut();
    const offline = [...(await register('D01', 3)), ...(await register('D02', 3))];
    await holds('the hub to hold the office’s events', () => serverEventIds(hubUrl), offline);
    // Each desk has its colleague's events through the hub; central has none of them.
    for (const d of DESKS) await holds(`${d} to hold the office's events`, () => desk(d).call('eventIds'), offline);
    const atCentral = new Set(await serverEventIds(central.url));
    expect(offline.filter((id) => atCentral.has(id))).toEqual([]);
    const waiting = hub ? (await hub.status()).health : null;
    expect(waiting?.waiting.events).toBe(offline.length);

    // 2. The hub computer dies, and its disk with it (and its network link: the desks' open
    // connections to it drop).
    const dead = hub;
    hub = null;
    for (const d of DESKS) link(`${d}-hub`).cut();
    await dead?.kill();
    rmSync(firstHubDir, { recursive: true, force: true });

    // 3. The uplink returns; the desks work against central alone.
    for (const name of ['D01-central', 'D02-central']) link(name).restore();
    const withoutHub = [...(await register('D01', 2)), ...(await register('D02', 2))];
    const all = [...offline, ...withoutHub];
    await holds('central to hold every event the desks recorded', () => serverEventIds(central.url), all);
    for (const d of DESKS) await holds(`${d} to hold every event`, () => desk(d).call('eventIds'), all);

    // 4. A new hub on an empty disk, at the same address, seeded from central.
    for (const name of ['hub-central', 'hub-service']) link(name).restore();
    hub = await startLabHub(tmpDir('hub-second'));
    for (const d of DESKS) link(`${d}-hub`).restore();
    await holds('the new hub to be seeded from central', () => serverEventIds(hubUrl), all);
    await until(
      'the new hub to copy the staff accounts',
      async () => {
        const h = hub ? (await hub.status()).health : null;
        return h?.staff?.state === 'copied' && h.staff.count === 2 ? true : undefined;
      },
      20_000,
    );
    // It serves the desks again: with central cut off, what one desk records reaches the other.
    for (const name of UPLINK) link(name).cut();
    const afterwards = await register('D01', 1);
    await holds('D02 to get D01’s new event through the new hub', () => desk('D02').call('eventIds'), afterwards);
    for (const name of UPLINK) link(name).restore();

    const everything = [...all, ...afterwards].sort();
    await until(
      'every replica to hold the same events',
      async () => {
        const replicas = [
          await serverEventIds(central.url),
          await serverEventIds(hubUrl),
          await desk('D01').call('eventIds'),
          await desk('D02').call('eventIds'),
        ].map((ids) => [...ids].sort());
        return replicas.every((ids) => JSON.stringify(ids) === JSON.stringify(everything)) ? true : undefined;
      },
      30_000,
      250,
    );
    // The hub's count of what central lacks follows its push's checkpoint, written after the push
    // has compared the last batch with central: nothing waits once it has.
    await until(
      'the hub to report nothing waiting for central',
      async () => {
        const h = hub ? (await hub.status()).health : null;
        return h?.central.reached && h.waiting.events === 0 && h.waiting.since === null ? true : undefined;
      },
      20_000,
    );
  }, 180_000);
});
