import type { PlannedBatch } from './downloadPlan';
import { ViewReader, type IdRev, type ViewPage } from './viewReader';

/**
 * The view worker: reads the desks' view for the window (viewReader.ts), a page's body transferred
 * as it came from the server, so that the window neither parses the view's half a million rows nor
 * holds them; and keeps the events' revisions, handing the window each batch's `_bulk_get` bodies
 * as bytes (transferred) when the download comes to it, and plans the history once the view is
 * read (`ViewReader.history`). One reading a worker, for the whole
 * download (viewPages.ts starts it and ends it).
 */

export type ViewRequest =
  | { id: number; type: 'page'; body: ArrayBuffer; pageRows?: number }
  | { id: number; type: 'end' }
  | { id: number; type: 'requests'; appIds: string[]; keep: boolean }
  | { id: number; type: 'revisions'; appIds: string[] | null; keep: boolean }
  | { id: number; type: 'history'; only: string[] | null; size: number; keep: boolean };

export type ViewAnswer =
  | { type: 'page'; page: ViewPage }
  | { type: 'requests'; bodies: ArrayBuffer[]; asked: number }
  | { type: 'revisions'; revisions: IdRev[] }
  | { type: 'history'; batches: PlannedBatch[] };

export type ViewReply =
  ({ id: number; ok: true } & ViewAnswer) | { id: number; ok: false; name: string; message: string };

interface WorkerScope {
  postMessage(message: ViewReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ViewRequest>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

const reader = new ViewReader();
const encoder = new TextEncoder();

function answer(req: ViewRequest): ViewAnswer {
  switch (req.type) {
    case 'page':
      return { type: 'page', page: reader.page(req.body, req.pageRows) };
    case 'end':
      return { type: 'page', page: reader.end() };
    case 'requests': {
      const r = reader.requests(req.appIds, req.keep);
      return { type: 'requests', bodies: r.bodies.map((b) => encoder.encode(b).buffer), asked: r.asked };
    }
    case 'revisions':
      return { type: 'revisions', revisions: reader.revisionsOf(req.appIds, req.keep) };
    case 'history':
      return { type: 'history', batches: reader.history(req.only, req.size, req.keep) };
  }
}

scope.addEventListener('message', (e) => {
  const req = e.data;
  try {
    const a = answer(req);
    scope.postMessage({ id: req.id, ok: true, ...a }, a.type === 'requests' ? a.bodies : []);
  } catch (err) {
    const o = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ id: req.id, ok: false, name: o.name, message: o.message });
  }
});
