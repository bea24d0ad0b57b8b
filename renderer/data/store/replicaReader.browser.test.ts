import { afterEach, describe, expect, it } from 'vitest';
import { appEventRange } from '@shared/events';
import { docsInRanges } from './docsInRanges';
import { pouchIdbName } from './durability';
import { PouchDB } from './pouch';
import { replicaReader } from './replicaReader';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

function replica(): PouchDB.Database {
  const db = new PouchDB(`rr_${Math.random().toString(36).slice(2, 8)}`, { adapter: 'indexeddb' });
  cleanup.push(() => db.destroy());
  return db;
}

const ev = (appId: string, n: number): { _id: string; appId: string; n: number } => ({
  _id: `evt:${appId}:${String(n).padStart(4, '0')}:D1`,
  appId,
  n,
});

describe('the replica read by a connection of its own (a worker’s: replicaReader.ts)', () => {
  it('reads what docsInRanges reads on PouchDB’s connection, a conflict left as null', async () => {
    const db = replica();
    await db.bulkDocs([ev('A1', 1), ev('A1', 2), ev('B2', 1), ev('C3', 1)]);
    const gone = await db.get(ev('B2', 1)._id);
    await db.remove(gone);
    // A conflicting revision of C3's event.
    await db.bulkDocs([{ ...ev('C3', 1), n: 9, _rev: `1-${'f'.repeat(32)}` }], { new_edits: false });
    const reader = replicaReader(db.name);
    cleanup.push(() => Promise.resolve(reader.close()));
    const ranges = ['A1', 'B2', 'C3', 'NONE'].map(appEventRange);
    const own = await reader(ranges);
    expect(own).toEqual(await docsInRanges(db, ranges));
    expect(own.map((r) => r?.length ?? null)).toEqual([2, 0, null, 0]);
  });

  it('gives way to a new version (the replica writer reopening) and reads on after it', async () => {
    const db = replica();
    await db.bulkDocs([ev('A1', 1)]);
    const reader = replicaReader(db.name);
    cleanup.push(() => Promise.resolve(reader.close()));
    expect((await reader([appEventRange('A1')]))[0]).toHaveLength(1);
    // PouchDB reopening with a new version: blocked for ever if the reader's connection held on.
    await (db as unknown as { _freshen(): Promise<void> })._freshen();
    await db.bulkDocs([ev('A1', 2)]);
    expect((await reader([appEventRange('A1')]))[0]).toHaveLength(2);
  });

  it('never makes the database it is asked to read', async () => {
    const reader = replicaReader(`rr_missing_${Math.random().toString(36).slice(2, 8)}`);
    await expect(reader([appEventRange('A1')])).rejects.toThrow();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names.some((n) => n?.startsWith(pouchIdbName('rr_missing_')))).toBe(false);
  });
});
