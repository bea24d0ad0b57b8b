import type { PouchDB } from './pouch';

/** Where a write was made: through this instance, or another window's on the same replica. */
export type WrittenWhere = 'here' | 'elsewhere';
type Listener = (where: WrittenWhere) => void;
type AnyFn = (...args: unknown[]) => unknown;

interface Watched {
  listeners: Set<Listener>;
  channel: BroadcastChannel | null;
  /** Tells this window's listeners, and other windows', of a write made here. */
  written: () => void;
}
const watched = new WeakMap<PouchDB.Database, Watched>();

/**
 * Tells of the replica's writes without reading them. PouchDB's live changes feed, the usual way
 * to hear of them, reads every document written since its last answer, whole, on the desk's
 * thread (its IndexedDB adapter has no other way): through a new desk's download that was each
 * event read once more than needed (issue 13). Every write of this window goes through the
 * instance's `bulkDocs` (`put` and `remove` do, and the replicator writes with it), which is
 * wrapped once per instance as the sealed layer wraps it (sealedDb.ts); a first download's, written
 * by the replica writer's worker, are announced by the window once each slice is stored
 * (`announceWrite`); another window's writes arrive as a message on a channel named after the database.
 */
export function onWrites(db: PouchDB.Database, listener: Listener): () => void {
  let w = watched.get(db);
  if (!w) {
    const made: Watched = { listeners: new Set(), channel: null, written: () => undefined };
    made.written = () => {
      tell(made, 'here');
      // Other windows' listeners (only while one listens here: the channel is theirs too).
      made.channel?.postMessage(null);
    };
    w = made;
    watched.set(db, w);
    wrapBulkDocs(db, w);
  }
  const state = w;
  state.listeners.add(listener);
  if (!state.channel && typeof BroadcastChannel === 'function') {
    state.channel = new BroadcastChannel(channelName(db));
    state.channel.onmessage = () => tell(state, 'elsewhere');
  }
  return () => {
    state.listeners.delete(listener);
    if (state.listeners.size === 0) {
      state.channel?.close();
      state.channel = null;
    }
  };
}

/**
 * Tells of a write this window had made on another connection (the replica writer's worker,
 * replicaWriter.ts), as of one through the instance: its listeners read the replica anew.
 */
export function announceWrite(db: PouchDB.Database): void {
  watched.get(db)?.written();
}

const channelName = (db: PouchDB.Database): string => `kense:writes:${db.name}`;

function tell(w: Watched, where: WrittenWhere): void {
  for (const l of [...w.listeners]) l(where);
}

function wrapBulkDocs(db: PouchDB.Database, w: Watched): void {
  const target = db as unknown as Record<string, AnyFn>;
  const bulkDocs = (target['bulkDocs'] as AnyFn).bind(db);
  const written = (): void => w.written();
  target['bulkDocs'] = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      // PouchDB's own calls (`put`) pass a callback.
      const cb = last as (err: unknown, res?: unknown) => void;
      return bulkDocs(...args.slice(0, -1), (err: unknown, res?: unknown) => {
        if (!err) written();
        cb(err, res);
      });
    }
    return (bulkDocs(...args) as Promise<unknown>).then((res) => {
      written();
      return res;
    });
  };
}
