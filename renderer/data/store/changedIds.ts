import { ownDocsTransaction, request } from './ownStore';
import type { PouchDB } from './pouch';

/** A page of the changes feed as the projector needs it: which documents, and up to where. */
export interface ChangedIds {
  /** The documents whose latest change lies after `since`, in the feed's order (at most `limit`). */
  ids: string[];
  /** The sequence of the last of them (`since` when none). */
  lastSeq: number | string;
}

/**
 * The ids the changes feed would give after `since`, `limit` at most, without reading the
 * documents. PouchDB's `changes` reads every document whole through a cursor, one request each,
 * even when only ids are asked for: some 300 µs a document on the desk's thread under load, where
 * the `indexeddb` adapter's own `seq` index answers the same page keys-only in two requests
 * (5 µs a document; issue 13: a new desk's projection reads every downloaded event's id this way).
 *
 * The index holds each document once, under its latest change's sequence (deletions included;
 * `_local` documents live elsewhere), which is what the feed lists. Another adapter gets the feed
 * itself (ownStore.ts).
 */
export async function changedIds(db: PouchDB.Database, since: number | string, limit: number): Promise<ChangedIds> {
  const from = typeof since === 'number' ? since : Number(since);
  const opening = Number.isFinite(from) ? ownDocsTransaction(db) : null;
  if (!opening) {
    const page = await db.changes({ since, limit });
    return { ids: page.results.map((r) => r.id), lastSeq: page.last_seq };
  }
  const txn = await opening;
  const seqs = txn.objectStore('docs').index('seq');
  const after = IDBKeyRange.lowerBound(from, true);
  const ids = (await request(seqs.getAllKeys(after, limit))) as string[];
  if (ids.length === 0) return { ids, lastSeq: since };
  // The last one's sequence: a key cursor moved to it (both reads in one transaction: one snapshot).
  const lastSeq = await new Promise<number>((resolve, reject) => {
    const req = seqs.openKeyCursor(after);
    let moved = ids.length === 1;
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return reject(new Error('the seq index changed within one transaction'));
      if (moved) return resolve(cursor.key as number);
      moved = true;
      cursor.advance(ids.length - 1);
    };
  });
  return { ids, lastSeq };
}
