import { describe, expect, it } from 'vitest';
import { SHA256_SALT_PREFIX, copyStaffAccounts, StaffCopyError } from './staffCopy';

/**
 * The copy's choices, against two in-memory `_users` that answer as CouchDB does (`_all_docs`
 * paged by startkey/limit, PUT, DELETE). The real servers are in tests/integration/hubStaff.test.ts.
 */
type Doc = Record<string, unknown> & { _id: string; _rev?: string };

function couch(docs: Doc[], opts: { status?: number; readerRoles?: string[]; readerName?: string | null } = {}) {
  const store = new Map(docs.map((d) => [d._id, { ...d, _rev: d._rev ?? '1-a' }]));
  const writes: string[] = [];
  const handle = (url: URL, init?: RequestInit): Response => {
    if (opts.status) return new Response('{}', { status: opts.status });
    const id = decodeURIComponent(url.pathname.replace(/^\/_users\//, ''));
    if (url.pathname === '/_session')
      return Response.json({
        userCtx: {
          name: opts.readerName === undefined ? 'reader' : opts.readerName,
          roles: opts.readerRoles ?? ['office_admin'],
        },
      });
    if (url.pathname === '/_users/_security') return Response.json({ admins: { names: [], roles: ['office_admin'] } });
    if (url.pathname === '/_users/_find') {
      const q = JSON.parse(init?.body as string) as {
        selector: { roles: { $all: string[] } };
        limit: number;
        skip: number;
      };
      const docs = [...store.keys()]
        .sort()
        .map((k) => store.get(k) as Doc)
        .filter((d) => d['type'] === 'user' && q.selector.roles.$all.every((r) => (d['roles'] as string[]).includes(r)))
        .slice(q.skip, q.skip + q.limit);
      return Response.json({ docs });
    }
    if (url.pathname === '/_users/_all_docs') {
      const start = JSON.parse(url.searchParams.get('startkey') ?? '""') as string;
      const end = JSON.parse(url.searchParams.get('endkey') ?? '"\uffff"') as string;
      const limit = Number(url.searchParams.get('limit'));
      const rows = [...store.keys()]
        .sort()
        .filter((k) => k >= start && k <= end)
        .slice(0, limit)
        .map((k) => ({ id: k, doc: store.get(k) }));
      return Response.json({ rows });
    }
    if (init?.method === 'PUT') {
      const body = JSON.parse(init.body as string) as Doc;
      writes.push(`PUT ${id}`);
      store.set(id, { ...body, _rev: `${Number(String(body._rev ?? '0').split('-')[0]) + 1}-b` });
      return Response.json({ ok: true }, { status: 201 });
    }
    if (init?.method === 'DELETE') {
      writes.push(`DELETE ${id}`);
      store.delete(id);
      return Response.json({ ok: true });
    }
    return new Response('{}', { status: 404 });
  };
  return { store, writes, handle };
}

const user = (name: string, roles: string[], extra: Record<string, unknown> = {}): Doc => ({
  _id: `org.couchdb.user:${name}`,
  name,
  type: 'user',
  roles,
  password_scheme: 'pbkdf2',
  derived_key: `key-${name}`,
  salt: `salt-${name}`,
  iterations: 10,
  ...extra,
});

function run(central: ReturnType<typeof couch>, hub: ReturnType<typeof couch>) {
  const f = ((input: string, init?: RequestInit) => {
    const url = new URL(input);
    return Promise.resolve((url.port === '1' ? central : hub).handle(url, init));
  }) as typeof fetch;
  return copyStaffAccounts({
    office: 'ALM01',
    central: { url: 'http://central:1', user: 'reader', password: 'x' },
    hub: { url: 'http://hub:2/', user: 'admin', password: 'y' },
    fetch: f,
  });
}

describe('copying staff accounts from central to the hub', () => {
  it("copies the office's staff over every page, and nobody else", async () => {
    const many = Array.from({ length: 1203 }, (_, i) =>
      user(`u${String(i).padStart(4, '0')}`, ['clerk', 'office:ALM01']),
    );
    const central = couch([
      ...many,
      user('other', ['clerk', 'office:AST02']),
      user('hub-alm01', ['kense_hub', 'office:ALM01']),
      user('root', ['_admin', 'office:ALM01']),
      user('sha256', ['head', 'office:ALM01'], { pbkdf2_prf: 'sha256' }),
      user('sha512', ['head', 'office:ALM01'], { pbkdf2_prf: 'sha512' }),
      user('sha1', ['head', 'office:ALM01'], { pbkdf2_prf: 'sha', full_name: 'Not copied' }),
      { _id: '_design/_auth', language: 'javascript' },
    ]);
    const hub = couch([]);
    const r = await run(central, hub);
    expect(r).toEqual({ copied: 1205, changed: 1205, skipped: ['sha512'] });
    // CouchDB 3.4's SHA-256 verifier: its salt is marked for the hub's check (hubServer.cjs).
    expect(hub.store.get('org.couchdb.user:sha256')).toMatchObject({ salt: `${SHA256_SALT_PREFIX}salt-sha256` });
    expect(hub.store.get('org.couchdb.user:sha256')).not.toHaveProperty('pbkdf2_prf');
    expect(hub.store.has('org.couchdb.user:other')).toBe(false);
    expect(hub.store.has('org.couchdb.user:hub-alm01')).toBe(false);
    expect(hub.store.has('org.couchdb.user:root')).toBe(false);
    expect(hub.store.get('org.couchdb.user:sha1')).not.toHaveProperty('full_name');
    expect(hub.store.get('org.couchdb.user:sha1')).not.toHaveProperty('pbkdf2_prf');
    // Nothing changed on central: the next copy writes nothing.
    expect((await run(central, hub)).changed).toBe(0);
  });

  it('replaces a hand-made account central also has; removes only accounts it copied itself', async () => {
    const central = couch([user('aigerim', ['clerk', 'office:ALM01'])]);
    const hub = couch([
      { ...user('aigerim', ['clerk', 'office:ALM01'], { derived_key: 'old' }), _rev: '3-x' },
      { ...user('left', ['clerk', 'office:ALM01']), kense_copied_from: 'central' },
      user('local-only', ['clerk', 'office:ALM01']),
    ]);
    const r = await run(central, hub);
    expect(r.changed).toBe(2);
    expect(hub.writes.sort()).toEqual(['DELETE org.couchdb.user:left', 'PUT org.couchdb.user:aigerim']);
    expect(hub.store.get('org.couchdb.user:aigerim')).toMatchObject({ derived_key: 'key-aigerim', _rev: '4-b' });
    expect(hub.store.has('org.couchdb.user:local-only')).toBe(true);
  });

  it('says whether central refused the reader or could not be asked, and then writes nothing', async () => {
    for (const [status, reason] of [
      [401, 'refused'],
      [403, 'refused'],
      [500, 'unreachable'],
    ] as const) {
      const hub = couch([{ ...user('x', ['clerk', 'office:ALM01']), kense_copied_from: 'central' }]);
      const err = await run(couch([], { status }), hub).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StaffCopyError);
      expect((err as StaffCopyError).reason).toBe(reason);
      expect(hub.writes).toEqual([]);
    }
  });

  it('refuses a reader central does not take for an admin of _users, or does not accept at all', async () => {
    const staff = [user('aigerim', ['clerk', 'office:ALM01'])];
    for (const central of [
      couch(staff, { readerRoles: ['clerk', 'office:ALM01'] }),
      couch(staff, { readerRoles: ['kense_hub', 'office:ALM01'] }),
      couch(staff, { readerName: null, readerRoles: [] }),
    ]) {
      const hub = couch([]);
      const err = await run(central, hub).catch((e: unknown) => e);
      expect((err as StaffCopyError).reason).toBe('refused');
      expect(hub.writes).toEqual([]);
    }
    // A server admin needs no _users admin entry.
    expect((await run(couch(staff, { readerRoles: ['_admin'] }), couch([]))).copied).toBe(1);
  });
});
