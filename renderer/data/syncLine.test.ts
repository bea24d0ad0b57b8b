import { afterEach, describe, expect, it, vi } from 'vitest';
import { Line } from './syncLine';

/** A fetch whose answers the test decides: each request waits until the test settles it. */
function fakeServer() {
  const calls: {
    url: string;
    init: RequestInit;
    settled: boolean;
    resolve: (r: Response) => void;
    reject: (e: Error) => void;
  }[] = [];
  const fetch = vi.fn(
    (input: RequestInfo | URL, init: RequestInit = {}) =>
      new Promise<Response>((resolve, reject) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const call = {
          url,
          init,
          settled: false,
          resolve: (r: Response) => {
            call.settled = true;
            resolve(r);
          },
          reject: (e: Error) => {
            call.settled = true;
            reject(e);
          },
        };
        init.signal?.addEventListener('abort', () =>
          call.reject(init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted')),
        );
        calls.push(call);
      }),
  );
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}
const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status });
const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('Line', () => {
  afterEach(() => vi.useRealTimers());

  it('gzips a large _bulk_docs body once the server has taken a gzipped request, and not small ones', async () => {
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch });
    const body = JSON.stringify({
      docs: Array.from({ length: 50 }, (_, i) => ({ _id: `evt:${i}`, note: 'x'.repeat(40) })),
    });
    const p = line.fetch('http://c/db/_bulk_docs', { method: 'POST', body });
    await vi.waitFor(() => expect(s.calls.length).toBe(1));
    // First the check: a gzipped `{}` to _revs_diff.
    expect(s.calls[0]?.url).toBe('http://c/db/_revs_diff');
    expect(new Headers(s.calls[0]?.init.headers).get('content-encoding')).toBe('gzip');
    s.calls[0]?.resolve(json({}));
    await vi.waitFor(() => expect(s.calls.length).toBe(2));
    const sent = s.calls[1]!;
    expect(new Headers(sent.init.headers).get('content-encoding')).toBe('gzip');
    const unzipped = await new Response(
      new Blob([sent.init.body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')),
    ).text();
    expect(unzipped).toBe(body);
    expect((sent.init.body as Uint8Array).byteLength).toBeLessThan(body.length / 3);
    sent.resolve(json([]));
    await p;
    const small = line.fetch('http://c/db/_revs_diff', { method: 'POST', body: '{"a":["1-x"]}' });
    await flush();
    expect(new Headers(s.calls[2]?.init.headers).get('content-encoding')).toBeNull();
    s.calls[2]?.resolve(json({}));
    await small;
  });

  it('reports a 413 so that the sync can halve its batch', async () => {
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch, gzip: false });
    const tooLarge = vi.fn();
    line.onTooLarge = tooLarge;
    const p = line.fetch('http://c/db/_bulk_docs', { method: 'POST', body: '{"docs":[]}' });
    await flush();
    s.calls[0]?.resolve(new Response('too large', { status: 413 }));
    expect((await p).status).toBe(413);
    expect(tooLarge).toHaveBeenCalledWith('/db/_bulk_docs');
    line.close();
  });
});
