import { ownDocsTransaction, request, type RevTreeNode, type RevTreePath, type StoredRow } from './ownStore';
import type { PouchDB } from './pouch';

/** Ids from `startkey` to `endkey`, both included (as `allDocs` takes them). */
export interface IdRange {
  startkey: string;
  endkey: string;
}

/** A stored document as `allDocs` with `include_docs` gives it: its winning revision's data. */
export type RangeDoc = Record<string, unknown> & { _id: string; _rev: string };

/** A revision tree of one path without branches: its document has a single leaf, so no conflict. */
function singleLeaf(tree: RevTreePath[]): boolean {
  if (tree.length !== 1) return false;
  let node: RevTreeNode | undefined = tree[0]?.ids;
  while (node) {
    const children: RevTreeNode[] = node[2];
    if (children.length > 1) return false;
    node = children[0];
  }
  return true;
}

/**
 * The live documents of each id range, read in one IndexedDB transaction on the `indexeddb`
 * adapter's own store: what `allDocs({ startkey, endkey, include_docs: true, conflicts: true })`
 * gives for each, without its transaction per call (issue 13: a new desk's projection reads the
 * events of some 360 applications per page of changes; a transaction each was most of its cost).
 *
 * A range holding a document with more than one leaf (a conflict, or a deleted branch) is null, as
 * is every range on another adapter: its caller asks PouchDB, which knows the revision tree's rules.
 * The documents are the stored data as they are (no sealed layer opens them).
 */
export async function docsInRanges(db: PouchDB.Database, ranges: readonly IdRange[]): Promise<(RangeDoc[] | null)[]> {
  const opening = ranges.length > 0 ? ownDocsTransaction(db) : null;
  if (!opening) return ranges.map(() => null);
  return readRanges(await opening, ranges);
}

/** What `docsInRanges` reads, from any connection's read-only transaction on the adapter's `docs` store. */
export type RangeReader = (ranges: readonly IdRange[]) => Promise<(RangeDoc[] | null)[]>;

/** `docsInRanges` in a transaction already open (the projection worker's own connection: replicaReader.ts). */
export async function readRanges(txn: IDBTransaction, ranges: readonly IdRange[]): Promise<(RangeDoc[] | null)[]> {
  const byId = txn.objectStore('docs').index('deleted,id');
  // Issued together: IndexedDB answers them in order, within one snapshot.
  const reads = ranges.map(
    (r) => request(byId.getAll(IDBKeyRange.bound([0, r.startkey], [0, r.endkey]))) as Promise<StoredRow[]>,
  );
  return (await Promise.all(reads)).map((rows) => {
    const docs: RangeDoc[] = [];
    for (const row of rows) {
      const data = row.revs[row.rev]?.data;
      if (!data || !singleLeaf(row.rev_tree)) return null;
      // As the adapter's own `allDocs` does: the stored data, its id and revision set on it.
      data._id = row.id;
      data._rev = row.rev;
      docs.push(data as RangeDoc);
    }
    return docs;
  });
}
