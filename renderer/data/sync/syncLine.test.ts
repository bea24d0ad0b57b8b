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

/**
 * A large body's way through a new line: first the gzip check (a gzipped `{}` to _revs_diff),
 * answered yes, then the body itself, gzipped. Its request and its body unzipped. (Compressed by a
 * stream: not on a fake clock, so waited for.)
 */
async function sentGzipped(
  s: ReturnType<typeof fakeServer>,
): Promise<{ sent: ReturnType<typeof fakeServer>['calls'][number]; unzipped: string }> {
  await vi.waitFor(() => expect(s.calls.length).toBe(1));
  expect(s.calls[0]?.url).toBe('http://c/db/_revs_diff');
  expect(new Headers(s.calls[0]?.init.headers).get('content-encoding')).toBe('gzip');
  s.calls[0]?.resolve(json({}));
  await vi.waitFor(() => expect(s.calls.length).toBe(2));
  const sent = s.calls[1]!;
  expect(new Headers(sent.init.headers).get('content-encoding')).toBe('gzip');
  const unzipped = await new Response(
    new Blob([sent.init.body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')),
  ).text();
  return { sent, unzipped };
}

describe('Line', () => {
  afterEach(() => vi.useRealTimers());

  it('gzips a large _bulk_docs body once the server has taken a gzipped request, and not small ones', async () => {
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch });
    const body = JSON.stringify({
      docs: Array.from({ length: 50 }, (_, i) => ({ _id: `evt:${i}`, note: 'x'.repeat(40) })),
    });
    const p = line.fetch('http://c/db/_bulk_docs', { method: 'POST', body });
    const { sent, unzipped } = await sentGzipped(s);
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

  it('takes a body given as bytes as it takes text: gzipped, counted, its upload waited for', async () => {
    vi.useFakeTimers();
    const s = fakeServer();
    // A floor rate so low that the fake clock's steps while the body is compressed stay inside it.
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch, floorBytesPerSec: 10 });
    // A first download's `_bulk_get` body as the view worker makes it: 20 KB of JSON, as bytes.
    const text = JSON.stringify({
      docs: Array.from({ length: 200 }, (_, i) => ({ id: `evt:${'a'.repeat(60)}${i}`, rev: '1-x' })),
    });
    const bytes = new TextEncoder().encode(text).buffer;
    const p = line.fetch('http://c/db/_bulk_get?revs=true', { method: 'POST', body: bytes });
    const { sent, unzipped } = await sentGzipped(s);
    expect(unzipped).toBe(text);
    expect(line.counts.bodyBytes).toBe(bytes.byteLength);
    // Gzipped, still some time at the floor rate: the line knows it is sending.
    expect(line.sending).toBe(true);
    sent.resolve(json({ results: [] }));
    await p;
    expect(line.sending).toBe(false);
    line.close();
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

  it('goes plain for good when CORS refuses Content-Encoding (the check fails, the plain request passes)', async () => {
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch });
    const body = JSON.stringify({
      docs: Array.from({ length: 50 }, (_, i) => ({ _id: `evt:${i}`, n: 'y'.repeat(40) })),
    });
    const first = line.fetch('http://c/db/_bulk_docs', { method: 'POST', body });
    await vi.waitFor(() => expect(s.calls.length).toBe(1));
    // A preflight that does not allow the header fails the request as a network error would.
    s.calls[0]?.reject(new TypeError('Failed to fetch'));
    await vi.waitFor(() => expect(s.calls.length).toBe(2));
    expect(new Headers(s.calls[1]?.init.headers).get('content-encoding')).toBeNull();
    expect(s.calls[1]?.init.body).toBe(body);
    s.calls[1]?.resolve(json([]));
    await first;
    expect(line.gzipAccepted).toBe(false);
    // No second check: the next large body goes plain at once.
    const second = line.fetch('http://c/db/_revs_diff', { method: 'POST', body });
    await vi.waitFor(() => expect(s.calls.length).toBe(3));
    expect(s.calls[2]?.url).toBe('http://c/db/_revs_diff');
    expect(new Headers(s.calls[2]?.init.headers).get('content-encoding')).toBeNull();
    s.calls[2]?.resolve(json({}));
    await second;
    line.close();
  });

  it('goes plain when the server refuses a gzipped body (415), and asks again after a network failure', async () => {
    const s = fakeServer();
    const refusing = new Line({ dbUrl: 'http://c/db', fetch: s.fetch });
    const body = JSON.stringify({
      docs: Array.from({ length: 50 }, (_, i) => ({ _id: `evt:${i}`, n: 'z'.repeat(40) })),
    });
    const p = refusing.fetch('http://c/db/_bulk_docs', { method: 'POST', body });
    await vi.waitFor(() => expect(s.calls.length).toBe(1));
    s.calls[0]?.resolve(json({ error: 'bad_content_type' }, 415));
    await vi.waitFor(() => expect(s.calls.length).toBe(2));
    expect(new Headers(s.calls[1]?.init.headers).get('content-encoding')).toBeNull();
    s.calls[1]?.resolve(json([]));
    await p;
    expect(refusing.gzipAccepted).toBe(false);
    refusing.close();

    // The line itself down: the check and the request both fail, nothing is decided.
    const t = fakeServer();
    const down = new Line({ dbUrl: 'http://c/db', fetch: t.fetch });
    const q = down.fetch('http://c/db/_bulk_docs', { method: 'POST', body });
    await vi.waitFor(() => expect(t.calls.length).toBe(1));
    t.calls[0]?.reject(new TypeError('Failed to fetch'));
    await vi.waitFor(() => expect(t.calls.length).toBe(2));
    t.calls[1]?.reject(new TypeError('Failed to fetch'));
    await expect(q).rejects.toThrow('Failed to fetch');
    expect(down.gzipAccepted).toBeNull();
    const r = down.fetch('http://c/db/_bulk_docs', { method: 'POST', body });
    await vi.waitFor(() => expect(t.calls.length).toBe(3));
    expect(t.calls[2]?.url).toBe('http://c/db/_revs_diff');
    t.calls[2]?.resolve(json({}));
    await vi.waitFor(() => expect(t.calls.length).toBe(4));
    expect(new Headers(t.calls[3]?.init.headers).get('content-encoding')).toBe('gzip');
    t.calls[3]?.resolve(json([]));
    await r;
    down.close();
  });

  it('a cut: a silent request makes the line be probed; two failed probes make it dead, let the stuck request go and hold new ones; the first good probe brings it back', async () => {
    vi.useFakeTimers();
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch, gzip: false });
    const seen: string[] = [];
    line.onDead = () => seen.push(`dead ${line.status}`);
    line.onBack = () => seen.push(`back ${line.status}`);
    const stuck = line.fetch('http://c/db/_changes?since=5');
    const stuckOutcome = stuck.then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.calls.length).toBe(1);
    expect(line.status).toBe('up');
    // Silent past quietMs (15 s): the line, not the request, is checked.
    await vi.advanceTimersByTimeAsync(6_000);
    expect(line.status).toBe('checking');
    expect(s.calls.length).toBe(2);
    // The probe: a simple request (no preflight), without credentials (a connection of its own).
    expect(s.calls[1]?.url).toBe('http://c/db');
    expect(s.calls[1]?.init).toMatchObject({ mode: 'no-cors', credentials: 'omit' });
    expect(new Headers(s.calls[1]?.init.headers).get('authorization')).toBeNull();
    s.calls[1]?.reject(new TypeError('Failed to fetch'));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(line.status).toBe('checking');
    expect(s.calls.length).toBe(3);
    expect(s.calls[0]?.settled).toBe(false);
    // The second probe gets no answer at all: it times out (probeTimeoutMs, 6 s). Dead: the
    // request silent through it is let go at once.
    await vi.advanceTimersByTimeAsync(6_000);
    expect(line.status).toBe('dead');
    expect(seen).toEqual(['dead dead']);
    expect(await stuckOutcome).toMatch(/line dead/);
    expect(line.counts.aborted).toBe(1);
    // While dead, nothing is sent: a request fails at once, without touching the network.
    const held = line.fetch('http://c/db/_local/x');
    await expect(held).rejects.toMatchObject({ name: 'LineError', status: 0 });
    // Probes go on.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(s.calls.length).toBe(4);
    s.calls[3]?.reject(new TypeError('Failed to fetch'));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(s.calls.length).toBe(5);
    expect(s.calls.every((c) => c.url === 'http://c/db' || c.url.includes('_changes'))).toBe(true);
    // The line answers (an opaque answer is enough): back, and requests go out again.
    s.calls[4]?.resolve(new Response(null, { status: 200 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(line.status).toBe('up');
    expect(seen).toEqual(['dead dead', 'back up']);
    const after = line.fetch('http://c/db/_local/x');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.calls.at(-1)?.url).toBe('http://c/db/_local/x');
    s.calls.at(-1)?.resolve(json({ _id: '_local/x' }));
    expect((await after).status).toBe(200);
    line.close();
  });

  it('leaves a slow request alone while the line answers, and never aborts one that shows signs of life', async () => {
    vi.useFakeTimers();
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch, gzip: false });
    const dead = vi.fn();
    line.onDead = dead;
    // 40 KB going up: slow, and 16 s of silence is no sign of a cut while the line answers.
    const slow = line.fetch('http://c/db/_bulk_docs', {
      method: 'POST',
      body: JSON.stringify({ docs: ['x'.repeat(40_000)] }),
    });
    await vi.advanceTimersByTimeAsync(16_000);
    expect(line.status).toBe('checking');
    // The sync's own check of the server counts what it heard meanwhile (a busy line, not a cut).
    const heard = line.signsOfLife;
    s.calls[1]?.resolve(json({ db_name: 'db' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(line.status).toBe('up');
    expect(line.signsOfLife).toBe(heard + 1);
    // A response that trickles in: each chunk is a sign of life, for minutes.
    let push: ((chunk: string) => void) | null = null;
    let end: (() => void) | null = null;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = (x) => c.enqueue(new TextEncoder().encode(x));
        end = () => c.close();
      },
    });
    s.calls[0]?.resolve(new Response(body, { status: 201 }));
    const res = await slow;
    const text = res.text();
    for (let i = 0; i < 20; i++) {
      push!(`${i},`);
      await vi.advanceTimersByTimeAsync(10_000);
    }
    end!();
    expect(await text).toContain('19,');
    // Its headers and every chunk.
    expect(line.signsOfLife).toBeGreaterThanOrEqual(heard + 1 + 1 + 20);
    expect(dead).not.toHaveBeenCalled();
    expect(line.counts.aborted).toBe(0);
    line.close();
  });

  it("is sending while a request's body may still be going up at the floor rate, and not once it is answered", async () => {
    vi.useFakeTimers();
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch, gzip: false, floorBytesPerSec: 2_000 });
    // A GET has nothing to send.
    const get = line.fetch('http://c/db/');
    await vi.advanceTimersByTimeAsync(0);
    expect(line.sending).toBe(false);
    // 20 KB up: ten seconds at 2 KB/s.
    const batch = line.fetch('http://c/db/_bulk_docs', {
      method: 'POST',
      body: JSON.stringify({ docs: ['x'.repeat(20_000)] }),
    });
    await vi.advanceTimersByTimeAsync(9_000);
    expect(line.sending).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    // Past its time: a silent request, which is the line's to judge (quietMs, probes), not busy.
    expect(line.sending).toBe(false);
    const another = line.fetch('http://c/db/_bulk_docs', {
      method: 'POST',
      body: JSON.stringify({ docs: ['y'.repeat(20_000)] }),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(line.sending).toBe(true);
    // Answered: its headers came, nothing of it is going up any more.
    s.calls[2]?.resolve(json([{ ok: true }], 201));
    await another;
    expect(line.sending).toBe(false);
    s.calls[0]?.resolve(json({ db_name: 'db' }));
    s.calls[1]?.resolve(json([{ ok: true }], 201));
    await Promise.all([get, batch]);
    line.close();
  });

  it('leaves a request silent behind others on a line that answers: a slow line queues, and a new request would not be faster', async () => {
    vi.useFakeTimers();
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch, gzip: false });
    const back = vi.fn();
    line.onBack = back;
    const small = line.fetch('http://c/db/_local/x', { method: 'PUT', body: '{"last_seq":5}' });
    await vi.advanceTimersByTimeAsync(16_000);
    expect(line.status).toBe('checking');
    // Every probe is answered (the line lives), for half a minute more.
    for (let t = 0; t < 30; t++) {
      for (const c of s.calls)
        if (c.url === 'http://c/db' && !c.settled) c.resolve(new Response(null, { status: 200 }));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(line.status).not.toBe('dead');
    }
    expect(line.counts.probes).toBeGreaterThan(5);
    // Probes answered all along: the request was never given up, and its answer still counts.
    expect(s.calls[0]?.settled).toBe(false);
    s.calls[0]?.resolve(json({ ok: true }));
    expect((await small).status).toBe(200);
    expect(back).not.toHaveBeenCalled();
    expect(line.counts.aborted).toBe(0);
    line.close();
  });

  it("answers PouchDB's repeated GET of the server root (its replication id) from the first answer", async () => {
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/couch/db', fetch: s.fetch, gzip: false });
    const first = line.fetch('http://c/couch/');
    await vi.waitFor(() => expect(s.calls.length).toBe(1));
    s.calls[0]?.resolve(json({ couchdb: 'Welcome', uuid: 'u-1' }));
    expect(await (await first).json()).toEqual({ couchdb: 'Welcome', uuid: 'u-1' });
    const again = await line.fetch('http://c/couch/');
    expect(await again.json()).toEqual({ couchdb: 'Welcome', uuid: 'u-1' });
    expect(s.calls.length).toBe(1);
    // The database itself is asked every time.
    const info = line.fetch('http://c/couch/db/');
    await vi.waitFor(() => expect(s.calls.length).toBe(2));
    s.calls[1]?.resolve(json({ db_name: 'db' }));
    await info;
    line.close();
  });

  it('counts a request in flight until its answer is read, failed or aborted', async () => {
    const s = fakeServer();
    const line = new Line({ dbUrl: 'http://c/db', fetch: s.fetch, gzip: false });
    const ctl = new AbortController();
    const read = line.fetch('http://c/db/_bulk_get', { method: 'POST', body: '{"docs":[]}' });
    const failed = line.fetch('http://c/db/_revs_diff', { method: 'POST', body: '{}' });
    const aborted = line.fetch('http://c/db/_changes?feed=longpoll', { signal: ctl.signal });
    await vi.waitFor(() => expect(s.calls.length).toBe(3));
    expect(line.inFlightCount).toBe(3);
    s.calls[0]?.resolve(json({ results: [] }));
    const answered = await read;
    // Headers in, body not yet read: still on its way.
    expect(line.inFlightCount).toBe(3);
    await answered.json();
    expect(line.inFlightCount).toBe(2);
    s.calls[1]?.reject(new TypeError('Failed to fetch'));
    await expect(failed).rejects.toThrow('Failed to fetch');
    expect(line.inFlightCount).toBe(1);
    ctl.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    expect(line.inFlightCount).toBe(0);
    line.close();
  });
});
