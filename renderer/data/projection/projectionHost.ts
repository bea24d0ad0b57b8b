import { BatchProjector, type ChangedBatch, type ProjectionBatch } from './projectBatch';
import type { RangeReader } from '../store/docsInRanges';
import type { ProjectFn } from './projector';
import type { ProjectionInit, ProjectionReply, ProjectionRequest, ProjectSource } from './projectionWorker';
import type { ReadModel } from '../store/readModel';

/** Where batches of the projection run: in the projection worker, or on this thread. */
export interface ProjectionRunner {
  readonly where: 'worker' | 'inline';
  apply(batch: ProjectionBatch): Promise<void>;
  /**
   * A page of changes by application (BatchProjector.applyChanged): the runner reads their events
   * itself; those it leaves (a conflict) are returned, for the caller to read and `apply`.
   */
  applyChanged(batch: ChangedBatch): Promise<string[]>;
  /**
   * Folds from the next batch on with another catalogue or calendar: `project` on this thread, the
   * same made from `source` in the worker (a function cannot be posted).
   */
  setProject(project: ProjectFn, source: ProjectSource): Promise<void>;
  /** Purged applications out of the read model, after the batches asked for before. */
  drop(appIds: readonly string[]): Promise<void>;
  close(): void;
}

/**
 * On this thread: tests with a stand-in fold, and where no worker can start. `read` reads the
 * replica's events for `applyChanged` (docsInRanges.ts on the window's connection).
 */
export function inlineProjection(
  model: ReadModel,
  project: ProjectFn,
  keys: ProjectionInit['keys'],
  read: RangeReader,
): ProjectionRunner {
  const batches = new BatchProjector(model, project, keys);
  return {
    where: 'inline',
    apply: (batch) => batches.apply(batch),
    applyChanged: (batch) => batches.applyChanged(batch, read),
    setProject: (p) => {
      batches.setProject(p);
      return Promise.resolve();
    },
    drop: (appIds) => batches.drop(appIds),
    close: () => undefined,
  };
}

/** Vite bundles the worker (its own chunk, same origin: the CSP's `worker-src 'self'`). */
export const projectionWorker = (): Worker =>
  new Worker(new URL('./projectionWorker.ts', import.meta.url), { type: 'module', name: 'kense-projection' });

class WorkerFailed extends Error {
  constructor(message: string, name = 'WorkerFailed') {
    super(message);
    this.name = name;
  }
}

/**
 * Starts the projection worker and waits until it has opened the read model. Should the worker
 * fail later (it cannot load, it crashes), the batches go to `fallback` from then on: the desk
 * keeps projecting, on this thread, and says so in the console.
 */
export async function workerProjection(
  init: ProjectionInit,
  fallback: () => ProjectionRunner,
  create: () => Worker = projectionWorker,
): Promise<ProjectionRunner> {
  const worker = create();
  let next = 1;
  const pending = new Map<number, { resolve: (left: string[]) => void; reject: (e: Error) => void }>();
  let broken: Error | null = null;
  let replacement: ProjectionRunner | null = null;
  /** The fold a replacement on this thread must use: the latest one set. */
  let latest: { project: ProjectFn; source: ProjectSource } | null = null;
  const fail = (e: Error): void => {
    if (broken) return;
    broken = e;
    console.warn('projection worker stopped; projecting on the window thread from now on', e);
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker.terminate();
  };
  worker.addEventListener('message', (e: MessageEvent<ProjectionReply>) => {
    const reply = e.data;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.left ?? []);
    else p.reject(new WorkerFailed(reply.message, reply.name));
  });
  worker.addEventListener('error', (e) => fail(new WorkerFailed(e.message || 'the projection worker failed')));
  worker.addEventListener('messageerror', () => fail(new WorkerFailed('a message to the projection worker failed')));
  // Each kind of request without its id.
  type Request = ProjectionRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
  const call = (req: Request): Promise<string[]> =>
    new Promise<string[]>((resolve, reject) => {
      if (broken) return reject(broken);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id });
    });
  const replace = async (): Promise<ProjectionRunner> => {
    if (!replacement) {
      replacement = fallback();
      if (latest) await replacement.setProject(latest.project, latest.source);
    }
    return replacement;
  };
  await call({ type: 'init', init });
  return {
    where: 'worker',
    apply: async (batch) => {
      if (!broken) {
        try {
          await call({ type: 'apply', batch });
          return;
        } catch (e) {
          // A batch the worker refused (a storage error) is the projector's to report; a dead
          // worker is replaced.
          if (!broken) throw e;
        }
      }
      return (await replace()).apply(batch);
    },
    applyChanged: async (batch) => {
      if (!broken) {
        try {
          return await call({ type: 'applyChanged', batch });
        } catch (e) {
          if (!broken) throw e;
        }
      }
      return (await replace()).applyChanged(batch);
    },
    setProject: async (project, source) => {
      latest = { project, source };
      if (!broken) {
        try {
          await call({ type: 'project', source });
          return;
        } catch (e) {
          if (!broken) throw e;
        }
      }
      return (await replace()).setProject(project, source);
    },
    drop: async (appIds) => {
      if (!broken) {
        try {
          await call({ type: 'drop', appIds: [...appIds] });
          return;
        } catch (e) {
          if (!broken) throw e;
        }
      }
      return (await replace()).drop(appIds);
    },
    close: () => {
      if (!broken) void call({ type: 'close' }).finally(() => worker.terminate());
      replacement?.close();
    },
  };
}
