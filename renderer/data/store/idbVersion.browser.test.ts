import { afterEach, describe, expect, it, vi } from 'vitest';
import { pouchIdbName } from './durability';
import { PouchDB } from './pouch';

const DAY = 86_400_000;
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

/** IndexedDB's own open, not the guarded one (store/pouch.ts guards the instance). */
function rawOpen(name: string, version?: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = IDBFactory.prototype.open.call(indexedDB, name, version);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('open failed'));
  });
}

async function versionOf(idbName: string): Promise<number> {
  const db = await rawOpen(idbName);
  db.close();
  return db.version;
}

function replica(): { name: string; open: () => PouchDB.Database } {
  const name = `iv_${Math.random().toString(36).slice(2, 8)}`;
  cleanup.push(() => new PouchDB(name, { adapter: 'indexeddb' }).destroy());
  return { name, open: () => new PouchDB(name, { adapter: 'indexeddb' }) };
}

describe('the replica’s version never below the database’s (idbVersion.ts)', () => {
  it('IndexedDB itself refuses a lower version: the hazard the guard is for', async () => {
    const name = `iv_raw_${Math.random().toString(36).slice(2, 8)}`;
    cleanup.push(() => Promise.resolve(indexedDB.deleteDatabase(name)));
    (await rawOpen(name, 2e13 + Date.now())).close();
    await expect(rawOpen(name, 2e13 + Date.now() - 30 * DAY)).rejects.toMatchObject({ name: 'VersionError' });
  });

  it('opens, reads and writes a replica last opened when the clock was a month ahead', async () => {
    const r = replica();
    const db = r.open();
    await db.put({ _id: 'a', n: 1 });
    await db.close();
    // The desk ran a month fast and was corrected; the clock is now a month behind its last opening.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 30 * DAY });
    const again = r.open();
    expect((await again.get<{ n: number }>('a')).n).toBe(1);
    await again.put({ _id: 'b', n: 2 });
    expect((await again.info()).doc_count).toBe(2);
    await again.close();
  });

  it('opens one whose version another context or an earlier run raised, unknown here', async () => {
    const r = replica();
    const db = r.open();
    await db.put({ _id: 'a', n: 1 });
    await db.close();
    // Raised behind the guard's back: this context never saw the version.
    const ahead = 2e13 + Date.now() + 365 * DAY;
    (await rawOpen(pouchIdbName(r.name), ahead)).close();
    const again = r.open();
    expect((await again.allDocs()).rows.map((row) => row.id)).toEqual(['a']);
    await again.put({ _id: 'b', n: 2 });
    await again.close();
    // Upgraded as the adapter asked, just above the database's version.
    expect(await versionOf(pouchIdbName(r.name))).toBe(ahead + 1);
    // And opened again, now known here: above it once more.
    const third = r.open();
    expect((await third.info()).doc_count).toBe(2);
    await third.close();
    expect(await versionOf(pouchIdbName(r.name))).toBe(ahead + 2);
  });

  it('keeps the reopen that builds a native index (pouchdb-find) working with the clock behind', async () => {
    const r = replica();
    const db = r.open();
    await db.bulkDocs([
      { _id: 'a', kind: 'x' },
      { _id: 'b', kind: 'y' },
    ]);
    await db.close();
    (await rawOpen(pouchIdbName(r.name), 2e13 + Date.now() + 10 * DAY)).close();
    const again = r.open();
    // The index is missing: the adapter reopens at a new version to make it (its `_freshen`).
    await again.createIndex({ index: { fields: ['kind'] } });
    const found = await again.find({ selector: { kind: 'y' } });
    expect(found.docs.map((d) => d._id)).toEqual(['b']);
    await again.close();
  });
});
