import { describe, expect, it, vi } from 'vitest';
import { corsSettings, DEFAULT_APP_ORIGINS } from '@shared/couch';
import { provision, splitCredentials } from '../../scripts/provision';

/**
 * What provisioning asks of a CouchDB 3 cluster for CORS (issue 12, finding 6), against a fake that
 * answers as CouchDB does: `_membership` lists the nodes, `_node/<name>/_config/<section>/<key>`
 * reads and writes one setting of that node (JSON strings). Every node gets every setting; a
 * second run writes nothing. And credentials in the URL travel as a header (finding 7).
 */
function fakeCluster(nodes: string[]) {
  const config = new Map<string, string>();
  const puts: string[] = [];
  const auths = new Set<string>();
  const f = vi.fn((input: string, init?: RequestInit) => {
    const url = new URL(input);
    if (url.username || url.password)
      throw new TypeError('Request cannot be constructed from a URL that includes credentials');
    auths.add(String((init?.headers as Record<string, string>)['authorization']));
    const method = init?.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status });
    if (path === '/_membership') return Promise.resolve(json(200, { all_nodes: nodes, cluster_nodes: nodes }));
    const m = /^\/_node\/([^/]+)\/_config\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) {
      const key = `${m[1]}|${m[2]}|${m[3]}`;
      if (method === 'GET')
        return Promise.resolve(config.has(key) ? json(200, config.get(key)) : json(404, { error: 'not_found' }));
      puts.push(key);
      config.set(key, JSON.parse(init?.body as string) as string);
      return Promise.resolve(json(200, ''));
    }
    // The catalogue's seed: every document already there.
    if (method === 'POST' && path.endsWith('/_all_docs')) {
      const keys = (JSON.parse(init?.body as string) as { keys: string[] }).keys;
      return Promise.resolve(json(200, { rows: keys.map((key) => ({ key, id: key, value: { rev: '1-a' } })) }));
    }
    // Databases, _security and design documents: already as provisioning wants them.
    if (method === 'PUT' && !path.includes('/')) return Promise.resolve(json(412, { error: 'file_exists' }));
    if (path.endsWith('/_security')) return Promise.resolve(json(200, {}));
    return Promise.resolve(json(method === 'GET' ? 404 : 201, { ok: true }));
  });
  return { f, config, puts, auths };
}

describe('provisioning CORS on CouchDB 3', () => {
  it("sets CORS with credentials for the app's origins on every node of a cluster, then changes nothing on a second run", async () => {
    const nodes = ['couchdb@10.0.0.1', 'couchdb@10.0.0.2', 'couchdb@10.0.0.3'];
    const cluster = fakeCluster(nodes);
    vi.stubGlobal('fetch', cluster.f);
    try {
      const run = (): Promise<void> =>
        provision({
          url: 'https://admin:s%3Acret@couch.example.kz:6984/',
          user: 'ignored',
          password: 'ignored',
          offices: [],
          rules: { kinds: {} },
          version: 'test',
          log: () => undefined,
          corsOrigins: [...DEFAULT_APP_ORIGINS, 'https://desk.example.kz'],
        });
      await run();
      for (const node of nodes) {
        expect(cluster.config.get(`${node}|chttpd|enable_cors`)).toBe('true');
        expect(cluster.config.get(`${node}|httpd|enable_cors`)).toBe('true');
        expect(cluster.config.get(`${node}|cors|credentials`)).toBe('true');
        expect(cluster.config.get(`${node}|cors|origins`)).toBe(
          'app://kense, http://127.0.0.1:5741, http://localhost:5741, https://desk.example.kz',
        );
        expect(cluster.config.get(`${node}|cors|headers`)).toContain('authorization');
        expect(cluster.config.get(`${node}|cors|methods`)).toBe('GET, PUT, POST, HEAD, DELETE');
      }
      expect(cluster.puts).toHaveLength(nodes.length * corsSettings([]).length);
      const before = cluster.puts.length;
      await run();
      expect(cluster.puts).toHaveLength(before);
      // The URL's credentials, as one Authorization header (fetch refuses them in the URL).
      expect([...cluster.auths]).toEqual([`Basic ${Buffer.from('admin:s:cret').toString('base64')}`]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refuses an origin CouchDB could never match, before writing anything', async () => {
    const cluster = fakeCluster(['couchdb@a']);
    vi.stubGlobal('fetch', cluster.f);
    try {
      await expect(
        provision({
          url: 'http://127.0.0.1:5984',
          user: 'admin',
          password: 'x',
          offices: [],
          rules: { kinds: {} },
          version: 'test',
          log: () => undefined,
          corsOrigins: ['https://desk.example.kz/path'],
        }),
      ).rejects.toThrow(/scheme:\/\/host/);
      expect(cluster.f).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('splits credentials out of a URL, decoding them', () => {
    expect(splitCredentials('http://adm%40in:p%2Fw@127.0.0.1:5984/', { user: 'u', password: 'p' })).toEqual({
      url: 'http://127.0.0.1:5984',
      user: 'adm@in',
      password: 'p/w',
    });
    expect(splitCredentials('http://127.0.0.1:5984', { user: 'u', password: 'p' })).toEqual({
      url: 'http://127.0.0.1:5984',
      user: 'u',
      password: 'p',
    });
  });
});
