import type { PouchDB } from './pouch';

/**
 * Reads of PouchDB's `indexeddb` adapter's own object store, for the hot paths where its public API
 * costs a request or a transaction per document (store/changedIds.ts, store/docsInRanges.ts). They
 * lean on how the adapter (PouchDB 9) stores documents: a `docs` store of
 * `{ id, rev, rev_tree, revs: { [rev]: { data } }, deleted, seq }` with the indexes `seq` and
 * `deleted,id`; each reader's browser test compares it with the public API on both adapters, so an
 * upgrade that changes the layout fails there.
 */

/** What the adapter offers besides its public API: a transaction on its own connection. */
interface SafeTransactions {
  _openTransactionSafely(
    stores: string[],
    mode: IDBTransactionMode,
    cb: (e: unknown, txn?: IDBTransaction) => void,
  ): void;
  type(): string;
}

/** A document as the adapter stores it (the fields these readers use). */
export interface StoredRow {
  id: string;
  rev: string;
  rev_tree: RevTreePath[];
  revs: Record<string, { data: Record<string, unknown> } | undefined>;
}
/** A path of the revision tree: a node is `[hash, opts, children]`. */
export interface RevTreePath {
  pos: number;
  ids: RevTreeNode;
}
export type RevTreeNode = [string, Record<string, unknown>, RevTreeNode[]];

/**
 * A read-only transaction on the `docs` store on PouchDB's own connection (the adapter reopens its
 * database with a new version when it opens, which a second connection would block), or null for
 * any other adapter (the `idb` one the bench compares, the HTTP one): the caller asks PouchDB.
 */
export function ownDocsTransaction(db: PouchDB.Database): Promise<IDBTransaction> | null {
  const own = db as unknown as Partial<SafeTransactions>;
  if (typeof own._openTransactionSafely !== 'function' || own.type?.() !== 'indexeddb') return null;
  return new Promise<IDBTransaction>((resolve, reject) =>
    own._openTransactionSafely?.(['docs'], 'readonly', (e, t) =>
      e || !t ? reject(e instanceof Error ? e : new Error(`no transaction: ${String(e)}`)) : resolve(t),
    ),
  );
}

export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}
