import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffChangeSchema, staffListSchema, hubStaffSchema, type StaffAccount } from '@shared/staff';
import { putHubUser, putStaffUser } from '../../server/provision';
import { startCentralService, type CentralService } from '../../server/central';
import { freePort, until } from './lab/harness';
import { basicAuth, startTestCouch, type TestCouch } from './lab/couch';

/**
 * The Kense central service (server/central) against a real CouchDB-protocol server: office admins
 * administer their own office's staff through it, with the `_users` validator's rules, never
 * seeing a hash; the office's directory follows every change; the office's hub account alone gets
 * its verifiers.
 */
let couch: TestCouch;
let service: CentralService;
const P = {
  gulnar: 'secret-gulnar',
  sanzhar: 'secret-sanzhar',
  aigerim: 'secret-aigerim',
  hub: 'secret-hub',
  bolat: 'secret-bolat',
};
const LOGINS = ['gulnar', 'sanzhar', 'aigerim', 'bolat', 'hub-alm01', 'aidos', 'temir', 'nurlan', 'saule'];
const gulnar = basicAuth('gulnar', P.gulnar);
const sanzhar = basicAuth('sanzhar', P.sanzhar);
const aigerim = basicAuth('aigerim', P.aigerim);
const hub = basicAuth('hub-alm01', P.hub);

async function call(
  method: string,
  p: string,
  auth?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const r = await fetch(`${service.url}/${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown>, text };
}

async function session(login: string, password: string): Promise<{ status: number; roles: string[] }> {
  const r = await fetch(`${couch.url}/_session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: login, password }),
  });
  const body = (await r.json()) as { roles?: string[] };
  return { status: r.status, roles: body.roles ?? [] };
}

async function entry(office: string, login: string): Promise<Record<string, unknown> | null> {
  const r = await fetch(`${couch.url}/office_${office.toLowerCase()}/${encodeURIComponent(`staff:${login}`)}`, {
    headers: { authorization: basicAuth(couch.admin.user, couch.admin.password) },
  });
  return r.ok ? ((await r.json()) as Record<string, unknown>) : null;
}

const list = async (auth: string): Promise<StaffAccount[]> => {
  const r = await call('GET', 'v1/staff', auth);
  expect(r.status).toBe(200);
  return staffListSchema.parse(r.json).staff;
};

beforeAll(async () => {
  couch = await startTestCouch({
    port: await freePort(),
    offices: ['ALM01', 'KZO01'],
    logins: LOGINS,
  });
  const admin = { url: couch.url, ...couch.admin };
  await putStaffUser(admin, {
    login: 'gulnar',
    password: P.gulnar,
    role: 'office_admin',
    office: 'ALM01',
    fullName: 'Әбдірова Гүлнар',
  });
  await putStaffUser(admin, { login: 'sanzhar', password: P.sanzhar, role: 'office_admin', office: 'KZO01' });
  await putStaffUser(admin, {
    login: 'aigerim',
    password: P.aigerim,
    role: 'clerk',
    office: 'ALM01',
    fullName: 'Сейітова Айгерім',
  });
  await putStaffUser(admin, { login: 'bolat', password: P.bolat, role: 'clerk', office: 'KZO01' });
  await putHubUser(admin, { login: 'hub-alm01', password: P.hub, office: 'ALM01' });
  service = await startCentralService({
    couch: { url: couch.url, ...couch.admin },
    host: '127.0.0.1',
    port: await freePort(),
    origins: ['app://kense'],
    log: () => undefined,
    retryMs: 200,
  });
  await service.ready;
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await couch?.stop();
});

describe(`the central service (on ${process.env['KENSE_TEST_COUCH_URL'] ? 'an external CouchDB' : 'the dev central'})`, () => {
  it('answers only callers CouchDB accepts, and staff administration only to office admins', async () => {
    expect((await call('GET', '')).json).toMatchObject({ service: 'kense-central' });
    expect((await call('GET', 'v1/staff')).status).toBe(401);
    expect((await call('GET', 'v1/staff', basicAuth('gulnar', 'wrong'))).status).toBe(401);
    const clerk = await call('GET', 'v1/staff', aigerim);
    expect(clerk.status).toBe(403);
    expect(clerk.json['error']).toBe('forbidden');
    expect((await call('GET', 'v1/hub/staff', gulnar)).status).toBe(403);
  });

  it("lists the office admin's own office: the hub as a technical account, her own row not hers to change, never a hash", async () => {
    const r = await call('GET', 'v1/staff', gulnar);
    expect(r.text).not.toMatch(/derived_key|salt|password/);
    const staff = staffListSchema.parse(r.json).staff;
    expect(staff.map((s) => s.login)).toEqual(['aigerim', 'gulnar', 'hub-alm01']);
    expect(staff.find((s) => s.login === 'aigerim')).toEqual({
      login: 'aigerim',
      fullName: 'Сейітова Айгерім',
      roles: ['clerk'],
      active: true,
      kind: 'person',
      manageable: true,
    });
    expect(staff.find((s) => s.login === 'gulnar')).toMatchObject({ manageable: false, roles: ['office_admin'] });
    expect(staff.find((s) => s.login === 'hub-alm01')).toMatchObject({ kind: 'hub', manageable: false });
  });

  it("keeps an office admin out of another office's staff: not listed, not changed, not even confirmed to exist", async () => {
    expect((await call('GET', 'v1/staff?office=ALM01', sanzhar)).json['error']).toBe('users.otherOffice');
    expect((await list(sanzhar)).map((s) => s.login)).toEqual(['bolat', 'sanzhar']);
    for (const [method, p, body] of [
      ['PATCH', 'v1/staff/aigerim', { roles: ['head'] }],
      ['POST', 'v1/staff/aigerim/deactivate', undefined],
      ['POST', 'v1/staff/aigerim/password', {}],
    ] as const) {
      const r = await call(method, p, sanzhar, body);
      expect(r.status).toBe(404);
    }
    expect((await session('aigerim', P.aigerim)).status).toBe(200);
  });

  it('adds a person with roles, who signs in at once and is in the directory; a taken login is refused', async () => {
    const r = await call('POST', 'v1/staff', gulnar, {
      login: 'aidos',
      fullName: 'Әлиев Айдос',
      roles: ['clerk', 'executor'],
      password: 'aidos-password',
    });
    expect(r.status).toBe(201);
    const change = staffChangeSchema.parse(r.json);
    expect(change.temporaryPassword).toBeUndefined();
    expect(change.account).toMatchObject({ login: 'aidos', roles: ['clerk', 'executor'], active: true });
    expect(await session('aidos', 'aidos-password')).toEqual({
      status: 200,
      roles: ['clerk', 'executor', 'office:ALM01'],
    });
    expect(await entry('ALM01', 'aidos')).toMatchObject({
      type: 'staff',
      login: 'aidos',
      fullName: 'Әлиев Айдос',
      roles: ['clerk', 'executor'],
      active: true,
    });
    expect(await entry('KZO01', 'aidos')).toBeNull();
    const again = await call('POST', 'v1/staff', gulnar, { login: 'aidos', fullName: 'Другой', roles: ['clerk'] });
    expect(again.status).toBe(409);
    expect(again.json['error']).toBe('exists');
    // Someone of another office too: the login is taken server-wide.
    expect((await call('POST', 'v1/staff', gulnar, { login: 'bolat', fullName: 'X Y', roles: ['clerk'] })).status).toBe(
      409,
    );
  });

  it('makes a temporary password when none is given, and says it once', async () => {
    const r = await call('POST', 'v1/staff', gulnar, { login: 'temir', fullName: 'Темір Ерлан', roles: ['head'] });
    const change = staffChangeSchema.parse(r.json);
    expect(change.temporaryPassword).toMatch(/^[a-zA-Z0-9]{12}$/);
    expect((await session('temir', change.temporaryPassword ?? '')).status).toBe(200);
    const listed = await call('GET', 'v1/staff', gulnar);
    expect(listed.text).not.toContain(change.temporaryPassword);
  });

  it('refuses what the _users validator refuses, with its reason', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', 'v1/staff', { login: 'x1', fullName: 'X Y', roles: ['office_admin'] }, 'badRequest'],
      ['POST', 'v1/staff', { login: 'admin', fullName: 'X Y', roles: ['clerk'] }, 'users.reserved'],
      ['PATCH', 'v1/staff/gulnar', { roles: ['head'] }, 'users.ownRoles'],
      ['POST', 'v1/staff/gulnar/deactivate', undefined, 'users.ownRoles'],
      ['PATCH', 'v1/staff/hub-alm01', { roles: ['clerk'] }, 'users.roleNotGrantable'],
      ['POST', 'v1/staff/hub-alm01/deactivate', undefined, 'users.roleNotGrantable'],
    ];
    for (const [method, p, body, code] of cases) {
      const r = await call(method, p, gulnar, body);
      expect(r.json['error'], `${method} ${p}`).toBe(code);
    }
    expect((await session('hub-alm01', P.hub)).status).toBe(200);
  });

  it('assigns roles: the session and the directory say so', async () => {
    const r = await call('PATCH', 'v1/staff/aidos', gulnar, { roles: ['head', 'commission'] });
    expect(r.status).toBe(200);
    expect(staffChangeSchema.parse(r.json).account.roles).toEqual(['head', 'commission']);
    expect((await session('aidos', 'aidos-password')).roles).toEqual(['head', 'commission', 'office:ALM01']);
    expect(await entry('ALM01', 'aidos')).toMatchObject({ roles: ['head', 'commission'], active: true });
  });

  it('deactivates: no sign-in, no access, inactive in the directory; re-enabling gives back roles and password', async () => {
    const off = await call('POST', 'v1/staff/aidos/deactivate', gulnar);
    expect(off.status).toBe(200);
    expect(staffChangeSchema.parse(off.json).account).toMatchObject({ active: false, roles: ['head', 'commission'] });
    expect((await session('aidos', 'aidos-password')).status).toBe(401);
    const db = await fetch(`${couch.url}/office_alm01/_all_docs`, {
      headers: { authorization: basicAuth('aidos', 'aidos-password') },
    });
    expect(db.status).toBe(401);
    expect(await entry('ALM01', 'aidos')).toMatchObject({ active: false, roles: ['head', 'commission'] });
    expect((await list(gulnar)).find((s) => s.login === 'aidos')).toMatchObject({ active: false });
    expect((await call('PATCH', 'v1/staff/aidos', gulnar, { roles: ['clerk'] })).json['error']).toBe('inactive');
    expect((await call('POST', 'v1/staff/aidos/password', gulnar, {})).json['error']).toBe('inactive');
    // The same again changes nothing.
    expect((await call('POST', 'v1/staff/aidos/deactivate', gulnar)).status).toBe(200);

    const on = await call('POST', 'v1/staff/aidos/activate', gulnar);
    expect(staffChangeSchema.parse(on.json).account).toMatchObject({ active: true, roles: ['head', 'commission'] });
    expect(await session('aidos', 'aidos-password')).toEqual({
      status: 200,
      roles: ['head', 'commission', 'office:ALM01'],
    });
    expect(await entry('ALM01', 'aidos')).toMatchObject({ active: true });
  });

  it('resets a password: generated (said once) or typed by the admin; the old one stops working', async () => {
    const generated = staffChangeSchema.parse((await call('POST', 'v1/staff/aigerim/password', gulnar, {})).json);
    const temporary = generated.temporaryPassword ?? '';
    expect(temporary).toHaveLength(12);
    expect((await session('aigerim', P.aigerim)).status).toBe(401);
    expect((await session('aigerim', temporary)).status).toBe(200);
    const typed = await call('POST', 'v1/staff/aigerim/password', gulnar, { password: P.aigerim });
    expect(staffChangeSchema.parse(typed.json).temporaryPassword).toBeUndefined();
    expect((await session('aigerim', P.aigerim)).status).toBe(200);
    expect((await call('POST', 'v1/staff/aigerim/password', gulnar, { password: 'short' })).status).toBe(400);
  });

  it("gives the office's verifiers to its hub account only: active staff of that office, nobody else", async () => {
    await call('POST', 'v1/staff/temir/deactivate', gulnar);
    const r = await call('GET', 'v1/hub/staff', hub);
    expect(r.status).toBe(200);
    const body = hubStaffSchema.parse(r.json);
    expect(body.office).toBe('ALM01');
    expect(body.staff.map((s) => s.name)).toEqual(['aidos', 'aigerim', 'gulnar']);
    expect(body.staff[0]).toMatchObject({ password_scheme: 'pbkdf2', roles: ['head', 'commission', 'office:ALM01'] });
    for (const auth of [gulnar, aigerim, sanzhar]) expect((await call('GET', 'v1/hub/staff', auth)).status).toBe(403);
  });

  it('keeps the directory in step with accounts changed past the service, and resyncs at start', async () => {
    const admin = { url: couch.url, ...couch.admin };
    await putStaffUser(admin, { login: 'nurlan', password: 'secret-nurlan', role: 'executor', office: 'ALM01' });
    await until(
      'nurlan in the directory',
      async () => ((await entry('ALM01', 'nurlan'))?.['active'] ? true : undefined),
      15_000,
    );
    // Moved to another office by the server admin: inactive in the old office, active in the new one.
    await putStaffUser(admin, { login: 'nurlan', password: 'secret-nurlan', role: 'executor', office: 'KZO01' });
    await until('nurlan moved', async () => ((await entry('KZO01', 'nurlan'))?.['active'] ? true : undefined), 15_000);
    await until(
      'nurlan inactive in ALM01',
      async () => ((await entry('ALM01', 'nurlan'))?.['active'] === false ? true : undefined),
      15_000,
    );

    // The service was away while an account was made and an entry lost: the next start puts both right.
    await service.stop();
    await putStaffUser(admin, { login: 'saule', password: 'secret-saule', role: 'clerk', office: 'ALM01' });
    const lost = await entry('ALM01', 'aigerim');
    await fetch(`${couch.url}/office_alm01/${encodeURIComponent('staff:aigerim')}?rev=${String(lost?.['_rev'])}`, {
      method: 'DELETE',
      headers: { authorization: basicAuth(couch.admin.user, couch.admin.password) },
    });
    service = await startCentralService({
      couch: { url: couch.url, ...couch.admin },
      host: '127.0.0.1',
      port: await freePort(),
      origins: ['app://kense'],
      log: () => undefined,
    });
    await service.ready;
    expect(await entry('ALM01', 'saule')).toMatchObject({ active: true, roles: ['clerk'] });
    expect(await entry('ALM01', 'aigerim')).toMatchObject({ active: true, fullName: 'Сейітова Айгерім' });
    // A second resync writes nothing.
    expect(await service.directory.resync()).toBe(0);
  }, 60_000);

  it('staff cannot write directory entries themselves (the office validator takes them from the server admin only)', async () => {
    const r = await fetch(`${couch.url}/office_alm01/${encodeURIComponent('staff:aigerim')}`, {
      method: 'PUT',
      headers: { authorization: aigerim, 'content-type': 'application/json' },
      body: JSON.stringify({ ...(await entry('ALM01', 'aigerim')), roles: ['head'] }),
    });
    expect(r.status).toBe(403);
  });

  it('answers CORS for the configured origins only', async () => {
    const pre = (origin: string): Promise<Response> =>
      fetch(`${service.url}/v1/staff`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const ok = await pre('app://kense');
    expect(ok.headers.get('access-control-allow-origin')).toBe('app://kense');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    expect((await pre('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
