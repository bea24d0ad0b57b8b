import { ViewReader, type ViewPage } from './viewReader';

/**
 * The view worker: reads the desks' view for the window (viewReader.ts), a page's body transferred
 * as it came from the server, so that the window neither parses the view's half a million rows nor
 * holds them. One reading a worker (viewPages.ts starts it and ends it).
 */

export type ViewRequest =
  { id: number; type: 'page'; body: ArrayBuffer; pageRows?: number } | { id: number; type: 'end' };

export type ViewReply =
  { id: number; ok: true; page: ViewPage } | { id: number; ok: false; name: string; message: string };

interface WorkerScope {
  postMessage(message: ViewReply): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ViewRequest>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

const reader = new ViewReader();

scope.addEventListener('message', (e) => {
  const req = e.data;
  try {
    const page = req.type === 'page' ? reader.page(req.body, req.pageRows) : reader.end();
    scope.postMessage({ id: req.id, ok: true, page });
  } catch (err) {
    const o = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ id: req.id, ok: false, name: o.name, message: o.message });
  }
});
