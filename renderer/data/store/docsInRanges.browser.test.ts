import { afterEach, describe, expect, it } from 'vitest';
import { docsInRanges, type IdRange } from './docsInRanges';
import { PouchDB, type LocalAdapter } from './pouch';

const dbs: PouchDB.Database[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.destroy();
});

const id = (app: number, n: number): string => `evt:A${app}:${String(n).padStart(4, '0')}`;
const range = (app: number): IdRange => ({ startkey: `evt:A${app}:`, endkey: `evt:A${app}:\ufff0` });

/**
 * Applications A0–A7: A1 has an updated event and a deleted one, A2 a conflict (a second leaf as
 * replication brings it), A3 an attachment, A4 a deleted branch beside its live one, A5 none.
 */
async function replica(adapter: LocalAdapter): Promise<PouchDB.Database> {
  const db = new PouchDB(`ranges_${Math.random().toString(36).slice(2, 8)}`, { adapter });
  dbs.push(db);
  const docs = [0, 1, 2, 3, 4, 6, 7].flatMap((app) =>
    Array.from({ length: 4 }, (_, n) => ({ _id: id(app, n), app, n, nested: { list: [n, `x${n}`] } })),
  );
  const written = await db.bulkDocs(docs);
  const revOf = (docId: string): string => {
    const i = docs.findIndex((d) => d._id === docId);
    return (written[i] as PouchDB.Core.Response).rev;
  };
  await db.put({ _id: id(1, 1), _rev: revOf(id(1, 1)), app: 1, n: -1 });
  await db.remove(id(1, 2), revOf(id(1, 2)));
  const replicated = (docId: string, hash: string, extra: Record<string, unknown>): PouchDB.Core.PutDocument<object> =>
    ({
      _id: docId,
      _rev: `2-${hash}`,
      ...extra,
      _revisions: { start: 2, ids: [hash, revOf(docId).split('-')[1] ?? ''] },
    }) as PouchDB.Core.PutDocument<object>;
  // A second child of the first revision beside the desk's own edit: two leaves.
  await db.put({ _id: id(2, 3), _rev: revOf(id(2, 3)), app: 2, n: 30 });
  await db.bulkDocs([replicated(id(2, 3), 'ffff', { app: 2, n: 99 })], { new_edits: false });
  await db.put({ _id: id(4, 0), _rev: revOf(id(4, 0)), app: 4, n: 40 });
  await db.bulkDocs([replicated(id(4, 0), '0000', { _deleted: true })], { new_edits: false });
  await db.putAttachment(id(3, 0), 'scan.txt', revOf(id(3, 0)), new Blob(['a scan']), 'text/plain');
  await db.put({ _id: 'staff:s1', name: 'x' });
  await db.put({ _id: '_local/mark', at: 1 });
  return db;
}

describe('docsInRanges (many ranges in one transaction)', () => {
  it('gives what allDocs gives for each range, or null where a document has more than one leaf (indexeddb)', async () => {
    const db = await replica('indexeddb');
    const ranges = [0, 1, 2, 3, 4, 5, 6, 7].map(range);
    const got = await docsInRanges(db, ranges);
    const want = await Promise.all(
      ranges.map(async (r) =>
        (await db.allDocs({ ...r, include_docs: true, conflicts: true })).rows.map((row) => row.doc),
      ),
    );
    expect(got[2]).toBeNull(); // the conflict
    expect(want[2]?.[3]?._conflicts).toHaveLength(1);
    expect(got[4]).toBeNull(); // the deleted branch (no conflict to allDocs, but two leaves)
    expect(want[4]?.[0]).toMatchObject({ n: 40 });
    for (const i of [0, 1, 3, 5, 6, 7]) expect(got[i], `A${i}`).toEqual(want[i]);
    // What they hold, so that equal-to-allDocs means something.
    expect(got[1]?.map((d) => [d._id, d['n']])).toEqual([
      [id(1, 0), 0],
      [id(1, 1), -1],
      [id(1, 3), 3],
    ]);
    expect(got[3]?.[0]?.['_attachments']).toMatchObject({ 'scan.txt': { stub: true, content_type: 'text/plain' } });
    expect(got[5]).toEqual([]);
    // A range over several applications, and one over none of the events.
    const wide = { startkey: 'evt:A6:', endkey: 'evt:A7:\ufff0' };
    const [both, staff] = await docsInRanges(db, [wide, { startkey: 'staff:', endkey: 'staff:\ufff0' }]);
    expect(both?.map((d) => d._id)).toEqual([
      ...[0, 1, 2, 3].map((n) => id(6, n)),
      ...[0, 1, 2, 3].map((n) => id(7, n)),
    ]);
    expect(staff?.map((d) => d._id)).toEqual(['staff:s1']);
    expect(await docsInRanges(db, [])).toEqual([]);
  });

  it('leaves every range to PouchDB on another adapter (idb)', async () => {
    const db = await replica('idb');
    expect(await docsInRanges(db, [range(0), range(5)])).toEqual([null, null]);
  });
});
