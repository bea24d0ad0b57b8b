import { afterEach, describe, expect, it, vi } from 'vitest';
import { SHA256_SALT_PREFIX, copyStaffAccounts, keepStaffCopied, StaffCopyError } from './staffCopy';

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

describe('keeping the staff copied', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Fake timers; a copy that fails while `down` holds; each attempt's time (ms since start). */
  function attempts(down: () => boolean) {
    vi.useFakeTimers({ now: 0 });
    const at: number[] = [];
    const copy = (): Promise<boolean> => {
      at.push(Date.now());
      return Promise.resolve(!down());
    };
    return { at, copy };
  }

  it('retries a failed copy with the back-off, not a refresh later, and refreshes as usual once it succeeds', async () => {
    let down = true;
    const { at, copy } = attempts(() => down);
    const copier = keepStaffCopied({ copy, refreshMs: 60_000, maxBackoffMs: 4_000 });
    await copier.first;
    await vi.advanceTimersByTimeAsync(15_000);
    // 0, then 1 s, 2 s, 4 s later, then every 4 s (the cap).
    expect(at).toEqual([0, 1000, 3000, 7000, 11_000, 15_000]);
    down = false;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(at.at(-1)).toBe(19_000);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(at.length).toBe(7);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(at.at(-1)).toBe(79_000);
    // A failure after a success starts the back-off over from 1 s.
    down = true;
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(at.slice(-2)).toEqual([139_000, 140_000]);
    await copier.stop();
  });

  it('never waits longer than the refresh, and a copy that throws counts as failed', async () => {
    vi.useFakeTimers({ now: 0 });
    const at: number[] = [];
    const copier = keepStaffCopied({
      copy: () => {
        at.push(Date.now());
        return Promise.reject(new Error('boom'));
      },
      refreshMs: 3_000,
      maxBackoffMs: 30_000,
    });
    await copier.first;
    await vi.advanceTimersByTimeAsync(12_000);
    expect(at).toEqual([0, 1000, 3000, 6000, 9000, 12_000]);
    await copier.stop();
  });

  it('stops: no attempt after stop, and stop waits for the copy under way', async () => {
    vi.useFakeTimers({ now: 0 });
    let release: (ok: boolean) => void = () => undefined;
    let calls = 0;
    const copier = keepStaffCopied({
      copy: () => {
        calls++;
        return new Promise<boolean>((resolve) => (release = resolve));
      },
      refreshMs: 1_000,
      maxBackoffMs: 1_000,
    });
    let stopped = false;
    const stopping = copier.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release(true);
    await stopping;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(1);
  });
});
