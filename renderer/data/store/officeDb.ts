import type { ChainHead } from '@shared/audit';
import { officeDbName } from '@shared/couch';
import { enforceStrictDurability, isPouchDbNamed, pouchIdbName, relaxedWhile } from './durability';
import { DataError, toDataError } from './dataError';
import type { DeskKeys } from '../seal/deskKeys';
import { DEFAULT_ADAPTER, PouchDB, type LocalAdapter } from './pouch';
import { checkSealKey, sealDatabase, sealKeyMatches, type SealCheck } from '../seal/sealedDb';
import { docsOfAnswers, type BulkGetAnswers } from './bulkGet';
import { replicaWorker, startReplicaWriter, type ReplicaWriter } from './replicaWriter';
import { announceWrite } from './writes';

export { DataError, toDataError };

/** This desk's identity and counters: a `_local` document, never replicated. */
export interface DeviceDoc {
  _id: '_local/device';
  _rev?: string;
  deviceId: string;
  office: string | null;
  desk: string | null;
  /** The last registration sequence number handed out (incremented before use). */
  sequence: number;
  /**
   * The last outgoing-letter sequence number handed out (исходящий номер), kept the same way.
   * Absent in device documents written before outgoing numbering existed: read as 0.
   */
  outgoingSequence?: number;
  /** Where this device's audit chain ends; moves with each event, in the same transaction. */
  chain?: ChainHead;
}

export const DEVICE_DOC_ID = '_local/device';
const OPEN_TIMEOUT_MS = 15_000;

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Runs `task` while holding a Web Lock, so that two windows on one office database (browser mode)
 * take turns at the device document instead of both continuing the audit chain from the same head.
 */
async function acrossTabs<T>(lock: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? await locks.request(lock, task) : await task();
}

export interface OfficeDb {
  readonly db: PouchDB.Database;
  readonly name: string;
  device(): Promise<DeviceDoc>;
  /**
   * Raises both counters to at least these numbers, consuming none: numbers this desk code gave
   * out before this device took it over (the server's, Desk.coverNumbers). Kept on the device
   * document itself, so the wipe check (numberGuard.ts) sees counters that match, not a loss.
   */
  raiseSequences(floors: { sequence: number; outgoing: number }): Promise<void>;
  setDesk(office: string, desk: string): Promise<DeviceDoc>;
  /**
   * Writes a document together with a new device document, in one IndexedDB transaction (one
   * `bulkDocs`): the audit chain's head moves with its event or not at all (auditChain.ts).
   */
  writeWithDevice<D extends { _id: string }>(
    build: (device: DeviceDoc) => Promise<{ doc: D; device: DeviceDoc }>,
  ): Promise<D>;
  /**
   * Writes documents downloaded from a server as they are there (`new_edits: false`), then `after`
   * (a `_local` checkpoint), with relaxed durability (they are on the server already: durability.ts
   * `relaxedWhile`), in the queue the desk's own appends take, so that those stay strict.
   * Written by the replica writer's worker (replicaWriter.ts) in slices of `WORKER_SLICE_DOCS`, or,
   * where it cannot start, on the window's thread in slices of `REPLICATED_SLICE_DOCS`, the thread let
   * go between them (one `bulkDocs`, one IndexedDB transaction each); `after` runs once every slice is
   * stored, never before.
   * `onSlice` is told the replica's update sequence around each slice (the empty one too), in the
   * queue: what lies between two slices was written by someone else (the desk's own appends).
   * A server's `_bulk_get` answers as they came (bulkGet.ts) go to the worker whole, one slice,
   * parsed there; where the worker does not take them, the window parses them and slices as above.
   */
  writeReplicated(
    docs: object[] | BulkGetAnswers,
    after?: () => Promise<void>,
    onSlice?: (s: ReplicatedSlice) => void,
  ): Promise<void>;
  /**
   * Starts the replica writer's worker now if a download of `docs` documents will take it (as
   * `writeReplicated` would at its first long write): its start (its bundle, a reopening of the
   * database) is then not in the way of the first batch.
   */
  prepareDownload(docs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Whether keys open this desk's local replica of the office database (its key check), read without
 * writing: how a sign-in tells the desk's escrowed secret from someone else's (deskUnlock.ts).
 */
export function localSealCheck(
  office: string,
  adapter: LocalAdapter = DEFAULT_ADAPTER,
): (keys: DeskKeys) => Promise<SealCheck> {
  return async (keys: DeskKeys): Promise<SealCheck> => {
    const db = new PouchDB(officeDbName(office), { adapter, auto_compaction: false });
    try {
      return await sealKeyMatches(db, keys);
    } finally {
      await db.close();
    }
  };
}

/** One slice of a download's write, as the replica's update sequence saw it. */
export interface ReplicatedSlice {
  /** Before the slice was written and after (with `after` of the last slice run). */
  before: number | string;
  after: number | string;
  docs: number;
}

/**
 * Documents per `bulkDocs` of a download's write. PouchDB's IndexedDB adapter seals, reads and
 * `put`s a whole `bulkDocs` in one go on the window's thread: 2,000 documents were tasks of
 * 300–570 ms on a new desk (issue 13: none over 200 ms); 500 stay well under, at about the same
 * throughput (docs/performance/new-desk.md, "The first download's writes in slices").
 */
export const REPLICATED_SLICE_DOCS = 500;

/**
 * Documents per `bulkDocs` when the replica writer's worker writes them (replicaWriter.ts): its
 * slices hold no window, so they are a first download's whole batch, one IndexedDB transaction,
 * where each transaction costs IndexedDB's backend a share of its own; the desk's own appends
 * asked for meanwhile wait for the slice (a second or so), as they waited for a window's slice.
 */
export const WORKER_SLICE_DOCS = 2000;

/** At least one slice, the empty one included: `after` needs a turn even with nothing to write. */
function slicesOf<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A turn of the event loop: input and rendering go between two slices of a long write. Not a
 * timer: a hidden or minimised window's timers wait for the next whole second (Chromium's
 * background throttling, on by default in Electron), which would hold every slice of a download
 * left to run behind another window. `scheduler.yield` (Chromium 129+) or a posted message is not held.
 */
export function yieldToWindow(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Opens (or creates) the office database of this desk. Opening can hang without an error when
 * the disk or quota is exhausted (PouchDB #7025, #6817), so it is bounded by a timeout.
 */
export async function openOfficeDb(
  office: string,
  opts: {
    adapter?: LocalAdapter;
    newDeviceId?: () => string;
    name?: string;
    keys?: DeskKeys;
    /** Documents per `bulkDocs` of `writeReplicated` (REPLICATED_SLICE_DOCS): the bench compares sizes. */
    replicatedSlice?: number;
    /**
     * The replica writer's worker (replicaWriter.ts), started for a download longer than a window's
     * slice; `false` writes on the window's thread (as when the worker cannot start).
     */
    replicaWorker?: (() => Worker) | false;
  } = {},
): Promise<OfficeDb> {
  const name = opts.name ?? officeDbName(office);
  enforceStrictDurability(isPouchDbNamed(name));
  const db = new PouchDB(name, { adapter: opts.adapter ?? DEFAULT_ADAPTER, auto_compaction: false });
  await withTimeout(db.info(), OPEN_TIMEOUT_MS, () => new DataError('storage.openTimeout'));
  if (opts.keys) {
    // Refused before anything is read or written: a replica is never mixed under two keys.
    if ((await checkSealKey(db, opts.keys)) === 'wrongKey') {
      await db.close();
      throw new DataError('key.wrong');
    }
    sealDatabase(db, opts.keys);
  }

  const newId = opts.newDeviceId ?? (() => crypto.randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase());
  const adapter = opts.adapter ?? DEFAULT_ADAPTER;
  const workerFactory =
    opts.replicaWorker ?? (typeof Worker === 'function' && adapter === 'indexeddb' ? replicaWorker : false);
  const sliceDocs = (onWorker: boolean): number =>
    Math.max(1, opts.replicatedSlice ?? (onWorker ? WORKER_SLICE_DOCS : REPLICATED_SLICE_DOCS));
  /**
   * Whether a write of `docs` downloaded documents goes to the worker: from the first one longer than
   * a window's slice on. A smaller one (a new desk's staff directory, a field laptop's few
   * applications) holds the window no longer than a slice does, where a worker's start costs its
   * bundle's load and a reopening of the database.
   */
  const takesWorker = (docs: number): boolean =>
    workerFactory !== false && (writer !== null || docs > sliceDocs(false));
  /** The worker, once a download's first write has started it; null: the window writes. */
  let writer: Promise<ReplicaWriter | null> | null = null;
  const replicaWriter = (): Promise<ReplicaWriter | null> =>
    (writer ??= workerFactory
      ? startReplicaWriter(db, opts.keys ?? null, workerFactory).catch((e: unknown) => {
          console.warn('replica writer did not start; writing downloads on the window thread', e);
          return null;
        })
      : Promise.resolve(null));
  // One writer of the device document per process: callers are queued, not raced.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  const readDevice = async (): Promise<DeviceDoc> => {
    try {
      return await db.get<DeviceDoc>(DEVICE_DOC_ID);
    } catch (e) {
      if ((e as { status?: number }).status !== 404) throw toDataError(e, name);
      const fresh: DeviceDoc = { _id: DEVICE_DOC_ID, deviceId: newId(), office: null, desk: null, sequence: 0 };
      const r = await db.put(fresh);
      return { ...fresh, _rev: r.rev };
    }
  };
  const writeDevice = async (doc: DeviceDoc): Promise<DeviceDoc> => {
    try {
      const r = await db.put(doc);
      return { ...doc, _rev: r.rev };
    } catch (e) {
      if ((e as { status?: number }).status === 409) throw new DataError('device.conflict', e);
      throw toDataError(e, name);
    }
  };

  return {
    db,
    name,
    device: () => serial(readDevice),
    raiseSequences: (floors) =>
      serial(async () => {
        const d = await readDevice();
        if (d.sequence >= floors.sequence && (d.outgoingSequence ?? 0) >= floors.outgoing) return;
        await writeDevice({
          ...d,
          sequence: Math.max(d.sequence, floors.sequence),
          outgoingSequence: Math.max(d.outgoingSequence ?? 0, floors.outgoing),
        });
      }),
    setDesk: (officeCode, desk) =>
      serial(async () => writeDevice({ ...(await readDevice()), office: officeCode, desk })),
    writeWithDevice: (build) =>
      serial(() =>
        acrossTabs(`kense:${name}:device`, async () => {
          const before = await readDevice();
          const { doc, device } = await build(before);
          let results: (PouchDB.Core.Response | PouchDB.Core.Error)[];
          try {
            results = await db.bulkDocs([doc, device]);
          } catch (e) {
            // The transaction aborted: neither document was written.
            throw toDataError(e, name);
          }
          const failure = (r: PouchDB.Core.Response | PouchDB.Core.Error | undefined): PouchDB.Core.Error | null =>
            !r || ('error' in r && r.error) ? (r ?? { name: 'unknown_error' }) : null;
          const docFailed = failure(results[0]);
          if (!docFailed && !failure(results[1])) return doc;
          // One of the two was refused inside a committed transaction (a revision conflict: another
          // writer of the device document that did not take the lock): the device document is set
          // to what was written.
          await writeDevice({ ...(docFailed ? before : device), _rev: (await readDevice())._rev });
          if (!docFailed) return doc;
          throw toDataError(Object.assign(new Error(String(docFailed.message ?? docFailed.name)), docFailed), name);
        }),
      ),
    writeReplicated: async (docs, after, onSlice) => {
      const seq = async (): Promise<number | string> => (await db.info()).update_seq;
      const writeSlice = async (slice: object[]): Promise<void> => {
        if (slice.length === 0) return;
        let results: (PouchDB.Core.Response | PouchDB.Core.Error)[];
        try {
          results = await db.bulkDocs(slice as PouchDB.Core.PutDocument<object>[], { new_edits: false });
        } catch (e) {
          throw toDataError(e, name);
        }
        const failed = results.find((r): r is PouchDB.Core.Error => 'error' in r && r.error === true);
        if (failed) throw toDataError(Object.assign(new Error(String(failed.message ?? failed.name)), failed), name);
      };
      // Each slice queued on its own (an append asked for meanwhile goes between two, strict), one
      // after the other; a slice that fails stops the rest, and `after` goes with the last.
      const raw = Array.isArray(docs) ? null : docs;
      const started = takesWorker(Array.isArray(docs) ? docs.length : docs.asked) ? await replicaWriter() : null;
      // A worker that died (its slice failed, and was reported) leaves the rest to the window; the
      // window reopened its connection after each slice the worker finished, so it has read them.
      const worker = started?.alive ? started : null;
      if (raw && worker)
        return serial(async () => {
          const written = await worker.writeAnswers(raw.answers);
          if (written.docs > 0) announceWrite(db);
          await after?.();
          const end = after ? await seq() : written.after;
          onSlice?.({ before: written.before, after: end, docs: written.docs });
        });
      const slices = slicesOf(Array.isArray(docs) ? docs : docsOfAnswers(docs.answers), sliceDocs(worker !== null));
      for (let i = 0; i < slices.length; i++) {
        const last = i === slices.length - 1;
        const slice = slices[i] ?? [];
        if (worker) {
          await serial(async () => {
            const written = slice.length > 0 ? await worker.write(slice) : null;
            if (written) announceWrite(db);
            if (last) await after?.();
            if (onSlice) {
              const end = last && after ? await seq() : (written?.after ?? (await seq()));
              onSlice({ before: written?.before ?? end, after: end, docs: slice.length });
            }
          });
          continue;
        }
        if (i > 0) await yieldToWindow();
        await serial(() =>
          relaxedWhile(pouchIdbName(name), async () => {
            const before = onSlice ? await seq() : 0;
            await writeSlice(slice);
            if (last) await after?.();
            if (onSlice) onSlice({ before, after: await seq(), docs: slice.length });
          }),
        );
      }
    },
    prepareDownload: async (docs) => {
      if (takesWorker(docs)) await replicaWriter();
    },
    close: async () => {
      const started = writer;
      writer = null;
      await (await started)?.close();
      await db.close();
    },
  };
}
