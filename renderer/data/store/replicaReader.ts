import { readRanges, type RangeReader } from './docsInRanges';
import { pouchIdbName } from './durability';

/**
 * The office database read by a worker on a connection of its own, without PouchDB (the projection
 * worker: projectionWorker.ts reads the events it folds, so that their deserialisation and a second
 * copy to post them over are not the window's). It reads as docsInRanges.ts does, from the layout
 * ownStore.ts states; whatever needs PouchDB's rules (a document with conflicts) is left to the window.
 *
 * The connection opens the database at its current version and never upgrades it (PouchDB's, in
 * the window, creates and upgrades it). It yields to a new version at once — the replica writer's
 * reopenings (replicaWriter.ts), a deletion — and opens again at its next read.
 */
export function replicaReader(officeDbName: string): RangeReader & { close(): void } {
  const idbName = pouchIdbName(officeDbName);
  let opened: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    if (opened) return opened;
    const opening: Promise<IDBDatabase> = new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(idbName);
      // No database of that name (or an older one): this is not the place to make it.
      req.onupgradeneeded = () => req.transaction?.abort();
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => {
          db.close();
          if (opened === opening) opened = null;
        };
        resolve(db);
      };
      req.onerror = () => {
        if (opened === opening) opened = null;
        reject(req.error ?? new Error(`cannot open ${idbName}`));
      };
    });
    opened = opening;
    return opening;
  };
  const transaction = async (): Promise<IDBTransaction> => {
    for (let attempt = 0; ; attempt++) {
      const opening = open();
      const db = await opening;
      try {
        return db.transaction(['docs'], 'readonly');
      } catch (e) {
        // Closed between its opening and this read (a new version came): opened again, once or twice.
        if ((e as { name?: unknown }).name !== 'InvalidStateError' || attempt >= 2) throw e;
        if (opened === opening) opened = null;
      }
    }
  };
  const read = async (ranges: Parameters<RangeReader>[0]): ReturnType<RangeReader> =>
    ranges.length === 0 ? [] : readRanges(await transaction(), ranges);
  return Object.assign(read, {
    close: () => {
      void opened?.then((db) => db.close()).catch(() => undefined);
      opened = null;
    },
  });
}
