import type { DeskKeys } from '../seal/deskKeys';
import { DataError } from './dataError';
import type { PouchDB } from './pouch';
import type { ReplicaReply, ReplicaRequest } from './replicaWorker';

/**
 * The window's side of the replica writer (replicaWorker.ts): a downloaded slice goes to the
 * worker, which writes it on its own connection to the office database.
 *
 * Two connections may not write at once, nor one write on the update sequence it read before the
 * other wrote (the `indexeddb` adapter keeps it in memory per connection: the second write would
 * reuse sequence numbers, its transaction abort, or the stored count go back). So the window's
 * writes — every one reaches the adapter's `_bulkDocs`, `_purge` or `_doCompaction` — are gated
 * (`gateWrites`): none starts while a slice is being written, and a slice waits for those under
 * way. The worker reopens its connection with a new version before a slice when the window wrote
 * since its last one, and after every slice; a new version closes the window's connection, which
 * the window reopens at once (`reopen`), reading the sequence anew, before the worker may start
 * another. Reads are never held: one under way finishes on the closing connection (IndexedDB lets
 * its transactions run), a later one waits for the reopen. What must not happen is a new version
 * while the window is still reopening: PouchDB would hand the closed connection to the reads
 * waiting for it, which would fail — hence one reopen awaited after each.
 */

/** Writers of one replica: the window's writes share it; a worker's slice has it alone. */
class WriteGate {
  private shared = 0;
  private exclusive: Promise<void> | null = null;
  private drained: (() => void)[] = [];
  /** A window write has finished since the worker's last slice. */
  windowWrote = true;

  async window<T>(task: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    this.shared++;
    try {
      return await task();
    } finally {
      this.windowWrote = true;
      if (--this.shared === 0) for (const wake of this.drained.splice(0)) wake();
    }
  }

  async alone<T>(task: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let release = (): void => undefined;
    this.exclusive = new Promise<void>((resolve) => (release = resolve));
    try {
      while (this.shared > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
      return await task();
    } finally {
      this.exclusive = null;
      release();
    }
  }
}

type Callback = (err: unknown, res?: unknown) => void;
type AdapterFn = (...args: unknown[]) => unknown;

/** The adapter's writing entry points: PouchDB's public writes (and its replicator's) all end in one of them. */
const WRITES = ['_bulkDocs', '_purge', '_doCompaction'] as const;

function gateWrites(db: PouchDB.Database, gate: WriteGate): void {
  const target = db as unknown as Record<string, AdapterFn | undefined>;
  for (const name of WRITES) {
    const original = target[name]?.bind(db);
    if (!original) continue;
    target[name] = (...args: unknown[]) => {
      const cb = args[args.length - 1] as Callback;
      void gate
        .window(
          () =>
            new Promise<void>((resolve) => {
              original(...args.slice(0, -1), (err: unknown, res?: unknown) => {
                resolve();
                cb(err, res);
              });
            }),
        )
        .catch((e: unknown) => cb(e));
    };
  }
}

export const replicaWorker = (): Worker =>
  new Worker(new URL('./replicaWorker.ts', import.meta.url), { type: 'module', name: 'kense-replica' });

/** A slice as the replica's update sequence saw it, before and after, and its documents. */
export interface WrittenSlice {
  before: number | string;
  after: number | string;
  docs: number;
}

export interface ReplicaWriter {
  /** Writes downloaded documents as they are (`new_edits: false`) in one transaction, off the window's thread. */
  write(docs: object[]): Promise<WrittenSlice>;
  /**
   * The same for a server's `_bulk_get` answers as they came (bulkGet.ts): transferred to the
   * worker (the buffers are the worker's after the call) and parsed there.
   */
  writeAnswers(answers: readonly ArrayBuffer[]): Promise<WrittenSlice>;
  /** False once the worker has died or been closed: the caller writes on the window's thread from then on. */
  readonly alive: boolean;
  close(): Promise<void>;
}

class WriterFailed extends Error {
  constructor(
    message: string,
    name: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = name;
  }
}

/**
 * Starts the worker for the office database `db` (opened by the window, sealed with `keys` if any)
 * and gates the window's writes to it. Rejects when the worker cannot start: the caller writes on
 * the window's thread instead.
 */
export async function startReplicaWriter(
  db: PouchDB.Database,
  keys: DeskKeys | null,
  create: () => Worker = replicaWorker,
): Promise<ReplicaWriter> {
  const worker = create();
  let next = 1;
  const pending = new Map<
    number,
    { resolve: (r: Extract<ReplicaReply, { ok: true }>) => void; reject: (e: Error) => void }
  >();
  let broken: Error | null = null;
  const fail = (e: Error): void => {
    if (broken) return;
    broken = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker.terminate();
  };
  worker.addEventListener('message', (e: MessageEvent<ReplicaReply>) => {
    const reply = e.data;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply);
    else p.reject(reply.code ? new DataError(reply.code) : new WriterFailed(reply.message, reply.name, reply.status));
  });
  worker.addEventListener('error', (e) =>
    fail(new WriterFailed(e.message || 'the replica writer failed', 'WriterFailed')),
  );
  worker.addEventListener('messageerror', () =>
    fail(new WriterFailed('a message to the replica writer failed', 'WriterFailed')),
  );
  type Request = ReplicaRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
  const call = (req: Request, transfer: Transferable[] = []): Promise<Extract<ReplicaReply, { ok: true }>> =>
    new Promise((resolve, reject) => {
      if (broken) return reject(broken);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id }, transfer);
    });
  /** The window's connection reopened after the worker's new version (see above), whatever the worker's answer. */
  const reopen = async <T>(answer: Promise<T>): Promise<T> => {
    try {
      return await answer;
    } finally {
      await db.info().catch(() => undefined);
    }
  };
  try {
    // The worker's first open is a new version too.
    await reopen(call({ type: 'init', name: db.name, keys }));
  } catch (e) {
    worker.terminate();
    throw e;
  }
  const gate = new WriteGate();
  gateWrites(db, gate);
  /** One slice written by the worker, the replica to itself (`docs`: as many, unless the worker counts them). */
  const slice = (request: () => ReturnType<typeof call>, docs: number): Promise<WrittenSlice> =>
    gate.alone(async () => {
      if (gate.windowWrote) await reopen(call({ type: 'freshen' }));
      gate.windowWrote = false;
      try {
        const r = await reopen(request());
        return { before: r.before ?? 0, after: r.after ?? 0, docs: r.docs ?? docs };
      } catch (e) {
        // Whether the worker reopened after the failure is not known: it reopens before its next slice.
        gate.windowWrote = true;
        throw e;
      }
    });
  return {
    get alive() {
      return broken === null;
    },
    write: (docs) => slice(() => call({ type: 'write', docs }), docs.length),
    writeAnswers: (answers) => {
      const buffers = [...answers];
      return slice(() => call({ type: 'writeAnswers', answers: buffers }, buffers), 0);
    },
    close: async () => {
      if (broken) return;
      await gate.alone(() => call({ type: 'close' }).catch(() => undefined));
      fail(new WriterFailed('the replica writer is closed', 'WriterClosed'));
    },
  };
}
