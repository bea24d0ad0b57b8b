import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, DEV_ADMIN, type Central } from '../../scripts/central';

// A real CouchDB-protocol server on loopback, provisioned by the production script.
let central: Central;
let dir: string;
const port = 5990 + Math.floor(Math.random() * 200);

const basic = (user: string, password: string): string =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
const admin = basic(DEV_ADMIN.user, DEV_ADMIN.password);
const clerk = basic('aigerim', 'secret-1');

async function http(
  method: string,
  p: string,
  auth?: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${central.url}/${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

const event = (appId: string, office = 'ALM01'): Record<string, unknown> => ({
  _id: `evt:${appId}:0000000001-0000:D1`,
  type: 'event',
  v: 1,
  appId,
  hlc: '0000000001-0000',
  device: 'D1',
  kind: 'registered',
  office,
  at: '2026-03-09T15:05:00+05:00',
  actor: { login: 'aigerim', role: 'clerk' },
  payload: {},
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kense-central-'));
  central = await startCentral({
    port,
    dir,
    offices: ['ALM01', 'KZO01'],
    quiet: true,
    rules: { kinds: { registered: ['clerk'] } },
  });
  const user = await http('PUT', 'org.couchdb.user:aigerim'.replace(/^/, '_users/'), admin, {
    name: 'aigerim',
    password: 'secret-1',
    roles: ['clerk', 'office:ALM01'],
    type: 'user',
  });
  expect(user.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await central?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('central server provisioning', () => {
  it('creates the databases and denies anonymous access', async () => {
    const dbs = await http('GET', '_all_dbs', admin);
    expect(dbs.json).toEqual(expect.arrayContaining(['catalog', 'office_alm01', 'office_kzo01']));
    expect((await http('GET', 'office_alm01')).status).toBe(401);
    expect((await http('GET', 'catalog')).status).toBe(401);
  });

  it('is idempotent', async () => {
    const { provision } = await import('../../scripts/provision');
    await expect(
      provision({
        ...DEV_ADMIN,
        url: central.url,
        offices: ['ALM01'],
        rules: { kinds: { registered: ['clerk'] } },
        version: 'dev',
        log: () => undefined,
      }),
    ).resolves.toBeUndefined();
  });

  it('lets office staff append events and enforces immutability on the server', async () => {
    const put = await http(
      'PUT',
      `office_alm01/${encodeURIComponent('evt:A1:0000000001-0000:D1')}`,
      clerk,
      event('A1'),
    );
    expect(put.status).toBe(201);
    const again = await http('PUT', `office_alm01/${encodeURIComponent('evt:A1:0000000001-0000:D1')}`, clerk, {
      ...event('A1'),
      _rev: put.json['rev'],
      payload: { changed: true },
    });
    expect(again.status).toBe(403);
    expect(again.json['reason']).toBe('event.immutable');
  });

  it('refuses a forged actor and another office', async () => {
    const forged = await http('PUT', `office_alm01/${encodeURIComponent('evt:A2:0000000001-0000:D1')}`, clerk, {
      ...event('A2'),
      actor: { login: 'someone-else', role: 'clerk' },
    });
    expect(forged.status).toBe(403);
    expect(forged.json['reason']).toBe('event.actorMismatch');
    const other = await http(
      'PUT',
      `office_kzo01/${encodeURIComponent('evt:A3:0000000001-0000:D1')}`,
      clerk,
      event('A3', 'KZO01'),
    );
    expect([401, 403]).toContain(other.status);
  });

  it('lets only catalogue administrators write the catalogue', async () => {
    const r = await http('PUT', 'catalog/service:x:1', clerk, { name: 'x' });
    expect(r.status).toBe(403);
    expect(r.json['reason']).toBe('catalog.adminOnly');
  });
});
