import { afterEach, describe, expect, inject, it } from 'vitest';
import { contentEventId } from '@shared/events';
import { PouchDB } from '../store/pouch';
import { countPending, openRemote, startSync, type SyncHandle, type SyncSnapshot } from './sync';
import type { Line } from './syncLine';

const central = inject('central');
const auth = { username: central.user, password: central.password };
const remoteFor = (db: string, password = central.password): PouchDB.Database =>
  new PouchDB(`${central.url}/${db}`, {
    adapter: 'http',
    auth: { username: central.user, password },
    skip_setup: true,
  });

/**
 * Central's office database through a proxy that answers the requests `refuses` picks (by URL and
 * body) with this status and CouchDB's error body, as a server or a proxy in front of it would.
 */
function refusingRemote(
  answer: { status: number; error: string; reason: string },
  refuses: (url: string, body: string | null) => boolean,
): PouchDB.Database {
  const proxy: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!refuses(url, typeof init?.body === 'string' ? init.body : null)) return fetch(input, init);
    return Promise.resolve(
      new Response(JSON.stringify({ error: answer.error, reason: answer.reason }), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
  return new PouchDB(`${central.url}/office_alm01`, { adapter: 'http', auth, skip_setup: true, fetch: proxy });
}

let seq = 0;
function event(
  appId: string,
  kind = 'registered',
  office = 'ALM01',
  device = 'D1',
  login = 'aigerim',
): Record<string, unknown> {
  seq++;
  const hlc = `${String(Date.now()).padStart(15, '0')}-${String(seq).padStart(4, '0')}`;
  const content = {
    type: 'event',
    v: 1,
    appId,
    hlc,
    device,
    kind,
    office,
    at: new Date().toISOString(),
    actor: { login, role: 'clerk' },
    payload: {},
  };
  return { _id: contentEventId(content), ...content };
}

/** A staff account on central (as its admin), for what only a non-admin sees. */
async function putClerk(login: string, password: string): Promise<void> {
  const r = await fetch(`${central.url}/_users/org.couchdb.user:${login}`, {
    method: 'PUT',
    headers: {
      authorization: 'Basic ' + btoa(`${central.user}:${central.password}`),
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: login, type: 'user', roles: ['clerk', 'office:ALM01'], password }),
  });
  if (r.status !== 201 && r.status !== 202 && r.status !== 409) throw new Error(`user ${login}: ${r.status}`);
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function localDb(name: string): PouchDB.Database {
  const db = new PouchDB(`${name}_${Math.random().toString(36).slice(2, 8)}`, { adapter: 'indexeddb' });
  cleanup.push(() => db.destroy());
  return db;
}

function sync(
  local: PouchDB.Database,
  remote: PouchDB.Database,
  extra: { ownDevice?: string; target?: string; author?: string; heartbeatMs?: number } = {},
): { handle: SyncHandle; until: (p: (s: SyncSnapshot) => boolean) => Promise<SyncSnapshot> } {
  const waiters: { p: (s: SyncSnapshot) => boolean; resolve: (s: SyncSnapshot) => void }[] = [];
  const handle = startSync(local, remote, {
    target: extra.target ?? 'central',
    ...(extra.ownDevice ? { ownDevice: extra.ownDevice } : {}),
    ...(extra.author ? { author: extra.author } : {}),
    ...(extra.heartbeatMs ? { heartbeatMs: extra.heartbeatMs } : {}),
    maxBackoffMs: 500,
    onChange: (s) => {
      for (const w of [...waiters]) {
        if (w.p(s)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(s);
        }
      }
    },
  });
  cleanup.push(() => handle.stop());
  const until = (p: (s: SyncSnapshot) => boolean): Promise<SyncSnapshot> =>
    p(handle.snapshot()) ? Promise.resolve(handle.snapshot()) : new Promise((resolve) => waiters.push({ p, resolve }));
  return { handle, until };
}

async function waitForDoc(db: PouchDB.Database, id: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await db.get(id);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${id} never arrived`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A sync through the app's line, checking every 200 ms, each check waiting `probeTimeoutMs`: the states it went through. */
function syncOnLine(
  desk: PouchDB.Database,
  remote: PouchDB.Database,
  line: Line,
  probeTimeoutMs: number,
): { handle: SyncHandle; states: string[] } {
  const states: string[] = [];
  const handle = startSync(desk, remote, {
    target: 'central',
    line,
    heartbeatMs: 200,
    probeTimeoutMs,
    maxBackoffMs: 500,
    onChange: (x) => states.push(x.state),
  });
  return { handle, states };
}

describe('sync with the central server (real IndexedDB, real CouchDB-protocol server)', () => {
  it("two desks see each other's events through central", async () => {
    const deskA = localDb('desk_a');
    const deskB = localDb('desk_b');
    sync(deskA, remoteFor('office_alm01'));
    sync(deskB, remoteFor('office_alm01'));
    const e1 = event('APPA1');
    await deskA.put(e1);
    await waitForDoc(deskB, String(e1['_id']));
    const e2 = event('APPA1', 'note_added');
    await deskB.put(e2);
    await waitForDoc(deskA, String(e2['_id']));
  });

  it('counts local events the server lacks, offline and online, and reaches zero after sync', async () => {
    const desk = localDb('desk_pending');
    for (let i = 0; i < 3; i++) await desk.put(event(`APPP${i}`));
    // A server that is not there: the three events are pending, and the state says offline.
    const dead = new PouchDB('http://127.0.0.1:9/office_alm01', { adapter: 'http', auth, skip_setup: true });
    const offline = sync(desk, dead);
    const s1 = await offline.until((s) => s.state === 'offline' && s.pendingLocal !== null);
    expect(s1.error).toBe('sync.unreachable');
    expect(s1.pendingLocal).toBe(3);
    await offline.handle.stop();

    const online = sync(desk, remoteFor('office_alm01'));
    const s2 = await online.until((s) => s.state === 'online' && s.pendingLocal === 0);
    expect(s2.lastSyncAt).not.toBeNull();
    expect(s2.pushed).toBeGreaterThanOrEqual(3);
  });

  it('a check that times out while a batch is still going up is no cut: not "offline", the line probes', async () => {
    const desk = localDb('desk_sending');
    for (let i = 0; i < 3; i++) await desk.put(event(`APPS${i}`));
    // Once the batch has gone out, nothing of the sync's is answered until released (a slow uplink
    // busy with the batch's body, the check queued behind it); the line's probes are.
    let holding = false;
    const held: (() => void)[] = [];
    const raw: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/_bulk_docs')) holding = true;
      if (!holding || init?.mode === 'no-cors') return fetch(input, init);
      return new Promise<Response>((resolve, reject) => held.push(() => void fetch(input, init).then(resolve, reject)));
    };
    // 100 bytes a second: the three events' body (over a kilobyte) may be going up for seconds.
    const { remote, line } = openRemote(`${central.url}/office_alm01`, auth, {
      gzip: false,
      floorBytesPerSec: 100,
      probeEveryMs: 200,
      fetch: raw,
    });
    const { handle, states } = syncOnLine(desk, remote, line, 300);
    cleanup.push(async () => {
      await handle.stop();
      await remote.close();
    });
    while (!holding) await new Promise((r) => setTimeout(r, 20));
    const probesBefore = line.counts.probes;
    // Several checks time out meanwhile, with nothing else answered.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(line.sending).toBe(true);
    expect(states).not.toContain('offline');
    // The line was asked, and found the server there.
    expect(line.counts.probes).toBeGreaterThan(probesBefore);
    expect(line.status).toBe('up');
    holding = false;
    for (const go of held.splice(0)) go();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        const x = handle.snapshot();
        if (x.state === 'online' && x.pendingLocal === 0) {
          clearInterval(check);
          resolve();
        }
      }, 50);
    });
    expect(states).not.toContain('offline');
  });

  it('a check that gets no answer while the line still answers its probe is a stall, not a cut: never "offline"', async () => {
    const desk = localDb('desk_stall');
    await desk.put(event('APPL1'));
    // Once synced, nothing of the sync's own is answered until released (TCP backing off on a lossy
    // line: its checks and its feed silent for longer than a check waits); the line's probes, a
    // round trip on a connection of their own, still are.
    let holding = false;
    let cut = false;
    const held: (() => void)[] = [];
    const raw: typeof fetch = (input, init) => {
      if (cut)
        return new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)),
        );
      if (!holding || init?.mode === 'no-cors') return fetch(input, init);
      return new Promise<Response>((resolve, reject) => held.push(() => void fetch(input, init).then(resolve, reject)));
    };
    const { remote, line } = openRemote(`${central.url}/office_alm01`, auth, { gzip: false, fetch: raw });
    const { handle, states } = syncOnLine(desk, remote, line, 400);
    cleanup.push(async () => {
      holding = false;
      cut = false;
      for (const go of held.splice(0)) go();
      await handle.stop();
      await remote.close();
    });
    await expect.poll(() => handle.snapshot().state, { timeout: 10_000 }).toBe('online');
    holding = true;
    const probesBefore = line.counts.probes;
    // Checks start every 200 ms and each waits 400 ms: several time out with nothing of theirs answered.
    await expect.poll(() => held.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(line.counts.probes).toBeGreaterThan(probesBefore);
    expect(states).not.toContain('offline');
    expect(line.status).toBe('up');
    // The probes go unanswered too (a cut): the next check says offline.
    const cutAt = Date.now();
    cut = true;
    await expect.poll(() => handle.snapshot().state, { timeout: 5_000 }).toBe('offline');
    expect(Date.now() - cutAt).toBeLessThan(3_000);
  });

  it('after a first download counts from where its push starts: the downloaded events are not read again', async () => {
    const desk = localDb('desk_handover');
    // What a first download wrote: the office's events, other desks'.
    await desk.bulkDocs(Array.from({ length: 300 }, (_, i) => event(`APPD${i}`, 'registered', 'ALM01', 'DOTHER')));
    const from = (await desk.info()).update_seq;
    // This desk's own, written after it (registration is never held by a download).
    await desk.bulkDocs([
      event('APPMINE1', 'registered', 'ALM01', 'DMINE'),
      event('APPMINE2', 'registered', 'ALM01', 'DMINE'),
    ]);
    const read: number[] = [];
    const changes = desk.changes.bind(desk);
    desk.changes = (o: PouchDB.Core.ChangesOptions) => {
      const feed = changes(o);
      void feed.then((r) => read.push(r.results.length)).catch(() => undefined);
      return feed;
    };
    const dead = new PouchDB('http://127.0.0.1:9/office_alm01', { adapter: 'http', auth, skip_setup: true });
    expect(await countPending(desk, dead, false, { ownDevice: 'DMINE', from })).toEqual({ pending: 2, exact: false });
    expect(read).toEqual([2]);
    // Through the sync, handed the push's start as the desk's sync controller hands it.
    read.length = 0;
    const handle = startSync(desk, dead, {
      target: 'central',
      ownDevice: 'DMINE',
      push: { since: from },
      maxBackoffMs: 500,
      onChange: () => undefined,
    });
    cleanup.push(() => handle.stop());
    await expect.poll(() => handle.snapshot().pendingLocal, { timeout: 10_000 }).toBe(2);
    expect(Math.max(...read)).toBe(2);
  });

  it('says syncing, never online, while scans are still going up after the events', async () => {
    const desk = localDb('desk_scans');
    for (let i = 0; i < 2; i++) await desk.put(event(`APPS${i}`));
    // Four photos of 60 KB: they go up one at a time in their own replication, after the events.
    const photo = btoa(String.fromCharCode(...Array.from({ length: 60_000 }, (_, i) => (i * 31) % 256)));
    for (let i = 0; i < 4; i++) {
      const e = event(`APPS${i % 2}`, 'attachment_added');
      await desk.put({ ...e, _attachments: { 'photo.jpg': { content_type: 'image/jpeg', data: photo } } });
    }
    const seen: SyncSnapshot[] = [];
    const s = startSync(desk, remoteFor('office_alm01'), {
      target: 'central',
      maxBackoffMs: 500,
      onChange: (x) => seen.push(x),
    });
    cleanup.push(() => s.stop());
    const deadline = Date.now() + 20_000;
    while (!seen.some((x) => x.state === 'online' && x.pendingLocal === 0)) {
      if (Date.now() > deadline)
        throw new Error(
          `never synced: ${JSON.stringify(seen.map((x) => [x.state, x.pushed, x.pendingLocal, x.error, x.refused]))}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
    // The events went up before the scans (two batches, two replications): in between, the desk
    // had something to send and said so.
    expect(seen.filter((x) => x.state === 'online').map((x) => x.pendingLocal)).toEqual(
      seen.filter((x) => x.state === 'online').map(() => 0),
    );
    expect(seen.some((x) => x.state === 'syncing' && x.pushed >= 2 && x.pushed < 6)).toBe(true);
  });

  it('offline, an event written on the desk counts as waiting at once, not at the next check', async () => {
    const desk = localDb('desk_offline_count');
    await desk.put(event('APPQ0', 'registered', 'ALM01', 'D1'));
    const dead = new PouchDB('http://127.0.0.1:9/office_alm01', { adapter: 'http', auth, skip_setup: true });
    // No check for ten minutes: only the desk's own writes can move the count.
    const offline = sync(desk, dead, { ownDevice: 'D1', heartbeatMs: 600_000 });
    await offline.until((s) => s.state === 'offline' && s.pendingLocal === 1);
    for (let i = 1; i < 4; i++) await desk.put(event(`APPQ${i}`, 'note_added', 'ALM01', 'D1'));
    // Another desk's event (pulled earlier, say) is not this desk's to send.
    await desk.put(event('APPQ9', 'note_added', 'ALM01', 'D2'));
    const s = await offline.until((x) => x.pendingLocal === 4);
    expect(s.state).toBe('offline');
    await new Promise((r) => setTimeout(r, 300));
    expect(offline.handle.snapshot().pendingLocal).toBe(4);
  });

  it('reports a document the server refuses and still syncs the rest', async () => {
    const desk = localDb('desk_refused');
    const bad = event('APPBAD', 'hacked'); // a kind the server does not know
    const good = event('APPGOOD');
    await desk.bulkDocs([bad, good]);
    const { until } = sync(desk, remoteFor('office_alm01'));
    const s = await until((x) => x.refused.length > 0 && x.state === 'online');
    expect(s.refused[0]).toEqual({ id: bad['_id'], reason: 'event.unknownKind' });
    await waitForDoc(remoteFor('office_alm01'), String(good['_id']));
    // The refused event stays on the desk (nothing is lost) and is counted as not on the server.
    await expect(desk.get(String(bad['_id']))).resolves.toBeTruthy();
    const after = await until((x) => x.pendingLocal !== null);
    expect(after.pendingLocal).toBe(1);
  });

  it('an immutable refusal it cannot check for a failed request is checked again, not counted as refused', async () => {
    // The server already holds the event (it arrived another way, e.g. through the hub) and, as
    // pouchdb-server does, refuses the desk's copy as immutable; the desk's check of the server's
    // revision then meets a cut line once.
    const desk = localDb('desk_immutable');
    const e = event('APPIMM');
    await desk.bulkDocs([e]);
    const id = String(e['_id']);
    let docGets = 0;
    const flaky: typeof fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/_bulk_docs')) {
        const real = await fetch(input, init);
        const sent = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { docs?: { _id: string }[] };
        if (!real.ok) return real;
        const answer = (sent.docs ?? []).map((d) => ({ id: d._id, error: 'forbidden', reason: 'event.immutable' }));
        return new Response(JSON.stringify(answer), { status: 201, headers: { 'content-type': 'application/json' } });
      }
      if (new URL(url).pathname.endsWith(`/${encodeURIComponent(id)}`) && (init?.method ?? 'GET') === 'GET') {
        if (++docGets === 1) throw new TypeError('Failed to fetch');
      }
      return fetch(input, init);
    };
    const remote = new PouchDB(`${central.url}/office_alm01`, {
      adapter: 'http',
      auth,
      skip_setup: true,
      fetch: flaky,
    });
    const { until } = sync(desk, remote);
    await waitForDoc(remoteFor('office_alm01'), id);
    // The second look (when the sync is next idle and online) finds the same revision on both sides.
    const deadline = Date.now() + 15_000;
    while (docGets < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(docGets).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 200));
    const s = await until((x) => x.state === 'online');
    expect(s.refused).toEqual([]);
  });

  it('a server that answers its checks but refuses the changes feed is offline, never online, until the feed answers', async () => {
    const desk = localDb('desk_feed_refused');
    await desk.put(event('APPFEED'));
    let refusing = true;
    let refused = 0;
    const remote = refusingRemote({ status: 500, error: 'internal_server_error', reason: 'proxy' }, (url) => {
      const refuse = refusing && new URL(url).pathname.endsWith('/_changes');
      if (refuse) refused++;
      return refuse;
    });
    const { until } = sync(desk, remote, { heartbeatMs: 300 });
    const off = await until((x) => x.state === 'offline' && x.error !== null);
    expect(off.error).toBe('sync.serverError');
    // Checks every 300 ms find the server there; the feed is still refused: not online.
    const online = until((x) => x.state === 'online');
    const early = await Promise.race([online.then(() => true), new Promise((r) => setTimeout(r, 3000, false))]);
    expect(early).toBe(false);
    expect(refused).toBeGreaterThan(1);
    refusing = false;
    const s = await online;
    expect(s.error).toBeNull();
    expect(s.pendingLocal).toBe(0);
  });

  it('says so when the credentials are wrong', async () => {
    const desk = localDb('desk_auth');
    await desk.put(event('APPAUTH'));
    const { until } = sync(desk, remoteFor('office_alm01', 'wrong-password'));
    const s = await until((x) => x.error !== null);
    expect(s.error).toBe('sync.unauthorized');
  });

  it('a server that refuses the credentials for a while (restarting, its accounts not loaded) is synced with again once it takes them', async () => {
    const desk = localDb('desk_auth_blip');
    await desk.put(event('APPBLIP'));
    let refusing = false;
    // The ids in the bodies of the requests refused: each push has had its 401 once both are seen.
    const refusedBodies: string[] = [];
    const remote = refusingRemote(
      { status: 401, error: 'unauthorized', reason: 'Name or password is incorrect.' },
      (_url, body) => {
        if (refusing && body !== null) refusedBodies.push(body);
        return refusing;
      },
    );
    const { until } = sync(desk, remote, { heartbeatMs: 300 });
    await until((x) => x.state === 'online' && x.pendingLocal === 0);

    refusing = true;
    // Recorded meanwhile: an event and a scan, each offered by its own push (the events', the scans').
    const later = event('APPBLIP2');
    const scan: Record<string, unknown> = {
      ...event('APPBLIP', 'attachment_added'),
      _attachments: { 'scan.jpg': { content_type: 'image/jpeg', data: btoa('scan of the decision') } },
    };
    await desk.put(later);
    await desk.put(scan);
    const deadline = Date.now() + 20_000;
    while (![later, scan].every((d) => refusedBodies.some((b) => b.includes(String(d['_id']))))) {
      if (Date.now() > deadline) throw new Error('the pushes never offered the new documents');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await until((x) => x.error === 'sync.unauthorized')).error).toBe('sync.unauthorized');

    // The server takes the credentials again: both reach it without anyone pressing anything.
    refusing = false;
    const server = remoteFor('office_alm01');
    await waitForDoc(server, String(later['_id']));
    await waitForDoc(server, String(scan['_id']));
    const s = await until((x) => x.state === 'online' && x.pendingLocal === 0);
    expect(s.error).toBeNull();
  });

  it("counts only this desk's own events as not on the server, and another user's event is not this desk's refusal", async () => {
    await putClerk('relay-clerk', 'relay-secret');
    const desk = localDb('desk_relay');
    const own = event('APPOWN', 'registered', 'ALM01', 'DOWN', 'relay-clerk');
    // Pulled earlier from the hub: a colleague's event, which central takes only from its author or the hub.
    const theirs = event('APPTHEIRS', 'registered', 'ALM01', 'DOTHER', 'someone-else');
    await desk.bulkDocs([own, theirs]);
    const remote = new PouchDB(`${central.url}/office_alm01`, {
      adapter: 'http',
      auth: { username: 'relay-clerk', password: 'relay-secret' },
      skip_setup: true,
    });
    const { until } = sync(desk, remote, { ownDevice: 'DOWN' });
    const s = await until((x) => x.state === 'online' && x.pendingLocal === 0 && x.pushed >= 1);
    await waitForDoc(remoteFor('office_alm01'), String(own['_id']));
    expect(s.refused).toEqual([]);
    // And the server really did refuse the colleague's event from this desk (so it was offered).
    await expect(remoteFor('office_alm01').get(String(theirs['_id']))).rejects.toMatchObject({ status: 404 });
  });

  it("on a shared desk each person's events go up with their own credentials, none refused or passed over", async () => {
    await putClerk('shared-a', 'secret-a');
    await putClerk('shared-b', 'secret-b');
    const desk = localDb('desk_shared');
    // A recorded an event and signed out before it was sent; B signs in at the same desk.
    const ofA = event('APPSHA', 'registered', 'ALM01', 'DSH', 'shared-a');
    const ofB = event('APPSHB', 'registered', 'ALM01', 'DSH', 'shared-b');
    await desk.bulkDocs([ofA, ofB]);
    const as = (login: string, password: string): PouchDB.Database =>
      new PouchDB(`${central.url}/office_alm01`, {
        adapter: 'http',
        auth: { username: login, password },
        skip_setup: true,
      });
    const b = sync(desk, as('shared-b', 'secret-b'), { ownDevice: 'DSH', author: 'shared-b' });
    const sb = await b.until((x) => x.state === 'online' && x.pendingLocal === 1);
    await waitForDoc(remoteFor('office_alm01'), String(ofB['_id']));
    // A's event was not offered under B's name: nothing refused, and it still counts as not sent.
    expect(sb.refused).toEqual([]);
    await expect(remoteFor('office_alm01').get(String(ofA['_id']))).rejects.toMatchObject({ status: 404 });
    await b.handle.stop();
    // A signs in again: their own push (with its own checkpoint) sends it.
    const a = sync(desk, as('shared-a', 'secret-a'), { ownDevice: 'DSH', author: 'shared-a' });
    await a.until((x) => x.state === 'online' && x.pendingLocal === 0);
    await waitForDoc(remoteFor('office_alm01'), String(ofA['_id']));
  });

  it("flush: true once the person's events and scans are on the server (not a colleague's unsent ones), false when the server is not there", async () => {
    await putClerk('flush-a', 'secret-a');
    const desk = localDb('desk_flush');
    const remote = new PouchDB(`${central.url}/office_alm01`, {
      adapter: 'http',
      auth: { username: 'flush-a', password: 'secret-a' },
      skip_setup: true,
    });
    const a = sync(desk, remote, { ownDevice: 'DFL', author: 'flush-a' });
    await a.until((x) => x.state === 'online');
    // A colleague's event left unsent on this desk; then A's event and A's scan.
    const theirs = event('APPFL0', 'registered', 'ALM01', 'DFL', 'flush-b');
    const mine = event('APPFL1', 'registered', 'ALM01', 'DFL', 'flush-a');
    const scan: Record<string, unknown> = {
      ...event('APPFL1', 'attachment_added', 'ALM01', 'DFL', 'flush-a'),
      _attachments: { 'scan.jpg': { content_type: 'image/jpeg', data: btoa('x'.repeat(30_000)) } },
    };
    await desk.bulkDocs([theirs, mine, scan]);
    expect(await a.handle.flush()).toBe(true);
    // Both were on central when it said so: no waiting here.
    const onCentral = remoteFor('office_alm01');
    await expect(onCentral.get(String(mine['_id']))).resolves.toMatchObject({ _id: mine['_id'] });
    const got = await onCentral.get(String(scan['_id']), { attachments: true });
    expect(Object.keys(got._attachments ?? {})).toEqual(['scan.jpg']);
    await expect(onCentral.get(String(theirs['_id']))).rejects.toMatchObject({ status: 404 });

    const dead = new PouchDB('http://127.0.0.1:9/office_alm01', { adapter: 'http', auth, skip_setup: true });
    const lost = localDb('desk_flush_dead');
    await lost.put(event('APPFL2'));
    const gone = sync(lost, dead);
    expect(await gone.handle.flush()).toBe(false);
    // Known to be offline: still false (nothing waited for).
    await gone.until((x) => x.state === 'offline');
    expect(await gone.handle.flush()).toBe(false);
  });

  it('shows a first download as N of ~M, M from the server, until the desk has caught up', async () => {
    // Central's KZO01 database gets 400 events; a new desk of KZO01 downloads them.
    const source = localDb('kzo_source');
    await source.bulkDocs(Array.from({ length: 400 }, (_, i) => event(`KZ${i}`, 'registered', 'KZO01')));
    await source.replicate.to(remoteFor('office_kzo01'));
    const desk = localDb('desk_download');
    const seen: { have: number; total: number }[] = [];
    const { until } = sync(desk, remoteFor('office_kzo01'));
    const done = await until((x) => {
      if (x.download) seen.push(x.download);
      return x.state === 'online' && x.download === null && x.pulled >= 400;
    });
    expect(done.download).toBeNull();
    expect(seen.length).toBeGreaterThan(0);
    // The total is the server's document count (the events and its design document): approximate by design.
    expect(seen[0]?.total).toBeGreaterThanOrEqual(400);
    expect(seen.every((d) => d.have < d.total)).toBe(true);
    expect((await desk.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0' })).rows.length).toBe(400);
  });
});
