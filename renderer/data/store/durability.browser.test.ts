import { afterEach, describe, expect, it } from 'vitest';
import { enforceStrictDurability, isPouchDbNamed } from './durability';
import { takeNumber } from '../../../tests/fixtures/deviceNumbers';
import { openOfficeDb } from './officeDb';
import { PouchDB } from './pouch';

/** Records the durability of every read-write transaction opened from now on. */
function recordTransactions(): { seen: { db: string; durability: IDBTransactionDurability }[]; stop: () => void } {
  const seen: { db: string; durability: IDBTransactionDurability }[] = [];
  const proto = IDBDatabase.prototype;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound below
  const current = proto.transaction;
  proto.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = current.apply(this, args);
    if (tx.mode === 'readwrite') seen.push({ db: this.name, durability: tx.durability });
    return tx;
  } as IDBDatabase['transaction'];
  return { seen, stop: () => void (proto.transaction = current) };
}

const dbs: PouchDB.Database[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.destroy();
});

describe('strict durability of event appends (real IndexedDB in Chromium)', () => {
  it('Chromium defaults to relaxed durability, so without the fix appends are not power-cut safe', async () => {
    const db = new PouchDB<{ n: number }>('durability_control', { adapter: 'indexeddb' });
    dbs.push(db);
    const rec = recordTransactions();
    await db.put({ _id: 'a', n: 1 });
    rec.stop();
    const mine = rec.seen.filter((s) => s.db === '_pouch_durability_control');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((s) => s.durability !== 'strict')).toBe(true);
  });

  it('every read-write transaction of the office database waits for the disk', async () => {
    enforceStrictDurability(isPouchDbNamed('durability_office'));
    const db = new PouchDB<{ n: number }>('durability_office', { adapter: 'indexeddb' });
    dbs.push(db);
    const rec = recordTransactions();
    await db.put({ _id: 'evt:A1:1:D1', n: 1 });
    await db.bulkDocs([
      { _id: 'evt:A1:2:D1', n: 2 },
      { _id: 'evt:A1:3:D1', n: 3 },
    ]);
    rec.stop();
    const mine = rec.seen.filter((s) => s.db === '_pouch_durability_office');
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.map((s) => s.durability)).toEqual(mine.map(() => 'strict'));
    expect((await db.allDocs()).total_rows).toBe(3);
  });

  it('documents downloaded from a server are written relaxed; the desk’s appends, even meanwhile, stay strict', async () => {
    // The window's own write of them (as when the replica writer's worker cannot start).
    const office = await openOfficeDb('ALM01', { name: 'durability_download', replicaWorker: false });
    dbs.push(office.db);
    const rec = recordTransactions();
    const downloaded = Array.from({ length: 20 }, (_, i) => ({
      _id: `evt:D${i}:1:D9`,
      _rev: `1-${'a'.repeat(31)}${i % 10}`,
      n: i,
    }));
    // An append asked for while the download's write is under way waits for it, and is strict.
    const both = Promise.all([
      office.writeReplicated(downloaded, () =>
        office.db.put({ _id: '_local/kense-first-download', n: 1 }).then(() => undefined),
      ),
      takeNumber(office),
    ]);
    await both;
    rec.stop();
    const mine = rec.seen.filter((s) => s.db === '_pouch_durability_download');
    const strict = mine.filter((s) => s.durability === 'strict');
    const relaxed = mine.filter((s) => s.durability !== 'strict');
    // The documents and the checkpoint relaxed; the device document (the sequence) strict.
    expect(relaxed.length).toBeGreaterThanOrEqual(2);
    expect(strict.length).toBeGreaterThanOrEqual(1);
    expect(mine[mine.length - 1]?.durability).toBe('strict');
    expect((await office.db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0' })).rows).toHaveLength(20);
    // And after the download's write, nothing is left relaxed.
    const again = recordTransactions();
    await office.db.put({ _id: 'evt:Z1:1:D1', n: 1 });
    again.stop();
    expect(again.seen.filter((s) => s.db === '_pouch_durability_download').map((s) => s.durability)).toEqual([
      'strict',
    ]);
  });

  it('with the replica writer’s worker, the window opens no relaxed write, and its appends meanwhile are strict', async () => {
    const office = await openOfficeDb('ALM01', { name: 'durability_worker', replicatedSlice: 4 });
    const rec = recordTransactions();
    const downloaded = Array.from({ length: 20 }, (_, i) => ({
      _id: `evt:D${i}:1:D9`,
      _rev: `1-${'a'.repeat(31)}${i % 10}`,
      n: i,
    }));
    await Promise.all([office.writeReplicated(downloaded), takeNumber(office)]);
    rec.stop();
    const mine = rec.seen.filter((s) => s.db === '_pouch_durability_worker');
    // The device document's writes, here; the downloaded documents', on the worker's thread.
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.map((s) => s.durability)).toEqual(mine.map(() => 'strict'));
    expect((await office.db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0' })).rows).toHaveLength(20);
    await office.close();
    await new PouchDB('durability_worker', { adapter: 'indexeddb' }).destroy();
  });
});
