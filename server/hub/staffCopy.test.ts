import { describe, expect, it } from 'vitest';
import { SHA256_SALT_PREFIX, copyStaffAccounts, StaffCopyError } from './staffCopy';

/**
 * The copy's choices, against a fake central service (`GET /v1/hub/staff`, as server/central
 * answers the office's hub account) and an in-memory hub `_users` that answers as CouchDB does
 * (`_all_docs` paged by startkey/limit, PUT, DELETE). The real servers are in
 * tests/integration/hubStaff.test.ts.
 */
type Doc = Record<string, unknown> & { _id: string; _rev?: string };

/** The central service: the verifiers it gives, or a status it answers with. */
function service(
  staff: Doc[],
  opts: { status?: number; office?: string; unverifiable?: string[]; body?: unknown } = {},
) {
  const asked: string[] = [];
  const handle = (url: URL, init?: RequestInit): Response => {
    asked.push(`${url.pathname} as ${String((init?.headers as Record<string, string>)['authorization'])}`);
    if (opts.status) return new Response('{}', { status: opts.status });
    if (url.pathname !== '/_kense/v1/hub/staff') return new Response('{}', { status: 404 });
    if (opts.body !== undefined) return Response.json(opts.body);
    return Response.json({
      office: opts.office ?? 'ALM01',
      staff: staff.map(({ _id: _i, _rev: _r, type: _t, ...v }) => v),
      unverifiable: opts.unverifiable ?? [],
    });
  };
  return { asked, handle };
}

function couch(docs: Doc[]) {
  const store = new Map(docs.map((d) => [d._id, { ...d, _rev: d._rev ?? '1-a' }]));
  const writes: string[] = [];
  const handle = (url: URL, init?: RequestInit): Response => {
    const id = decodeURIComponent(url.pathname.replace(/^\/_users\//, ''));
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

function run(central: ReturnType<typeof service>, hub: ReturnType<typeof couch>) {
  const f = ((input: string, init?: RequestInit) => {
    const url = new URL(input);
    return Promise.resolve((url.port === '1' ? central : hub).handle(url, init));
  }) as typeof fetch;
  return copyStaffAccounts({
    office: 'ALM01',
    service: { url: 'http://central:1/_kense/', user: 'hub-alm01', password: 'x' },
    hub: { url: 'http://hub:2/', user: 'admin', password: 'y' },
    fetch: f,
  });
}

describe('copying staff accounts from the central service to the hub', () => {
  it("copies the office's staff the service gives the hub account, over every page of the hub, and nobody else", async () => {
    const many = Array.from({ length: 1203 }, (_, i) =>
      user(`u${String(i).padStart(4, '0')}`, ['clerk', 'office:ALM01']),
    );
    const central = service(
      [
        ...many,
        // Never given by the service; left out by the copy all the same.
        user('other', ['clerk', 'office:AST02']),
        user('hub-alm01', ['kense_hub', 'office:ALM01']),
        user('root', ['_admin', 'office:ALM01']),
        user('sha256', ['head', 'office:ALM01'], { pbkdf2_prf: 'sha256' }),
        user('sha512', ['head', 'office:ALM01'], { pbkdf2_prf: 'sha512' }),
        user('sha1', ['head', 'office:ALM01'], { pbkdf2_prf: 'sha' }),
      ],
      { unverifiable: ['legacy'] },
    );
    const hub = couch([]);
    const r = await run(central, hub);
    expect(r).toEqual({ copied: 1205, changed: 1205, skipped: ['legacy', 'sha512'] });
    // Asked as the hub account, at the service's own path.
    expect(central.asked).toEqual([`/_kense/v1/hub/staff as Basic ${Buffer.from('hub-alm01:x').toString('base64')}`]);
    // CouchDB 3.4's SHA-256 verifier: its salt is marked for the hub's check (verifiers.ts).
    expect(hub.store.get('org.couchdb.user:sha256')).toMatchObject({ salt: `${SHA256_SALT_PREFIX}salt-sha256` });
    expect(hub.store.get('org.couchdb.user:sha256')).not.toHaveProperty('pbkdf2_prf');
    expect(hub.store.has('org.couchdb.user:other')).toBe(false);
    expect(hub.store.has('org.couchdb.user:hub-alm01')).toBe(false);
    expect(hub.store.has('org.couchdb.user:root')).toBe(false);
    expect(hub.store.get('org.couchdb.user:sha1')).not.toHaveProperty('pbkdf2_prf');
    // Nothing changed on central: the next copy writes nothing.
    expect((await run(central, hub)).changed).toBe(0);
  });

  it('replaces a hand-made account central also has; removes only accounts it copied itself', async () => {
    const central = service([user('aigerim', ['clerk', 'office:ALM01'])]);
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

  it('says whether the service refused the hub account or could not be asked, and then writes nothing', async () => {
    for (const [central, reason] of [
      [service([], { status: 401 }), 'refused'],
      [service([], { status: 403 }), 'refused'],
      [service([], { status: 503 }), 'unreachable'],
      // Another office's hub account: its staff never land on this hub.
      [service([user('xy', ['clerk', 'office:AST02'])], { office: 'AST02' }), 'refused'],
      [service([], { body: { docs: [] } }), 'unreachable'],
    ] as const) {
      const hub = couch([{ ...user('x', ['clerk', 'office:ALM01']), kense_copied_from: 'central' }]);
      const err = await run(central, hub).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StaffCopyError);
      expect((err as StaffCopyError).reason).toBe(reason);
      expect(hub.writes).toEqual([]);
    }
  });
});
