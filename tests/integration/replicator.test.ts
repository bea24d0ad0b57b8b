import { afterAll, describe, expect, it } from 'vitest';
import { DEV_ADMIN, startCentral, type Central } from '../../server/dev/central';
import { provisionReplication, putHubUser, replicatorDocs } from '../../server/provision';
import { adminAuth, freePort, removeTmpDirs, tmpDir, until } from './lab/harness';
import { contentEventId } from '../../shared/events';

/**
 * `npm run provision -- --replicate-to …` on an office server: the continuous `_replicator` jobs
 * to and from central, written with CouchDB 3 APIs only. Checked here against the development
 * server (pouchdb-server's replicator), which runs such jobs; what only Apache CouchDB 3 can show
 * (its scheduler, `_scheduler/docs`, retries over days) is in docs/office-hub-couchdb.md.
 */
const rules = { kinds: { registered: ['clerk'] } };
const servers: Central[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  removeTmpDirs();
});

let n = 0;
async function putEvent(url: string): Promise<string> {
  n++;
  const hlc = `${String(Date.now()).padStart(15, '0')}-${String(n).padStart(4, '0')}`;
  const content = {
    type: 'event',
    v: 1,
    appId: `REPL${n}`,
    hlc,
    device: 'HUB',
    kind: 'registered',
    office: 'ALM01',
    at: new Date().toISOString(),
    actor: { login: 'aigerim', role: 'clerk' },
    payload: {},
  };
  const id = contentEventId(content);
  const r = await fetch(`${url}/office_alm01/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { authorization: adminAuth, 'content-type': 'application/json' },
    body: JSON.stringify(content),
  });
  expect(r.status).toBe(201);
  return id;
}
const has = async (url: string, id: string): Promise<true | undefined> =>
  (await fetch(`${url}/office_alm01/${encodeURIComponent(id)}`, { headers: { authorization: adminAuth } })).status ===
  200
    ? true
    : undefined;

describe('the _replicator jobs of an office server', () => {
  it('are CouchDB 3 documents: URLs on both ends, credentials in headers, continuous, never creating databases', async () => {
    const docs = await replicatorDocs(
      'ALM01',
      { url: 'http://127.0.0.1:5984/', user: 'admin', password: 'a' },
      { central: 'https://couch.example.kz:6984', user: 'hub-alm01', password: 'b' },
    );
    expect(docs.map((d) => [d._id, d.source.url, d.target.url])).toEqual([
      [
        'kense-office_alm01-to-central',
        'http://127.0.0.1:5984/office_alm01',
        'https://couch.example.kz:6984/office_alm01',
      ],
      [
        'kense-office_alm01-from-central',
        'https://couch.example.kz:6984/office_alm01',
        'http://127.0.0.1:5984/office_alm01',
      ],
    ]);
    expect(docs[0]?.target.headers.Authorization).toBe('Basic ' + Buffer.from('hub-alm01:b').toString('base64'));
    expect(docs.every((d) => d.continuous && !d.create_target)).toBe(true);
    // The mark that tells when to rewrite the job carries no password.
    expect(JSON.stringify(docs.map((d) => d.kense))).not.toMatch(/hub-alm01:b|YWRta/);
  });

  it('replicate both ways on the dev server and are written once', async () => {
    const central = await startCentral({
      port: await freePort(),
      dir: tmpDir('repl-central'),
      offices: ['ALM01'],
      quiet: true,
      rules,
    });
    servers.push(central);
    const office = await startCentral({
      port: await freePort(),
      dir: tmpDir('repl-office'),
      offices: ['ALM01'],
      quiet: true,
      rules,
    });
    servers.push(office);
    const lines: string[] = [];
    const opts = { url: office.url, ...DEV_ADMIN, offices: ['ALM01'], log: (l: string) => lines.push(l) };
    // The jobs log in to central as the office's hub account, not as an admin.
    const hubAccount = { login: 'hub-alm01', password: 'secret-hub', office: 'ALM01' };
    await putHubUser({ url: central.url, ...DEV_ADMIN }, hubAccount);
    const to = { central: central.url, user: hubAccount.login, password: hubAccount.password };
    await provisionReplication(opts, to);
    expect(lines).toEqual([
      'replication kense-office_alm01-to-central created',
      'replication kense-office_alm01-from-central created',
    ]);

    const up = await putEvent(office.url);
    await until('the office event on central', () => has(central.url, up), 20_000, 200);
    const down = await putEvent(central.url);
    await until('the central event on the office server', () => has(office.url, down), 20_000, 200);

    lines.length = 0;
    await provisionReplication(opts, to);
    expect(lines).toEqual([]);

    // Central moves: provisioning again with the new address replaces both jobs (the old document
    // deleted, which cancels its replication, then the new one written). The dev server survives
    // that (server/dev/dev-central-server.mjs), and the office now syncs with the new central only.
    const moved = await startCentral({
      port: await freePort(),
      dir: tmpDir('repl-central-moved'),
      offices: ['ALM01'],
      quiet: true,
      rules,
    });
    servers.push(moved);
    await putHubUser({ url: moved.url, ...DEV_ADMIN }, hubAccount);
    await provisionReplication(opts, { ...to, central: moved.url });
    expect(lines).toEqual([
      'replication kense-office_alm01-to-central updated',
      'replication kense-office_alm01-from-central updated',
    ]);
    const job = (await (
      await fetch(`${office.url}/_replicator/kense-office_alm01-to-central`, { headers: { authorization: adminAuth } })
    ).json()) as { target: { url: string } };
    expect(job.target.url).toBe(`${moved.url}/office_alm01`);

    const after = await putEvent(office.url);
    await until('the office event on the new central', () => has(moved.url, after), 20_000, 200);
    const fromMoved = await putEvent(moved.url);
    await until('the new central event on the office server', () => has(office.url, fromMoved), 20_000, 200);
    // The old jobs are gone: the old central got nothing more (and the office server is still up).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await has(central.url, after)).toBeUndefined();
    expect((await fetch(`${office.url}/`)).status).toBe(200);
  }, 90_000);
});
