import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubHealthSchema, HUB_STATUS_PATH } from '../../shared/hub/health';
import { DEV_ADMIN, startCentral, type Central } from '../../server/dev/central';
import { putHubUser, putStaffDirectoryEntry, putStaffUser } from '../../server/provision';
import { HUB_MALLOC_ARENAS, HUB_NODE_FLAGS, startHub, type Hub } from '../../server/hub/officeHub';
import { contentDigest, contentEventId } from '../../shared/events';
import { freePort } from './lab/harness';

PouchDB.plugin(httpAdapter).plugin(replication);

/**
 * What the office hub relays with central: events (with their attachments) up, events down, and
 * nothing else either way. Before the relay was filtered, the hub pushed its own `_design/kense`
 * on every replication and central refused it each time (issue 12, finding 8).
 *
 * The hub runs with smaller validation rules than central's, so its design document differs from
 * central's: neither may end up on the other side.
 */
const hubRules = { kinds: { registered: ['clerk'], attachment_added: ['clerk'] } };
const clerk = { login: 'aigerim', password: 'secret-aigerim', role: 'clerk', office: 'ALM01' };
const hubAccount = { login: 'hub-alm01', password: 'secret-hub', office: 'ALM01' };
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kense-hubrelay-'));
  dirs.push(d);
  return d;
};
const adminAuth = { username: DEV_ADMIN.user, password: DEV_ADMIN.password };

let central: Central;
let hub: Hub;
let hubDir = '';
beforeAll(async () => {
  central = await startCentral({ port: await freePort(), dir: tmp(), offices: ['ALM01'], quiet: true });
  await putStaffUser({ url: central.url, ...DEV_ADMIN }, clerk);
  await putHubUser({ url: central.url, ...DEV_ADMIN }, hubAccount);
  hubDir = tmp();
  hub = await startHub({
    office: 'ALM01',
    port: await freePort(),
    dir: hubDir,
    central: { url: central.url, user: hubAccount.login, password: hubAccount.password },
    quiet: true,
    maxBackoffMs: 300,
    viewWarmMs: 300,
    rules: hubRules,
  });
  // The clerk's account on the hub (no staff reader here), made as the hub's admin.
  await putStaffUser({ url: hub.url, ...hub.admin }, clerk);
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await central?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let n = 0;
function event(
  appId: string,
  kind = 'registered',
): PouchDB.Core.PutDocument<Record<string, unknown>> & { _id: string } {
  n++;
  const hlc = `${String(Date.now()).padStart(15, '0')}-${String(n).padStart(4, '0')}`;
  const content = {
    type: 'event',
    v: 1,
    appId,
    hlc,
    device: 'RELAYTEST',
    kind,
    office: 'ALM01',
    at: new Date().toISOString(),
    actor: { login: clerk.login, role: 'clerk' },
    payload: {},
  };
  return { _id: contentEventId(content), ...content };
}

/** A desk's key escrow as renderer/features/auth/deskUnlock.ts writes it (its id carries its digest). */
function escrow(desk: string): { _id: string } & Record<string, unknown> {
  const content = {
    type: 'desk_key',
    v: 1,
    office: 'ALM01',
    desk,
    secret: Buffer.alloc(32, desk).toString('base64url'),
    by: clerk.login,
    at: new Date().toISOString(),
  };
  return { _id: `deskkey:${desk}:${contentDigest(content)}`, ...content };
}

function staffEntry(login: string): { _id: string } & Record<string, unknown> {
  return {
    _id: `staff:${login}`,
    type: 'staff',
    v: 1,
    office: 'ALM01',
    login,
    fullName: login,
    roles: ['executor'],
    active: true,
    updatedAt: new Date().toISOString(),
  };
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const onCentral = (): PouchDB.Database =>
  new PouchDB(`${central.url}/office_alm01`, { auth: adminAuth, skip_setup: true });
const onHub = (): PouchDB.Database =>
  new PouchDB(`${hub.url}/office_alm01`, {
    auth: { username: hub.admin.user, password: hub.admin.password },
    skip_setup: true,
  });

describe('the hub relays events only', () => {
  it('a desk’s event with a scan reaches central; no design document crosses, none is refused', async () => {
    const centralDesignBefore = await onCentral().get<{ validate_doc_update: string }>('_design/kense');
    // Central's own design documents (its provisioning's: the validator and the reports view).
    const designsOf = async (db: PouchDB.Database): Promise<string[]> =>
      (await db.allDocs({ startkey: '_design/', endkey: '_design0' })).rows.map((r) => `${r.id} ${r.value.rev}`);
    const centralDesigns = await designsOf(onCentral());
    expect(centralDesigns.map((d) => d.split(' ')[0])).toContain('_design/kense');
    const hubDesign = await onHub().get<{ validate_doc_update: string }>('_design/kense');
    expect(hubDesign.validate_doc_update).not.toBe(centralDesignBefore.validate_doc_update);

    // A desk writes as the clerk, with a scan attached, as the app does.
    const desk = new PouchDB(`${hub.url}/office_alm01`, {
      auth: { username: clerk.login, password: clerk.password },
      skip_setup: true,
    });
    const scan = Buffer.from('%PDF-1.4 scanned passport page').toString('base64');
    const up = { ...event('RELAY1'), _attachments: { 'scan.pdf': { content_type: 'application/pdf', data: scan } } };
    await desk.put(up);
    // And one from central (another desk of the office synced there) comes down.
    const down = event('RELAY2');
    await onCentral().put(down);

    const atCentral = await eventually('the event and its scan at central', () =>
      onCentral().get<object>(up._id, { attachments: true }),
    );
    expect(atCentral._attachments?.['scan.pdf']).toMatchObject({ content_type: 'application/pdf', data: scan });
    await eventually('central’s event at the hub', () => onHub().get(down._id));
    // Everything the hub had reached central: nothing waits.
    await eventually('nothing waiting', async () => {
      const h = (await hub.status()).health;
      return h?.waiting.events === 0 && h.central.reached ? h : undefined;
    });

    // Design documents stayed where they were, each side with its own.
    const centralDesign = await onCentral().get<{ validate_doc_update: string }>('_design/kense');
    expect(centralDesign._rev).toBe(centralDesignBefore._rev);
    const hubDesignAfter = await onHub().get<{ validate_doc_update: string }>('_design/kense');
    expect(hubDesignAfter._rev).toBe(hubDesign._rev);
    expect(hubDesignAfter.validate_doc_update).toBe(hubDesign.validate_doc_update);
    expect(await designsOf(onCentral())).toEqual(centralDesigns);
    // The hub has its validator and the desks' view (a new desk's first download), no reports view.
    expect((await designsOf(onHub())).map((d) => d.split(' ')[0])).toEqual(['_design/kense', '_design/kense_desk']);

    // Central refused nothing the hub sent: no refusal in the hub's report or its log.
    const health = (await hub.status()).health;
    expect(health?.lastError).toBeNull();
    expect(readFileSync(path.join(hubDir, 'logs', 'hub.log'), 'utf8')).not.toMatch(/refused/);
  }, 60_000);

  it('scans come down from central in a pull of their own, and the hub runs under its heap limit', async () => {
    const photo = Buffer.alloc(50_000, 7).toString('base64');
    const scans = [1, 2, 3, 4, 5, 6].map((i) => ({
      ...event(`RELAYSCAN${i}`, 'attachment_added'),
      _attachments: { 'photo.jpg': { content_type: 'image/jpeg', data: photo } },
    }));
    await onCentral().bulkDocs(scans);
    for (const s of scans) {
      const atHub = await eventually(`scan ${s._id} at the hub`, () =>
        onHub().get<object>(s._id, { attachments: true }),
      );
      expect(atHub._attachments?.['photo.jpg']).toMatchObject({ content_type: 'image/jpeg', data: photo });
    }
    // Started with V8's heap bounded (old space and young generation), as the desktop app starts it.
    const cmdline = readFileSync(`/proc/${hub.pid}/cmdline`, 'utf8').split('\0');
    for (const flag of HUB_NODE_FLAGS) expect(cmdline).toContain(flag);
    // And with glibc's arenas bounded (read by the process's malloc at its start).
    const environ = readFileSync(`/proc/${hub.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`MALLOC_ARENA_MAX=${HUB_MALLOC_ARENAS}`);
  }, 60_000);

  it('builds the desks’ view itself as events arrive, before any desk asks for it', async () => {
    const ids = ['RELAYVIEW1', 'RELAYVIEW2'].map((app) => event(app));
    await onCentral().bulkDocs(ids);
    // `stale=ok` reads the index as it is, without bringing it up to date: only the hub's own
    // building can have put these events in it.
    const rows = await eventually('the events in the hub’s view', async () => {
      const r = await fetch(
        `${hub.url}/office_alm01/_design/kense_desk/_view/apps?reduce=false&stale=ok&keys=${encodeURIComponent(
          JSON.stringify(['RELAYVIEW1', 'RELAYVIEW2']),
        )}`,
        {
          headers: {
            authorization: 'Basic ' + Buffer.from(`${hub.admin.user}:${hub.admin.password}`).toString('base64'),
          },
        },
      );
      const body = (await r.json()) as { rows: { id: string }[] };
      return body.rows.length === 2 ? body.rows : undefined;
    });
    expect(rows.map((r) => r.id).sort()).toEqual(ids.map((e) => e._id).sort());
  }, 60_000);

  it('a field laptop’s pull: the hub filters its changes by the selector in the body, as CouchDB 3 does', async () => {
    const desk = new PouchDB(`${hub.url}/office_alm01`, {
      auth: { username: clerk.login, password: clerk.password },
      skip_setup: true,
    });
    const wanted = event('FIELD1');
    await desk.bulkDocs([wanted, event('FIELD2')]);
    const res = await fetch(`${hub.url}/office_alm01/_changes?filter=_selector`, {
      method: 'POST',
      headers: {
        authorization: 'Basic ' + Buffer.from(`${clerk.login}:${clerk.password}`).toString('base64'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ selector: { appId: { $in: ['FIELD1'] } } }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { id: string }[] };
    expect(results.map((r) => r.id)).toEqual([wanted._id]);
    // And PouchDB's own replication with that selector, as the app's live pull makes it.
    const copy = new PouchDB(`${hub.url}/office_alm01`, {
      auth: { username: clerk.login, password: clerk.password },
      skip_setup: true,
    });
    const ids: string[] = [];
    const changes = await copy.changes({ selector: { appId: 'FIELD1' } });
    for (const r of changes.results) ids.push(r.id);
    expect(ids).toEqual([wanted._id]);
  }, 30_000);

  it('relays what desks need besides events: desk-key escrows both ways, the staff directory down only', async () => {
    const asClerk = (url: string): PouchDB.Database =>
      new PouchDB(`${url}/office_alm01`, {
        auth: { username: clerk.login, password: clerk.password },
        skip_setup: true,
      });
    // A desk signed in at the hub (the uplink down) escrows its key there: central must get it, or a
    // new desk at central (or a new hub) could not unlock with it.
    const atHub = escrow('D07');
    await asClerk(hub.url).put(atHub);
    await eventually('the escrow written at the hub on central', () => onCentral().get(atHub._id));
    // One written at central reaches the hub, for a desk new to the office signing in there.
    const atCentral = escrow('D08');
    await asClerk(central.url).put(atCentral);
    await eventually('the escrow written at central on the hub', () => onHub().get(atCentral._id));
    // The central service's staff directory entry reaches the hub; its updates too.
    await putStaffDirectoryEntry({ url: central.url, ...DEV_ADMIN }, { ...clerk, fullName: 'Сейітова Айгерім' });
    const entry = await eventually('the staff directory entry on the hub', () =>
      onHub().get<{ fullName: string }>('staff:aigerim'),
    );
    expect(entry.fullName).toBe('Сейітова Айгерім');
    await putStaffDirectoryEntry({ url: central.url, ...DEV_ADMIN }, { ...clerk, fullName: 'Айгерім', active: false });
    await eventually('the updated entry on the hub', async () => {
      const e = await onHub().get<{ active: boolean }>('staff:aigerim');
      return e.active ? undefined : e;
    });
    // A directory entry made on the hub (by its admin) never goes up: central keeps its own.
    await onHub().put({ ...staffEntry('dana'), fullName: 'Омарова Дана' });
    const marker = event('RELAY5');
    await onHub().put(marker);
    await eventually('a later event at central', () => onCentral().get(marker._id));
    await expect(onCentral().get('staff:dana')).rejects.toMatchObject({ status: 404 });
    const health = (await hub.status()).health;
    expect(health?.lastError).toBeNull();
    expect(readFileSync(path.join(hubDir, 'logs', 'hub.log'), 'utf8')).not.toMatch(/refused/);
  }, 60_000);

  it('is never read by a CouchDB replicator: the hub pushes to central, and desks talk to the hub', async () => {
    // Apache CouchDB's replicator reads each document of a remote source as GET …?open_revs=…
    // with Accept: multipart/mixed and parses the answer as multipart (couch_httpd:get_boundary);
    // express-pouchdb answers JSON, as text/plain to that Accept header: {badmatch,{"text/plain",…}}.
    // So the hub is never a CouchDB replication's source: it pushes its events to central itself
    // (PouchDB's replication, JSON), as the first test shows, and central never pulls from it.
    const id = (await onHub().allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0', limit: 1 })).rows[0]?.id ?? '';
    const rev = (await onHub().get(id))._rev;
    const r = await fetch(
      `${hub.url}/office_alm01/${encodeURIComponent(id)}?revs=true&latest=true&open_revs=${encodeURIComponent(JSON.stringify([rev]))}`,
      {
        headers: {
          accept: 'multipart/mixed',
          authorization: 'Basic ' + Buffer.from(`${hub.admin.user}:${hub.admin.password}`).toString('base64'),
        },
      },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await onCentral().get(id)).toMatchObject({ _id: id });
  });

  it('answers its health to anyone, as JSON without personal data', async () => {
    const r = await fetch(`${hub.url}${HUB_STATUS_PATH}`);
    expect(r.status).toBe(200);
    const text = await r.text();
    const health = hubHealthSchema.parse(JSON.parse(text));
    expect(health).toMatchObject({ service: 'kense-hub', office: 'ALM01', central: { reached: true } });
    // The desk above (the clerk's requests) counts; the hub's own requests as its admin do not.
    expect(health.desksLastHour).toBe(1);
    expect(health.disk.usedBytes).toBeGreaterThan(0);
    expect(health.disk.freeBytes).toBeGreaterThan(0);
    for (const secret of [clerk.login, hubAccount.login, hubAccount.password, hub.admin.password, 'RELAY1'])
      expect(text).not.toContain(secret);
  });

  it('counts the events central has not confirmed while it is away, and since when', async () => {
    await central.stop();
    const during = [event('RELAY3'), event('RELAY4')];
    const before = Date.now();
    for (const e of during) await onHub().put(e);
    const waiting = await eventually('the hub to count two waiting events, central out of reach', async () => {
      const h = (await hub.status()).health;
      return h?.waiting.events === 2 && h.central.reached === false ? h : undefined;
    });
    expect(waiting.lastError?.code).toBe('centralUnreachable');
    expect(waiting.waiting.since).toBeGreaterThanOrEqual(before - 1000);
    // Central back (same port, same data): they go up, and the count returns to none.
    central = await startCentral({
      port: Number(new URL(central.url).port),
      dir: dirs[0] ?? '',
      offices: ['ALM01'],
      quiet: true,
    });
    for (const e of during) await eventually(`${e._id} at central`, () => onCentral().get(e._id));
    await eventually('nothing waiting again', async () => {
      const h = (await hub.status()).health;
      return h?.waiting.events === 0 && h.waiting.since === null ? h : undefined;
    });
  }, 90_000);
});
