import type { DeskKeys } from '../seal/deskKeys';
import { sealDatabase } from '../seal/sealedDb';
import { enforceStrictDurability, isPouchDbNamed, pouchIdbName, relaxedWhile } from './durability';
import { docsOfAnswers } from './bulkGet';
import { DataError, toDataError } from './dataError';
import { PouchDB } from './pouch';

/**
 * The replica writer: writes documents downloaded from a server into the office database
 * (`new_edits: false`, sealed as they land, relaxed durability) on a connection of its own, so that
 * PouchDB's write loop — the structured clone and `put` of every document, its garbage — runs off
 * the window's thread (issue 13: a slice of 500 was a task of 100–450 ms there). Started by
 * replicaWriter.ts for a first download; the window stays the replica's reader and the writer of
 * everything else, and the two take turns (replicaWriter.ts says how).
 *
 * The `indexeddb` adapter keeps the database's update sequence and document count in memory per
 * connection, read when it opens. So this connection is reopened with a new version (`_freshen`)
 * after every write here, and before one when the window wrote since (`freshen`): the reopen reads
 * what the window wrote; the new version closes the window's connection, which the window reopens
 * at once, reading what was written here (replicaWriter.ts).
 */

export type ReplicaRequest =
  | { id: number; type: 'init'; name: string; keys: DeskKeys | null }
  | { id: number; type: 'freshen' }
  | { id: number; type: 'write'; docs: object[] }
  /** A server's `_bulk_get` answers as they came (bulkGet.ts), transferred: parsed here, then written. */
  | { id: number; type: 'writeAnswers'; answers: ArrayBuffer[] }
  | { id: number; type: 'close' };

export type ReplicaReply =
  | { id: number; ok: true; before?: number | string; after?: number | string; docs?: number }
  | { id: number; ok: false; code: DataError['code'] | null; name: string; message: string; status?: number };

interface WorkerScope {
  postMessage(message: ReplicaReply): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ReplicaRequest>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

interface Freshen {
  _freshen(): Promise<void>;
}

let db: PouchDB.Database | null = null;
let dbName = '';
let queue: Promise<void> = Promise.resolve();

function opened(): PouchDB.Database {
  if (!db) throw new Error('replica worker: not initialised');
  return db;
}

async function write(docs: object[]): Promise<{ before: number | string; after: number | string }> {
  const replica = opened();
  const own = replica as unknown as Freshen;
  const before = (await replica.info()).update_seq;
  try {
    if (docs.length > 0) {
      const results = await relaxedWhile(pouchIdbName(dbName), () =>
        replica.bulkDocs(docs as PouchDB.Core.PutDocument<object>[], { new_edits: false }),
      );
      const failed = results.find((r): r is PouchDB.Core.Error => 'error' in r && r.error === true);
      if (failed) throw Object.assign(new Error(String(failed.message ?? failed.name)), failed);
    }
  } finally {
    // Even after a failure: the window's next read or write must see what this one did write.
    await own._freshen();
  }
  return { before, after: (await replica.info()).update_seq };
}

async function handle(req: ReplicaRequest): Promise<Omit<Extract<ReplicaReply, { ok: true }>, 'id'>> {
  switch (req.type) {
    case 'init':
      dbName = req.name;
      // Strict is never asked for here (every write is relaxed), but a failed write's cause is kept.
      enforceStrictDurability(isPouchDbNamed(req.name));
      db = new PouchDB(req.name, { adapter: 'indexeddb', auto_compaction: false });
      if (req.keys) sealDatabase(db, req.keys);
      await db.info();
      return { ok: true };
    case 'freshen':
      await (opened() as unknown as Freshen)._freshen();
      return { ok: true };
    case 'write':
      return { ok: true, ...(await write(req.docs)) };
    case 'writeAnswers': {
      const docs = docsOfAnswers(req.answers);
      return { ok: true, ...(await write(docs)), docs: docs.length };
    }
    case 'close':
      await db?.close();
      db = null;
      return { ok: true };
  }
}

scope.addEventListener('message', (e) => {
  const req = e.data;
  queue = queue.then(async () => {
    try {
      scope.postMessage({ id: req.id, ...(await handle(req)) });
    } catch (err) {
      const mapped = toDataError(err, dbName);
      const o = (mapped ?? {}) as { name?: unknown; message?: unknown; status?: unknown };
      scope.postMessage({
        id: req.id,
        ok: false,
        code: mapped instanceof DataError ? mapped.code : null,
        name: typeof o.name === 'string' ? o.name : 'Error',
        message: typeof o.message === 'string' ? o.message : String(mapped),
        ...(typeof o.status === 'number' ? { status: o.status } : {}),
      });
    }
  });
});
