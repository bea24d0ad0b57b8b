import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash, type RawDoc } from '../../shared/audit';
import { contentEventId } from '../../shared/events';
import { DEV_ADMIN, startCentral, type Central } from '../../server/dev/central';
import {
  adminAuth,
  bundleLabPage,
  launchLab,
  putUser,
  removeTmpDirs,
  serveLab,
  serverEventIds,
  tmpDir,
  until,
  type Lab,
  type LabPage,
  type LabServer,
} from './lab/harness';

/**
 * `npm run audit` against the development central: a real desk (the lab page in Chromium, the
 * desk's own data layer) writes a chain of events and syncs it up; then the server's copy is
 * tampered with as an administrator could — an event edited in place, one left out of a copy, one
 * slipped into a copy — and the command must say so and exit non-zero each time.
 */

const PORT = Number(process.env['KENSE_AUDIT_CENTRAL_PORT'] ?? 5853);
const root = path.resolve(__dirname, '../..');
const NOW = Date.parse('2026-03-10T05:00:00Z');

let central: Central;
let server: LabServer;
let lab: Lab;
let page: LabPage;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function audit(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/audit.ts'), ...args],
      { cwd: root, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const serverArgs = (office: string): string[] => [
  '--url',
  central.url,
  '--office',
  office,
  '--user',
  DEV_ADMIN.user,
  '--password',
  DEV_ADMIN.password,
];

async function admin(method: string, p: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${central.url}/${p}`, {
    method,
    headers: { authorization: adminAuth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await r.json()) as Record<string, unknown>;
  if (!r.ok) throw new Error(`${method} ${p}: HTTP ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function serverEvents(db = 'office_alm01', withBytes = false): Promise<RawDoc[]> {
  const q = `startkey=${encodeURIComponent('"evt:"')}&endkey=${encodeURIComponent('"evt:\ufff0"')}&include_docs=true${withBytes ? '&attachments=true' : ''}`;
  const body = (await admin('GET', `${db}/_all_docs?${q}`)) as { rows: { doc: RawDoc }[] };
  return body.rows.map((r) => r.doc);
}

/** The application ids the desk has written, from its own replica. */
async function serverEventIdsOf(p: LabPage): Promise<string[]> {
  const ids = await p.call('eventIds');
  return [...new Set(ids.map((id) => id.split(':')[1] ?? ''))];
}

const seqOf = (d: RawDoc): number => (d['chain'] as { seq: number }).seq;

/** A copy of the office database (as an administrator could make one, no validation on it). */
async function copyDb(name: string, docs: RawDoc[]): Promise<void> {
  await admin('PUT', name);
  const r = (await admin('POST', `${name}/_bulk_docs`, { docs, new_edits: false })) as unknown as unknown[];
  expect(r).toEqual([]);
}

beforeAll(async () => {
  const [c, dir] = await Promise.all([
    startCentral({ port: PORT, dir: tmpDir('audit-central'), offices: ['ALM01'], quiet: true }),
    bundleLabPage(),
  ]);
  central = c;
  await putUser(central.url, 'aigerim', 'secret-1', ['clerk', 'head', 'executor', 'office:ALM01']);
  server = await serveLab(dir);
  lab = await launchLab(server, tmpDir('audit-profile'));
  page = await lab.page();
  await page.call('openDesk', { office: 'ALM01', desk: 'D01', dbName: 'office_alm01', now: NOW, login: 'aigerim' });
  // A chain of events through the desk's own code: two registrations and the steps after them.
  for (const applicant of [0, 1]) {
    const reg = await page.call('register', { channel: 'provider_office', applicant });
    if (!reg.ok) throw new Error(reg.message);
    const res = await page.call('append', reg.value.appId, 'resolution', 'head', {
      stepId: 's3',
      executor: 'aigerim',
      executorName: 'Айгерім',
    });
    if (!res.ok) throw new Error(res.message);
    const done = await page.call('append', reg.value.appId, 'step_done', 'executor', {
      stepId: 's4',
      outcome: 'done',
    });
    if (!done.ok) throw new Error(done.message);
  }
  // A scan too: the chain covers its bytes through the digest the server stores for them.
  const [first] = await serverEventIdsOf(page);
  const scan = await page.call('attach', first ?? '', 'clerk', 'scan.png', [137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
  if (!scan.ok) throw new Error(scan.message);
  await page.call('startSync', { target: 'central', url: central.url, username: 'aigerim', password: 'secret-1' });
  await until(
    'seven events on the server',
    async () => ((await serverEventIds(central.url)).length === 7 ? true : undefined),
    30_000,
  );
  await page.call('closeDesk');
}, 90_000);

afterAll(async () => {
  await lab?.close();
  await server?.close();
  await central?.stop();
  removeTmpDirs();
});

describe('npm run audit', () => {
  it('passes the chain the desk wrote, as the server holds it', async () => {
    const events = await serverEvents();
    expect(events.map(seqOf).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.filter((d) => d['_attachments'])).toHaveLength(1);
    const run = await audit(...serverArgs('ALM01'));
    expect(run.stdout).toContain('OK: no edited, deleted or inserted event found');
    expect(run.code).toBe(0);
  });

  it('says how to call it, and fails (2) when the server cannot be read', async () => {
    expect((await audit()).code).toBe(2);
    const denied = await audit('--url', central.url, '--office', 'ALM01', '--user', 'aigerim', '--password', 'wrong');
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain('HTTP 401');
  });

  it('catches a deleted event (a local export with one event left out)', async () => {
    const events = await serverEvents();
    const gone = events.find((d) => seqOf(d) === 3);
    const file = path.join(tmpDir('audit-export'), 'office_alm01.json');
    writeFileSync(
      file,
      JSON.stringify({ rows: events.filter((d) => d !== gone).map((doc) => ({ id: doc['_id'], doc })) }),
    );
    const run = await audit('--file', file);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/DELETED\s+device \w+ #3: gap/);
  });

  it('catches an inserted event (a forged one at a position already taken, in a copy on the server)', async () => {
    const events = await serverEvents('office_alm01', true);
    const second = events.find((d) => seqOf(d) === 2) as RawDoc;
    const first = events.find((d) => seqOf(d) === 1) as RawDoc;
    const hlc = '001773119000000-0000';
    const forged: RawDoc = {
      ...second,
      _id: `evt:${String(second['appId'])}:${hlc}:${String(second['device'])}`,
      _rev: '1-0123456789abcdef0123456789abcdef',
      hlc,
      payload: { ...(second['payload'] as object), note: 'added later' },
      chain: { seq: 2, prev: eventHash(first) },
    };
    await copyDb('office_ins01', [...events, forged]);
    const run = await audit(...serverArgs('INS01'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/INSERTED\s+device \w+ #2: duplicatePosition/);
    expect(run.stdout).toContain(String(forged['_id']));
  });

  it('catches an event edited in place on the server by an administrator', async () => {
    const events = await serverEvents();
    const target = events.find((d) => seqOf(d) === 4) as RawDoc;
    // The validator refuses any update of an event, an administrator's too (event.immutable). An
    // administrator can still take the validator away, write, and put it back: here as a
    // replicated first revision that wins over the original (its id sorts last), so that nothing
    // but the content gives it away.
    const edited = {
      ...target,
      _rev: '1-ffffffffffffffffffffffffffffffff',
      actor: { login: 'someone-else', role: 'head' },
    };
    const refused = (await admin('POST', 'office_alm01/_bulk_docs', { docs: [edited], new_edits: false })) as unknown;
    expect(refused).toMatchObject([{ error: 'forbidden', reason: 'event.immutable' }]);
    const design = await admin('GET', 'office_alm01/_design/kense');
    await admin('DELETE', `office_alm01/_design/kense?rev=${String(design['_rev'])}`);
    expect(await admin('POST', 'office_alm01/_bulk_docs', { docs: [edited], new_edits: false })).toEqual([]);
    const { _rev: _old, ...restored } = design;
    await admin('PUT', 'office_alm01/_design/kense', restored);
    const now = (await serverEvents()).find((d) => d['_id'] === target['_id']);
    expect(now?.['actor']).toEqual({ login: 'someone-else', role: 'head' });
    const run = await audit(...serverArgs('ALM01'));
    expect(run.code).toBe(1);
    // The forged revision does not carry the content its id names: named as such, while the chain
    // is checked on the genuine revision, which is still there as the conflict it lost to.
    expect(run.stdout).toMatch(/EDITED\s+device \w+: contentMismatch/);
    expect(run.stdout).toContain(String(target['_id']));
  });
  it('the server refuses a malformed chain link from staff, and takes a well-formed one', async () => {
    const put = async (chain: unknown): Promise<{ status: number; reason: unknown }> => {
      const hlc = '001773200000000-0000';
      const content = {
        type: 'event',
        v: 1,
        kind: 'withdrawn',
        appId: 'ABAD1',
        office: 'ALM01',
        device: 'D9',
        hlc,
        at: '2026-03-11T05:00:00.000Z',
        actor: { login: 'aigerim', role: 'clerk' },
        payload: {},
        chain,
      };
      // Under the id its content gives it: the chain link is what is checked here.
      const doc = { _id: contentEventId(content), ...content };
      const r = await fetch(`${central.url}/office_alm01/${encodeURIComponent(doc._id)}`, {
        method: 'PUT',
        headers: {
          authorization: 'Basic ' + Buffer.from('aigerim:secret-1').toString('base64'),
          'content-type': 'application/json',
        },
        body: JSON.stringify(doc),
      });
      return { status: r.status, reason: ((await r.json()) as { reason?: unknown }).reason };
    };
    for (const bad of [{ seq: 2, prev: null }, { seq: 1, prev: 'a'.repeat(64) }, { seq: 0, prev: null }, 'x'])
      expect(await put(bad)).toEqual({ status: 403, reason: 'event.badChain' });
    expect((await put({ seq: 1, prev: null })).status).toBe(201);
  });
});
