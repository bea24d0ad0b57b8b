import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_ADMIN, startCentral, type Central } from '../../server/dev/central';
import { putHubUser, putStaffUser } from '../../server/provision';
import { startHub, type Hub } from '../../scripts/hub';
import { contentEventId } from '../../shared/events';
import { startCentralService, type CentralService } from '../../server/central';

PouchDB.plugin(httpAdapter);

const rules = { kinds: { registered: ['clerk'], attachment_added: ['clerk'] } };
const base = 6800 + Math.floor(Math.random() * 400);
const centralPort = base;
const hubPort = base + 1;
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kense-hub-'));
  dirs.push(d);
  return d;
};
const auth = 'Basic ' + Buffer.from(`${DEV_ADMIN.user}:${DEV_ADMIN.password}`).toString('base64');

let n = 0;
async function putEvent(serverUrl: string, appId: string): Promise<string> {
  n++;
  const hlc = `${String(Date.now()).padStart(15, '0')}-${String(n).padStart(4, '0')}`;
  const content = {
    type: 'event',
    v: 1,
    appId,
    hlc,
    device: 'HUBTEST',
    kind: 'registered',
    office: 'ALM01',
    at: new Date().toISOString(),
    actor: { login: 'aigerim', role: 'clerk' },
    payload: {},
  };
  const id = contentEventId(content);
  const r = await fetch(`${serverUrl}/office_alm01/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(content),
  });
  expect(r.status).toBe(201);
  return id;
}

const basic = (user: string, password: string): string =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

async function eventually(serverUrl: string, id: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await fetch(`${serverUrl}/office_alm01/${encodeURIComponent(id)}`, {
      headers: { authorization: auth },
    }).catch(() => null);
    if (r?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${id} did not reach ${serverUrl}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

const clerk = { login: 'aigerim', password: 'secret-aigerim', role: 'clerk', office: 'ALM01' };

async function sessionStatus(serverUrl: string): Promise<number> {
  const r = await fetch(`${serverUrl}/_session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: clerk.login, password: clerk.password }),
  }).catch(() => null);
  return r?.status ?? 0;
}

async function until(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

let central: Central | null = null;
let service: CentralService | null = null;
let hub: Hub | null = null;
afterAll(async () => {
  await hub?.stop();
  await service?.stop();
  await central?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A hub of its own, whose central cannot be reached: what it answers by itself. */
const hubAlone = (port: number): Promise<Hub> =>
  startHub({
    office: 'ALM01',
    port,
    dir: tmp(),
    central: { url: 'http://127.0.0.1:1', user: 'hub-alm01', password: 'x' },
    quiet: true,
    rules,
  });

describe('office hub', () => {
  it('relays events to central, keeps serving the office while central is down, and catches up', async () => {
    const centralDir = tmp();
    const hubDir = tmp();
    central = await startCentral({ port: centralPort, dir: centralDir, offices: ['ALM01'], quiet: true, rules });
    await putStaffUser({ url: central.url, ...DEV_ADMIN }, clerk);
    // The hub replicates as the office's hub account, not as an admin; with the same account it
    // copies the office's staff accounts from the central service.
    const hubAccount = { login: 'hub-alm01', password: 'secret-hub', office: 'ALM01' };
    await putHubUser({ url: central.url, ...DEV_ADMIN }, hubAccount);
    service = await startCentralService({
      couch: { url: central.url, ...DEV_ADMIN },
      host: '127.0.0.1',
      port: 0,
      origins: [],
      log: () => undefined,
      retryMs: 300,
    });
    const hubOptions = {
      office: 'ALM01',
      port: hubPort,
      dir: hubDir,
      central: { url: central.url, user: hubAccount.login, password: hubAccount.password },
      service: { url: service.url },
      // This test writes to the hub as its admin (a hub makes up its own otherwise: see below).
      admin: DEV_ADMIN,
      quiet: true,
      maxBackoffMs: 500,
      rules,
    };
    hub = await startHub(hubOptions);
    // Staff accounts come from central: a desk signs in to the hub with its usual login.
    await until(async () => (await sessionStatus(hub?.url ?? '')) === 200, 'the clerk to sign in to the hub');

    const first = await putEvent(hub.url, 'HUB1');
    await eventually(central.url, first);
    const fromCentral = await putEvent(central.url, 'HUB2');
    await eventually(hub.url, fromCentral);

    await central.stop();
    central = null;
    // The uplink is down: desks still write to and read from the hub.
    const during = await putEvent(hub.url, 'HUB3');
    await eventually(hub.url, during);

    central = await startCentral({ port: centralPort, dir: centralDir, offices: ['ALM01'], quiet: true, rules });
    await eventually(central.url, during, 30_000);
    expect((await hub.status()).health?.central.reached).toBe(true);

    // The hub's storage is LevelDB on disk (server/hub/storage.ts), one directory per database;
    // after a restart it still holds what it had.
    expect(readdirSync(path.join(hubDir, 'office_alm01'))).toEqual(expect.arrayContaining(['CURRENT', 'LOCK']));
    await hub.stop();
    await central.stop();
    central = null;
    hub = await startHub(hubOptions);
    for (const id of [first, fromCentral, during]) await eventually(hub.url, id, 5_000);
    expect(await sessionStatus(hub.url)).toBe(200);
    // Central's reports databases are central's: the hub's provisioning makes none.
    expect((await fetch(`${hub.url}/reports_alm01`, { headers: { authorization: auth } })).status).toBe(404);
  }, 90_000);

  it('has an admin of its own, not the well-known development one, as it listens on the LAN', async () => {
    const own = await hubAlone(base + 2);
    try {
      // Provisioned (so its admin worked), yet the sources' admin password opens nothing.
      const devAdmin = { authorization: auth };
      expect((await fetch(`${own.url}/`)).status).toBe(200);
      expect((await fetch(`${own.url}/office_alm01`, { headers: devAdmin })).status).toBe(401);
      expect((await fetch(`${own.url}/office_alm01/_design/kense`, { headers: devAdmin })).status).toBe(401);
    } finally {
      await own.stop();
    }
  }, 30_000);

  it('reads in bulk for its office’s staff only, answering _bulk_get as CouchDB 3 does, streamed', async () => {
    const own = await hubAlone(base + 4);
    try {
      const asAdmin = { url: own.url, user: own.admin.user, password: own.admin.password };
      await putStaffUser(asAdmin, clerk);
      const otherOffice = { login: 'dana', password: 'secret-dana', role: 'clerk', office: 'KZO01' };
      await putStaffUser(asAdmin, otherOffice);
      const admin = new PouchDB(`${own.url}/office_alm01`, {
        auth: { username: own.admin.user, password: own.admin.password },
        skip_setup: true,
      });
      // A scan larger than one piece of the streamed answer, and an event without one.
      const scan = randomBytes(300_000).toString('base64');
      const content = (appId: string, kind: string) => ({
        type: 'event',
        v: 1,
        appId,
        hlc: `${String(Date.now()).padStart(15, '0')}-0001`,
        device: 'HUBTEST',
        kind,
        office: 'ALM01',
        at: new Date().toISOString(),
        actor: { login: clerk.login, role: 'clerk' },
        payload: {},
      });
      const plain = content('BULK1', 'registered');
      const withScan = content('BULK2', 'attachment_added');
      const plainId = contentEventId(plain);
      const scanId = contentEventId(withScan);
      const plainRev = (await admin.put({ _id: plainId, ...plain })).rev;
      await admin.put({
        _id: scanId,
        ...withScan,
        _attachments: { 'scan.pdf': { content_type: 'application/pdf', data: scan } },
      });

      const ask = (authorization: string | null, query = '', ids = [plainId]): Promise<Response> =>
        fetch(`${own.url}/office_alm01/_bulk_get${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ docs: ids.map((id) => ({ id })) }),
        });
      // express-pouchdb answered these 200 with the documents: anyone on the LAN could read the office.
      expect((await ask(null)).status).toBe(401);
      expect((await ask(basic(clerk.login, 'wrong'))).status).toBe(401);
      expect([401, 403]).toContain((await ask(basic(otherOffice.login, otherOffice.password))).status);
      const r = await ask(basic(clerk.login, clerk.password), '?revs=true');
      expect(r.status).toBe(200);
      const body = (await r.json()) as { results: { id: string; docs: { ok?: { _revisions?: unknown } }[] }[] };
      expect(body.results[0]?.docs[0]?.ok?._revisions).toEqual({ start: 1, ids: [plainRev.split('-')[1]] });
      // Written as it is read, in pieces (server/hub/bulkGet.ts WRITE_CHARS): an answer longer than
      // one piece (a scan of 400 KB in base64) goes chunked, no length known in advance.
      const streamed = await ask(basic(clerk.login, clerk.password), '?attachments=true', [plainId, scanId]);
      expect(streamed.headers.get('transfer-encoding')).toBe('chunked');
      expect(((await streamed.json()) as { results: unknown[] }).results).toHaveLength(2);

      // What a desk's PouchDB reads with it: each document as a GET gives it, scans inline; a
      // missing document or revision as CouchDB 3 reports it, in the request's order.
      const desk = new PouchDB(`${own.url}/office_alm01`, {
        auth: { username: clerk.login, password: clerk.password },
        skip_setup: true,
      });
      const got = await desk.bulkGet({
        docs: [{ id: scanId }, { id: plainId, rev: plainRev }, { id: 'nothing' }, { id: plainId, rev: '1-0a' }],
        revs: true,
        attachments: true,
      });
      expect(got.results.map((x) => x.id)).toEqual([scanId, plainId, 'nothing', plainId]);
      const docs = got.results.map((x) => x.docs[0]);
      expect(docs[0]).toEqual({ ok: await admin.get(scanId, { revs: true, attachments: true }) });
      expect(
        (docs[0] as { ok: { _attachments: Record<string, { data: string }> } }).ok._attachments['scan.pdf']?.data,
      ).toBe(scan);
      expect(docs[1]).toEqual({ ok: await admin.get(plainId, { revs: true }) });
      expect(docs[2]).toEqual({ error: { id: 'nothing', rev: 'undefined', error: 'not_found', reason: 'missing' } });
      expect(docs[3]).toEqual({ error: { id: plainId, rev: '1-0a', error: 'not_found', reason: 'missing' } });
      // Without attachments, stubs.
      const stubs = await desk.bulkGet({ docs: [{ id: scanId }] });
      expect(stubs.results[0]?.docs[0]).toMatchObject({
        ok: { _attachments: { 'scan.pdf': { stub: true, content_type: 'application/pdf', length: 300_000 } } },
      });
      // A malformed request is refused, and the hub goes on serving.
      const bad = await fetch(`${own.url}/office_alm01/_bulk_get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(clerk.login, clerk.password) },
        body: JSON.stringify({ docs: [{ rev: '1-a' }] }),
      });
      expect(bad.status).toBe(400);
      // A desk that goes mid-answer (closed, cut off) ends only its own answer.
      const going = new AbortController();
      const long = await fetch(`${own.url}/office_alm01/_bulk_get?attachments=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(clerk.login, clerk.password) },
        body: JSON.stringify({ docs: Array.from({ length: 100 }, () => ({ id: scanId })) }),
        signal: going.signal,
      });
      await long.body?.getReader().read();
      going.abort();
      expect((await ask(basic(clerk.login, clerk.password))).status).toBe(200);
      // Nor Mango, whose express-pouchdb routes read (and indexed) as an admin for anyone: not served.
      for (const [method, at, body] of [
        ['POST', 'office_alm01/_find', { selector: { _id: { $gt: null } } }],
        ['POST', 'office_alm01/_explain', { selector: { _id: { $gt: null } } }],
        ['GET', 'office_alm01/_index', undefined],
        ['POST', 'office_alm01/_index', { index: { fields: ['appId'] } }],
        ['POST', '_users/_find', { selector: { _id: { $gt: null } } }],
      ] as const) {
        for (const authorization of [null, basic(clerk.login, clerk.password)]) {
          const m = await fetch(`${own.url}/${at}`, {
            method,
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            ...(body ? { body: JSON.stringify(body) } : {}),
          });
          expect(`${method} ${at} ${m.status}`).toBe(`${method} ${at} 404`);
        }
      }
      expect((await admin.allDocs({ startkey: '_design/', endkey: '_design0' })).rows.map((x) => x.id)).toEqual([
        '_design/kense',
        '_design/kense_desk',
      ]);
      // Nor does `_bulk_get` open the accounts database: no one but an admin reads others' password hashes.
      const users = await fetch(`${own.url}/_users/_bulk_get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(clerk.login, clerk.password) },
        body: JSON.stringify({ docs: [{ id: `org.couchdb.user:${otherOffice.login}` }] }),
      });
      const usersBody = users.status === 200 ? JSON.stringify(await users.json()) : '';
      expect(usersBody).not.toMatch(/derived_key|password_scheme/);
    } finally {
      await own.stop();
    }
  }, 60_000);

  it('answers as CouchDB 3 does: plainly though the desk asks for gzip, its preflights kept 600 s, the info without disk_size', async () => {
    const own = await hubAlone(base + 3);
    try {
      const headers = {
        authorization: 'Basic ' + Buffer.from(`${own.admin.user}:${own.admin.password}`).toString('base64'),
        'accept-encoding': 'gzip, deflate, br',
      };
      // The design document holds the validator's source: KBs of JSON, past compression's 1 KB threshold.
      const r = await fetch(`${own.url}/office_alm01/_design/kense`, { headers });
      expect(r.status).toBe(200);
      expect((await r.text()).length).toBeGreaterThan(5_000);
      expect(r.headers.get('content-encoding')).toBeNull();
      const preflight = await fetch(`${own.url}/office_alm01/_bulk_docs`, {
        method: 'OPTIONS',
        headers: {
          origin: 'app://kense',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('app://kense');
      expect(preflight.headers.get('access-control-max-age')).toBe('600');
      // The info a desk asks at each check of its sync: counted, not its files walked (no disk_size).
      const info = (await (await fetch(`${own.url}/office_alm01`, { headers })).json()) as Record<string, unknown>;
      expect(info).toMatchObject({ db_name: 'office_alm01' });
      expect(typeof info['update_seq']).not.toBe('undefined');
      expect(info).not.toHaveProperty('disk_size');
    } finally {
      await own.stop();
    }
  }, 30_000);
});
