import { afterEach, describe, expect, it } from 'vitest';
import { changedIds } from './changedIds';
import { PouchDB, type LocalAdapter } from './pouch';

const dbs: PouchDB.Database[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.destroy();
});

/** A replica whose feed has moved documents, deletions, a design and a local document, and a conflict. */
async function replica(adapter: LocalAdapter): Promise<PouchDB.Database> {
  const db = new PouchDB(`changed_${Math.random().toString(36).slice(2, 8)}`, { adapter });
  dbs.push(db);
  const written = await db.bulkDocs(
    Array.from({ length: 30 }, (_, i) => ({ _id: `evt:A${i % 7}:${String(i).padStart(4, '0')}`, n: i })),
  );
  const revOf = (i: number): string => (written[i] as PouchDB.Core.Response).rev;
  for (const i of [3, 11, 12])
    await db.put({ _id: `evt:A${i % 7}:${String(i).padStart(4, '0')}`, _rev: revOf(i), n: -i });
  for (const i of [5, 20]) await db.remove(`evt:A${i % 7}:${String(i).padStart(4, '0')}`, revOf(i));
  await db.put({ _id: '_design/x', views: {} });
  await db.put({ _id: '_local/mark', at: 1 });
  // A second leaf, as replication brings a conflict.
  await db.bulkDocs(
    [
      {
        _id: 'evt:A2:0002',
        _rev: '2-ffff',
        n: 99,
        _revisions: { start: 2, ids: ['ffff', revOf(2).split('-')[1] ?? ''] },
      },
    ],
    {
      new_edits: false,
    },
  );
  await db.put({ _id: 'staff:s1', name: 'x' });
  return db;
}

describe('changedIds (the feed’s ids without reading the documents)', () => {
  for (const adapter of ['indexeddb', 'idb'] as const)
    it(`gives what the changes feed gives, page by page (${adapter})`, async () => {
      const db = await replica(adapter);
      const last = Number((await db.info()).update_seq);
      // The indexeddb adapter's own index answers; any other adapter's feed.
      let feedReads = 0;
      const changes = db.changes.bind(db);
      const counted = ((opts?: PouchDB.Core.ChangesOptions) => {
        feedReads++;
        return changes(opts);
      }) as typeof db.changes;
      db.changes = counted;
      await changedIds(db, 0, 5);
      expect(feedReads).toBe(adapter === 'indexeddb' ? 0 : 1);
      for (const since of [0, 1, 4, 17, 29, last - 1, last])
        for (const limit of [1, 3, 8, 1000]) {
          const feed = await db.changes({ since, limit });
          expect(await changedIds(db, since, limit), `since ${since}, limit ${limit}`).toEqual({
            ids: feed.results.map((r) => r.id),
            lastSeq: feed.last_seq,
          });
        }
      // Paged to the end as the projector pages it.
      const paged: string[] = [];
      let since: number | string = 0;
      for (;;) {
        const page = await changedIds(db, since, 4);
        if (page.ids.length === 0) break;
        paged.push(...page.ids);
        since = page.lastSeq;
      }
      expect(paged).toEqual((await db.changes({ since: 0 })).results.map((r) => r.id));
      expect(since).toBe(last);
    });
});
