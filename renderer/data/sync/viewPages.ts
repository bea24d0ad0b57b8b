import { ViewReader, type ViewPage } from './viewReader';
import type { ViewReply, ViewRequest } from './viewWorker';

/** Where the desks' view is read (viewReader.ts): in a worker of its own, or on this thread. */
export interface ViewPages {
  readonly where: 'worker' | 'inline';
  /** A page's body as it came (the buffer is the reader's after the call). */
  page(body: ArrayBuffer, pageRows?: number): Promise<ViewPage>;
  end(): Promise<ViewPage>;
  close(): void;
}

/** Vite bundles the worker (its own chunk, same origin: the CSP's `worker-src 'self'`). */
const viewWorker = (): Worker =>
  new Worker(new URL('./viewWorker.ts', import.meta.url), { type: 'module', name: 'kense-view' });

/** On this thread: Node, and where no worker can start. */
export function inlineViewPages(): ViewPages {
  const reader = new ViewReader();
  return {
    where: 'inline',
    page: (body, pageRows) => Promise.resolve().then(() => reader.page(body, pageRows)),
    end: () => Promise.resolve(reader.end()),
    close: () => undefined,
  };
}

/** A reading of the view: in a worker where one can start (the window), else here (Node). */
export function openViewPages(start: () => Worker = viewWorker): ViewPages {
  if (typeof Worker === 'undefined') return inlineViewPages();
  const worker = start();
  let next = 0;
  let failure: Error | null = null;
  const waiting = new Map<number, { resolve: (p: ViewPage) => void; reject: (e: Error) => void }>();
  const fail = (e: Error): void => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.addEventListener('message', (e: MessageEvent<ViewReply>) => {
    const reply = e.data;
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) w?.resolve(reply.page);
    else w?.reject(Object.assign(new Error(reply.message), { name: reply.name }));
  });
  worker.addEventListener('error', (e) => fail(new Error(e.message || 'the view worker failed')));
  worker.addEventListener('messageerror', () => fail(new Error('a message to the view worker failed')));
  const ask = (req: ViewRequest, transfer: Transferable[] = []): Promise<ViewPage> => {
    if (failure) return Promise.reject(failure);
    return new Promise<ViewPage>((resolve, reject) => {
      waiting.set(req.id, { resolve, reject });
      worker.postMessage(req, transfer);
    });
  };
  return {
    where: 'worker',
    page: (body, pageRows) =>
      ask({ id: next++, type: 'page', body, ...(pageRows !== undefined ? { pageRows } : {}) }, [body]),
    end: () => ask({ id: next++, type: 'end' }),
    close: () => {
      worker.terminate();
      fail(new Error('the view worker was closed'));
    },
  };
}
