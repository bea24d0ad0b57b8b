import type { WorkCalendar } from '@shared/calendar';
import { loadCatalogue, type ServiceDefinition } from '@shared/catalogue';
import type { DeskKeys } from '../seal/deskKeys';
import { makeProjectFn } from './project';
import { BatchProjector, type ChangedBatch, type ProjectionBatch } from './projectBatch';
import { openReadModel, type ReadModel } from '../store/readModel';
import { replicaReader } from '../store/replicaReader';

/**
 * The projection worker: folds and seals batches of events and writes the read model, so that the
 * window's thread never waits on the workflow engine, WebCrypto or a large Dexie transaction.
 * Started by projectionHost.ts with the desk's keys (CryptoKeys are structured-cloneable: they
 * arrive non-extractable, as they left), the catalogue's service definitions and the calendar.
 * It reads nothing from the office database: the desk's thread is the replica's reader and hands
 * the stored events over (a second connection costs each side a reopen whenever the other writes:
 * PouchDB's indexeddb adapter keeps its sequence in memory per connection; store/replicaWriter.ts).
 */

/** What the fold is made from (project.ts `makeProjectFn`): the catalogue's services and the calendar. */
export interface ProjectSource {
  services: readonly ServiceDefinition[];
  calendar: WorkCalendar;
}

export interface ProjectionInit extends ProjectSource {
  /** The name the read model is opened by (readModel.ts `openReadModel`: the office database's). */
  modelName: string;
  /**
   * The office database whose events `applyChanged` reads here (store/replicaReader.ts): the
   * `indexeddb` adapter's; absent, every application of such a page is left to the window.
   */
  replicaName?: string;
  keys: DeskKeys;
}

export type ProjectionRequest =
  | { id: number; type: 'init'; init: ProjectionInit }
  | { id: number; type: 'apply'; batch: ProjectionBatch }
  | { id: number; type: 'applyChanged'; batch: ChangedBatch }
  | { id: number; type: 'project'; source: ProjectSource }
  | { id: number; type: 'drop'; appIds: string[] }
  | { id: number; type: 'close' };

export type ProjectionReply =
  /** `left`: the applications an `applyChanged` left to the window. */
  { id: number; ok: true; left?: string[] } | { id: number; ok: false; name: string; message: string };

interface WorkerScope {
  postMessage(message: ProjectionReply): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ProjectionRequest>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

let model: ReadModel | null = null;
let projector: BatchProjector | null = null;
let reader: ReturnType<typeof replicaReader> | null = null;
/** One request at a time, in the order they came. */
let queue: Promise<void> = Promise.resolve();

/** Answers a request; `applyChanged` with the applications it left to the window. */
async function handle(req: ProjectionRequest): Promise<string[] | undefined> {
  switch (req.type) {
    case 'init': {
      const { modelName, keys, services, calendar, replicaName } = req.init;
      model = openReadModel(modelName);
      projector = new BatchProjector(model, makeProjectFn(loadCatalogue(services), calendar), keys);
      reader = replicaName ? replicaReader(replicaName) : null;
      return;
    }
    case 'applyChanged':
      if (!projector) throw new Error('projection worker: not initialised');
      return reader ? projector.applyChanged(req.batch, reader) : req.batch.appIds;
    case 'apply':
      if (!projector) throw new Error('projection worker: not initialised');
      await projector.apply(req.batch);
      return;
    case 'project':
      if (!projector) throw new Error('projection worker: not initialised');
      projector.setProject(makeProjectFn(loadCatalogue(req.source.services), req.source.calendar));
      return;
    case 'drop':
      if (!projector) throw new Error('projection worker: not initialised');
      await projector.drop(req.appIds);
      return;
    case 'close':
      model?.close();
      reader?.close();
      model = null;
      projector = null;
      reader = null;
      return;
  }
}

scope.addEventListener('message', (e) => {
  const req = e.data;
  queue = queue.then(
    () =>
      handle(req).then(
        (left) => scope.postMessage({ id: req.id, ok: true, ...(left ? { left } : {}) }),
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          scope.postMessage({ id: req.id, ok: false, name: error.name, message: error.message });
        },
      ),
    () => undefined,
  );
});
