import { afterEach, describe, expect, inject, it } from 'vitest';
import { PouchDB } from '../store/pouch';
import { DAY_MS, installPurgeGuard, readPurgeInfo, runPurge, setPurgePolicy } from './purge';
import { dropApplications } from '../projection/projectBatch';
import { openReadModel, type ApplicationRow, type ReadModel } from '../store/readModel';
import { startSync, type SyncHandle, type SyncSnapshot } from '../sync/sync';

/**
 * The purge against real IndexedDB (PouchDB's `indexeddb` adapter) and a real CouchDB-protocol
 * server on loopback: what leaves the laptop stays on the server, nothing unsynced is lost, and
 * later syncs (live, and from zero) neither bring it back nor delete it on the server.
 */
const central = inject('central');
const auth = { username: central.user, password: central.password };
const NOW = Date.parse('2026-11-23T10:00:00+05:00');

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const rnd = (): string => Math.random().toString(36).slice(2, 8);

/** A database of its own on the server (the admin creates it), so the test sees only its own documents. */
async function serverDb(): Promise<{ open: () => PouchDB.Database }> {
  const name = `purge_${rnd()}`;
  const admin = new PouchDB(`${central.url}/${name}`, { adapter: 'http', auth });
  await admin.info();
  cleanup.push(() => admin.destroy().then(() => undefined));
  return { open: () => new PouchDB(`${central.url}/${name}`, { adapter: 'http', auth, skip_setup: true }) };
}

function localDb(name: string): PouchDB.Database {
  return new PouchDB(name, { adapter: 'indexeddb' });
}

let seq = 0;
function event(appId: string, kind = 'registered', name = 'Әлия Сейітқызы'): Record<string, unknown> {
  seq++;
  const hlc = `${String(NOW - 50 * DAY_MS).padStart(15, '0')}-${String(seq).padStart(4, '0')}`;
  return {
    _id: `evt:${appId}:${hlc}:D1`,
    type: 'event',
    v: 1,
    appId,
    hlc,
    device: 'D1',
    kind,
    office: 'ALM01',
    at: new Date(NOW - 50 * DAY_MS).toISOString(),
    actor: { login: 'aigerim', role: 'clerk' },
    payload: kind === 'registered' ? { applicant: { iin: '900101300017', name } } : {},
  };
}

function row(appId: string, status: string, closedDaysAgo: number | null, applicantKey: string | null): ApplicationRow {
  return {
    appId,
    office: 'ALM01',
    regNumber: `ALM01-D01-${appId}`,
    serviceId: 's',
    serviceVersion: '1',
    variantId: 'v',
    channel: null,
    status,
    stepId: null,
    stepKind: null,
    role: null,
    assignee: null,
    stepDueAt: null,
    dueAt: null,
    overdue: 0,
    atRisk: 0,
    applicantKey,
    personal: new Uint8Array(0),
    registeredAt: NOW - 50 * DAY_MS,
    updatedAt: NOW,
    eventCount: 1,
    outcome: null,
    closedAt: closedDaysAgo === null ? null : NOW - closedDaysAgo * DAY_MS,
    superseded: 0,
  };
}

function syncUntilConfirmed(local: PouchDB.Database, remote: PouchDB.Database): Promise<SyncHandle> {
  return new Promise((resolve) => {
    let handle: SyncHandle | null = null;
    let done = false;
    const check = (s: SyncSnapshot): void => {
      if (!done && handle && s.state === 'online' && s.pendingLocal === 0) {
        done = true;
        resolve(handle);
      }
    };
    handle = startSync(local, remote, { target: 'central', maxBackoffMs: 500, onChange: check });
    check(handle.snapshot());
  });
}

const ids = async (db: PouchDB.Database, appId: string): Promise<string[]> =>
  (await db.allDocs({ startkey: `evt:${appId}:`, endkey: `evt:${appId}:\ufff0` })).rows.map((r) => r.id);

/** Everything of the office database in raw IndexedDB, as text: proves the bytes are gone, not just hidden. */
async function rawIdb(dbName: string): Promise<string> {
  const idbName = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.endsWith(dbName));
  if (!idbName) throw new Error(`no IndexedDB database for ${dbName}`);
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(idbName);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('open failed'));
  });
  const out: string[] = [];
  try {
    for (const storeName of Array.from(idb.objectStoreNames)) {
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const r = idb.transaction(storeName, 'readonly').objectStore(storeName).getAll();
        r.onsuccess = () => resolve(r.result as unknown[]);
        r.onerror = () => reject(r.error ?? new Error('read failed'));
      });
      for (const value of all)
        out.push(JSON.stringify(value, (_k, v: unknown) => (v instanceof Blob ? `blob:${v.size}` : v)));
    }
    return out.join('\n');
  } finally {
    idb.close();
  }
}

describe('purge of closed applications from a home-visit laptop', () => {
  it('purges closed, confirmed applications; keeps open and unsynced ones; later syncs neither restore nor delete', async () => {
    const server = await serverDb();
    const name = `kense_purge_${rnd()}`;
    const local = localDb(name);
    const model: ReadModel = openReadModel(name);
    // The projection's writer, as the desk gives it (Projector.drop): what the purge asked it to remove.
    const dropped: string[] = [];
    const drop = (appIds: readonly string[]): Promise<void> => {
      dropped.push(...appIds);
      return dropApplications(model, appIds);
    };
    cleanup.push(async () => {
      await model.delete().catch(() => undefined);
      await local.destroy().catch(() => undefined);
    });
    const [A, B, C, D] = [`PA${rnd()}`, `PB${rnd()}`, `PC${rnd()}`, `PD${rnd()}`];

    // A: closed 40 days ago, a registration and a scan. B: open. D: closed only 5 days ago.
    const scan = new Blob([new Uint8Array(4096).fill(7)], { type: 'image/jpeg' });
    const marker = `Ақмарал-${rnd()}`;
    const aReg = event(A, 'registered', marker);
    const aScan: Record<string, unknown> = {
      ...event(A, 'attachment_added'),
      _attachments: { 'passport.jpg': { content_type: 'image/jpeg', data: scan } },
    };
    await local.bulkDocs([aReg, aScan, event(B), event(D)]);
    const remote = server.open();
    const before = await rawIdb(name);
    expect(before).toContain(marker);
    const scanStored = (raw: string): boolean => raw.includes('blob:4096') || raw.includes('BwcHBwcHBwcH');
    expect(scanStored(before)).toBe(true);
    const first = await syncUntilConfirmed(local, remote);
    await first.stop();
    // C: closed 40 days ago too, but its last event never reached the server.
    const cReg = event(C);
    await local.put(cReg);

    await model.applications.bulkPut([
      row(A, 'closed', 40, '900101300017'),
      row(B, 'in_progress', null, '900101300017'),
      row(C, 'withdrawn', 40, '850202400028'),
      row(D, 'closed', 5, '770303500039'),
    ]);
    await model.applicants.bulkPut([
      { key: '850202400028', kind: 'person', personal: new Uint8Array(0), lastAppId: C, lastSeenAt: 1 },
      { key: '900101300017', kind: 'person', personal: new Uint8Array(0), lastAppId: A, lastSeenAt: 1 },
    ]);
    await model.journal.bulkPut([
      {
        id: String(aReg['_id']),
        appId: A,
        journal: 'registration',
        at: 1,
        regNumber: null,
        number: null,
        data: new Uint8Array(0),
      },
      // The others' rows, which the purge of A must leave (ids as event ids: `evt:<appId>:…`), and
      // rows of ids beside A's in the index (another application's id sorting just before or after).
      ...[B, C, D, `${A}0`, `O${A}`].map((appId) => ({
        id: `evt:${appId}:0000000000001:D01`,
        appId,
        journal: 'registration' as const,
        at: 1,
        regNumber: null,
        number: null,
        data: new Uint8Array(0),
      })),
    ]);

    // The default keeps everything.
    expect((await runPurge({ db: local, model, remote, drop, now: () => NOW })).outcome).toBe('disabled');
    expect(await ids(local, A)).toHaveLength(2);

    await setPurgePolicy(local, { mode: 'afterDays', days: 30 });
    const report = await runPurge({ db: local, model, remote, drop, now: () => NOW });
    expect(report).toEqual({
      at: NOW,
      outcome: 'ok',
      applications: 1,
      events: 2,
      attachments: 1,
      keptUnsynced: 1,
      regNumbers: [`ALM01-D01-${A}`],
    });
    expect(await readPurgeInfo(local)).toEqual({
      policy: { mode: 'afterDays', days: 30 },
      lastRun: report,
      purgedCount: 1,
    });

    // Gone from the laptop: the documents, the scan's bytes, the read-model rows; no tombstone left.
    expect(await ids(local, A)).toEqual([]);
    await expect(local.get(String(aReg['_id']))).rejects.toMatchObject({ status: 404 });
    await expect(local.getAttachment(String(aScan['_id']), 'passport.jpg')).rejects.toMatchObject({ status: 404 });
    const feed = await local.changes({ since: 0 });
    expect(feed.results.filter((r) => r.id.includes(A))).toEqual([]);
    const after = await rawIdb(name);
    expect(after).not.toContain(marker);
    expect(scanStored(after)).toBe(false);
    expect(dropped).toEqual([A]);
    expect(await model.applications.get(A)).toBeUndefined();
    expect(await model.journal.filter((j) => j.appId === A).count()).toBe(0);
    // The others' journal rows stay (an application's rows are deleted by its range of event ids).
    for (const kept of [B, C, D, `${A}0`, `O${A}`])
      expect(await model.journal.filter((j) => j.appId === kept).count()).toBeGreaterThan(0);
    // The applicant of A still has the open application B here, so their row stays.
    expect(await model.applicants.get('900101300017')).toBeDefined();
    // Kept: the open one, the recent one, and the unsynced one (with its applicant).
    expect(await ids(local, B)).toHaveLength(1);
    expect(await ids(local, D)).toHaveLength(1);
    expect(await ids(local, C)).toEqual([String(cReg['_id'])]);
    expect(await model.applicants.get('850202400028')).toBeDefined();

    // Still on the server, not deleted, scan and all.
    await expect(remote.get(String(aReg['_id']))).resolves.toMatchObject({ appId: A });
    expect((await remote.getAttachment(String(aScan['_id']), 'passport.jpg')) as Blob).toHaveProperty('size', 4096);

    // A colleague adds a late note to A on the server; the laptop syncs live again (same checkpoints).
    const late = event(A, 'note_added');
    await remote.put(late);
    const second = await syncUntilConfirmed(local, remote);
    // C went up; now C is confirmed and the next run purges it.
    await expect(remote.get(String(cReg['_id']))).resolves.toMatchObject({ appId: C });
    await second.stop();
    expect(await ids(local, A)).toEqual([]);
    const remoteA = await remote.allDocs({ startkey: `evt:${A}:`, endkey: `evt:${A}:\ufff0` });
    expect(remoteA.rows.map((r) => r.value.deleted ?? false)).toEqual([false, false, false]);

    const next = await runPurge({ db: local, model, remote, drop, now: () => NOW });
    expect(next).toMatchObject({ outcome: 'ok', applications: 1, events: 1, keptUnsynced: 0 });
    expect(await ids(local, C)).toEqual([]);
    expect(await model.applicants.get('850202400028')).toBeUndefined();
  });

  it('a replication that starts from zero (a lost checkpoint) does not bring purged applications back', async () => {
    const server = await serverDb();
    const name = `kense_purge0_${rnd()}`;
    const local = localDb(name);
    const model = openReadModel(name);
    const drop = (appIds: readonly string[]): Promise<void> => dropApplications(model, appIds);
    cleanup.push(async () => {
      await model.delete().catch(() => undefined);
    });
    const [A, B] = [`ZA${rnd()}`, `ZB${rnd()}`];
    await local.bulkDocs([event(A), event(A, 'note_added'), event(B)]);
    const remote = server.open();
    await (await syncUntilConfirmed(local, remote)).stop();
    await model.applications.bulkPut([row(A, 'closed', 400, null), row(B, 'closed', 1, null)]);
    await setPurgePolicy(local, { mode: 'afterDays', days: 365 });
    expect(await runPurge({ db: local, model, remote, drop, now: () => NOW })).toMatchObject({
      applications: 1,
      events: 2,
    });
    await local.close();

    // The app restarts (a new PouchDB instance), and the pull starts over from sequence 0 (a lost
    // or reset checkpoint): PouchDB asks the laptop which revisions it lacks, for every document.
    const reopened = localDb(name);
    cleanup.push(() => reopened.destroy().then(() => undefined));
    installPurgeGuard(reopened);
    const pull = await reopened.replicate.from(remote, { since: 0 });
    // B is here already, and A's two documents are not asked for (without the guard: 2 read).
    expect(pull.docs_read).toBe(0);
    expect(await ids(reopened, A)).toEqual([]);
    expect(await ids(reopened, B)).toHaveLength(1);
    // And a push from zero deletes nothing on the server.
    await reopened.replicate.to(remote, { since: 0 });
    expect((await remote.allDocs({ startkey: `evt:${A}:`, endkey: `evt:${A}:\ufff0` })).rows).toHaveLength(2);

    // The control: without the guard, the same pull from zero would restore them.
    const unguarded = localDb(`${name}_control`);
    cleanup.push(() => unguarded.destroy().then(() => undefined));
    await unguarded.replicate.from(remote);
    expect(await ids(unguarded, A)).toHaveLength(2);
  });

  it('purges nothing when the server cannot confirm, and says so', async () => {
    const name = `kense_purge_off_${rnd()}`;
    const local = localDb(name);
    const model = openReadModel(name);
    const drop = (appIds: readonly string[]): Promise<void> => dropApplications(model, appIds);
    cleanup.push(async () => {
      await model.delete().catch(() => undefined);
      await local.destroy();
    });
    const A = `OA${rnd()}`;
    await local.put(event(A));
    await model.applications.put(row(A, 'closed', 100, null));
    await setPurgePolicy(local, { mode: 'afterDays', days: 30 });
    const dead = new PouchDB('http://127.0.0.1:9/office_alm01', { adapter: 'http', auth, skip_setup: true });
    const report = await runPurge({ db: local, model, remote: dead, drop, now: () => NOW });
    expect(report).toMatchObject({ outcome: 'offline', applications: 0, events: 0 });
    expect(await ids(local, A)).toHaveLength(1);
    expect(await model.applications.get(A)).toBeDefined();
  });
});
