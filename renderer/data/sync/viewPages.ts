import type { PlannedBatch } from './downloadPlan';
import { ViewReader, type IdRev, type ViewPage } from './viewReader';
import type { ViewAnswer, ViewReply, ViewRequest } from './viewWorker';

/**
 * Where the desks' view is read (viewReader.ts), in a worker of its own or on this thread, and
 * where its events' revisions stay until the download asks for them.
 */
export interface ViewPages {
  readonly where: 'worker' | 'inline';
  /** A page's body as it came (the buffer is the reader's after the call). */
  page(body: ArrayBuffer, pageRows?: number): Promise<ViewPage>;
  end(): Promise<ViewPage>;
  /** The `_bulk_get` bodies for every event of these told applications (`ViewReader.requests`). */
  requests(appIds: readonly string[], keep?: boolean): Promise<RequestBodies>;
  /** These told applications' revisions (`null`: every one held; `ViewReader.revisionsOf`). */
  revisions(appIds: readonly string[] | null, keep?: boolean): Promise<IdRev[]>;
  /** The history's plan, in batches of about `size` events (`ViewReader.history`). */
  history(only: readonly string[] | null, size: number, keep?: boolean): Promise<PlannedBatch[]>;
  /** Ends the reading and lets go of the revisions left. */
  close(): void;
}

/** A batch's `_bulk_get` bodies: bytes from the worker (transferred), text on this thread. */
export interface RequestBodies {
  bodies: readonly (ArrayBuffer | string)[];
  asked: number;
}

/** Vite bundles the worker (its own chunk, same origin: the CSP's `worker-src 'self'`). */
const viewWorker = (): Worker =>
  new Worker(new URL('./viewWorker.ts', import.meta.url), { type: 'module', name: 'kense-view' });

/** On this thread: Node, and where no worker can start. */
export function inlineViewPages(): ViewPages {
  const reader = new ViewReader();
  const later = <T>(f: () => T): Promise<T> => Promise.resolve().then(f);
  return {
    where: 'inline',
    page: (body, pageRows) => later(() => reader.page(body, pageRows)),
    end: () => later(() => reader.end()),
    requests: (appIds, keep) => later(() => reader.requests(appIds, keep)),
    revisions: (appIds, keep) => later(() => reader.revisionsOf(appIds, keep)),
    history: (only, size, keep) => later(() => reader.history(only, size, keep)),
    close: () => undefined,
  };
}

/** A reading of the view: in a worker where one can start (the window), else here (Node). */
export function openViewPages(start: () => Worker = viewWorker): ViewPages {
  if (typeof Worker === 'undefined') return inlineViewPages();
  const worker = start();
  let next = 0;
  let failure: Error | null = null;
  const waiting = new Map<number, { resolve: (a: ViewAnswer) => void; reject: (e: Error) => void }>();
  const fail = (e: Error): void => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.addEventListener('message', (e: MessageEvent<ViewReply>) => {
    const reply = e.data;
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) w?.resolve(reply);
    else w?.reject(Object.assign(new Error(reply.message), { name: reply.name }));
  });
  worker.addEventListener('error', (e) => fail(new Error(e.message || 'the view worker failed')));
  worker.addEventListener('messageerror', () => fail(new Error('a message to the view worker failed')));
  const ask = <K extends ViewAnswer['type']>(
    type: K,
    req: ViewRequest,
    transfer: Transferable[] = [],
  ): Promise<Extract<ViewAnswer, { type: K }>> => {
    if (failure) return Promise.reject(failure);
    // The answer to a request is of its kind (viewWorker.ts): `type` names it for the compiler.
    return new Promise((resolve, reject) => {
      waiting.set(req.id, { resolve: (a) => resolve(a as Extract<ViewAnswer, { type: K }>), reject });
      worker.postMessage(req, transfer);
    });
  };
  return {
    where: 'worker',
    page: async (body, pageRows) =>
      (await ask('page', { id: next++, type: 'page', body, ...(pageRows !== undefined ? { pageRows } : {}) }, [body]))
        .page,
    end: async () => (await ask('page', { id: next++, type: 'end' })).page,
    requests: (appIds, keep = false) => ask('requests', { id: next++, type: 'requests', appIds: [...appIds], keep }),
    revisions: async (appIds, keep = false) =>
      (await ask('revisions', { id: next++, type: 'revisions', appIds: appIds && [...appIds], keep })).revisions,
    history: async (only, size, keep = false) =>
      (await ask('history', { id: next++, type: 'history', only: only && [...only], size, keep })).batches,
    close: () => {
      worker.terminate();
      fail(new Error('the view worker was closed'));
    },
  };
}
