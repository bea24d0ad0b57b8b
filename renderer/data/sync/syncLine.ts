/**
 * The line to one sync server, as the desk's replication uses it: every HTTP request of the remote
 * PouchDB goes through `Line.fetch` (PouchDB's `fetch` option), which
 *
 * - **gzips request bodies** (`_bulk_docs`, `_revs_diff`, `_bulk_get`) once the server has shown it
 *   takes `Content-Encoding: gzip`: Apache CouchDB 3 does (chttpd's `json_body` gunzips), and so does
 *   the dev central (express's body-parser). A server or CORS configuration that refuses it is
 *   detected once, and bodies then go plain. Responses need nothing here: the browser asks for gzip
 *   itself and a reverse proxy in front of CouchDB may give it (CouchDB 3 sends them plain).
 * - **never abandons a request that is still progressing**: there is no fixed timeout. A request is
 *   watched for signs of life (its response's headers and each chunk of its body). When one has been
 *   silent for a while, the line itself is checked with a tiny probe, so that a slow upload on a
 *   live line is left alone, while a cut is recognised (`dead`). Then the requests silent through
 *   it (stuck on connections TCP is backing off) are aborted and nothing more is sent until a probe
 *   finds the line back (`back`): the sync restarts at once on fresh connections instead of waiting
 *   for TCP's next retransmission. Only a request silent for far longer than its upload could need
 *   is aborted on its own (a safety net for a connection that died while the line lived).
 * - reports a `413 Request Entity Too Large` (a reverse proxy's body limit), so that the sync halves
 *   its batch, as Medic CHT does.
 */

export type LineState = 'up' | 'checking' | 'dead';

export interface LineOptions {
  /** The remote database's URL (probed with a GET: a few hundred bytes). */
  dbUrl: string;
  /** Sent with the probe and the gzip check, as PouchDB sends it with its requests. */
  authorization?: string;
  /** A request silent this long starts a check of the line (above CouchDB's 10 s changes heartbeat). */
  quietMs?: number;
  /** Probes while checking or dead: this often, and each may take this long (a simple GET: one round trip). */
  probeEveryMs?: number;
  probeTimeoutMs?: number;
  /** Two failed probes in a row make the line dead. */
  failuresForDead?: number;
  /** The safety net: silent this long, plus the time its body needs at `floorBytesPerSec`. */
  stallMs?: number;
  floorBytesPerSec?: number;
  /** Bodies smaller than this go plain. */
  gzipMinBytes?: number;
  /** Whether to try gzip request bodies at all. */
  gzip?: boolean;
  /** After this long dead, probes come less often (at most every `slowProbeEveryMs`). */
  slowProbeAfterMs?: number;
  slowProbeEveryMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

interface InFlight {
  path: string;
  bodyBytes: number;
  /** Sent, then each sign of life (its headers, a chunk): until its headers, when it was sent. */
  lastProgress: number;
  headers: boolean;
  abort: (reason: Error) => void;
}

const GZIP_PATHS = /\/(_bulk_docs|_revs_diff|_bulk_get|_all_docs)(\?|$)/;

export function lineError(message: string): Error & { status: number } {
  return Object.assign(new Error(message), { name: 'LineError', status: 0 });
}

async function gzip(plain: string | ArrayBuffer): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([plain]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class Line {
  readonly fetch: typeof fetch;
  private state: LineState = 'up';
  private readonly inFlight = new Set<InFlight>();
  private failures = 0;
  private probing = false;
  private lastProbeAt = 0;
  private gzipState: 'unknown' | 'yes' | 'no';
  private gzipCheck: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private deadSince = 0;
  private readonly o: Required<Omit<LineOptions, 'authorization' | 'fetch'>> & Pick<LineOptions, 'authorization'>;
  /** The line was found dead (probes fail): the sync is offline. */
  onDead: (() => void) | null = null;
  /** The line came back after being dead: restart now. */
  onBack: (() => void) | null = null;
  /** A request got 413: the batch was too large for something on the way. */
  onTooLarge: ((path: string) => void) | null = null;
  /** A request was given up by the safety net (silent far too long on a live line). */
  onGaveUp: ((path: string) => void) | null = null;
  private readonly raw: typeof fetch;
  /**
   * The server's root (`GET /`: its version and uuid), which PouchDB asks at every replication
   * start to name the replication: it does not change, so after the first answer it costs no
   * round trip (two per restart, with their preflights).
   */
  private root: { body: ArrayBuffer; status: number; headers: [string, string][] } | null = null;
  private readonly rootUrl: string;
  /**
   * Signs of life from the server so far (a response's headers, a chunk of its body, an answered
   * probe): a check that sees this change while it waits knows the line is busy, not cut.
   */
  signsOfLife = 0;
  /** Requests made and bytes sent, for the bench and the tests. */
  readonly counts = { requests: 0, bodyBytes: 0, sentBytes: 0, aborted: 0, probes: 0 };
  /** What the line went through (state changes, aborts), newest last, for the bench's timeline. */
  readonly trail: { at: number; what: string }[] = [];

  constructor(opts: LineOptions) {
    this.o = {
      quietMs: 15_000,
      probeEveryMs: 3_000,
      probeTimeoutMs: 6_000,
      failuresForDead: 2,
      stallMs: 90_000,
      floorBytesPerSec: 2_000,
      gzipMinBytes: 1024,
      gzip: true,
      slowProbeAfterMs: 120_000,
      slowProbeEveryMs: 15_000,
      now: () => Date.now(),
      ...opts,
    };
    this.raw = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.gzipState = this.o.gzip ? 'unknown' : 'no';
    this.rootUrl = new URL('..', `${opts.dbUrl.replace(/\/+$/, '')}/`).href;
    this.fetch = (input, init) => this.request(input, init);
  }

  get status(): LineState {
    return this.state;
  }

  /**
   * Requests sent and not yet answered in full. Cancelling a replication does not recall the ones
   * already sent: they still reach the server, and whoever counts what a sync moved waits for none.
   */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Whether a request is still within the time its body takes to go up at the line's floor rate
   * (`floorBytesPerSec`) and has had no answer: the line is busy sending the sync's own data. A
   * batch's body is tens of KB, seconds on a rural uplink, and a request sent meanwhile (the sync's
   * check of the server) queues behind it on the way up, while nothing comes down to show the line
   * alive (fetch tells nothing of an upload's progress).
   */
  get sending(): boolean {
    const now = this.o.now();
    for (const r of this.inFlight) if (now - r.lastProgress < this.bodyTimeMs(r)) return true;
    return false;
  }

  /** The time a request's body may take to go up at the floor rate: none once its headers came. */
  private bodyTimeMs(r: InFlight): number {
    return r.headers ? 0 : (r.bodyBytes / this.o.floorBytesPerSec) * 1000;
  }

  get gzipAccepted(): boolean | null {
    return this.gzipState === 'unknown' ? null : this.gzipState === 'yes';
  }

  /** Something failed (a network error reached the sync): check the line now. */
  suspect(): void {
    if (this.closed) return;
    if (this.state === 'up') this.setState('checking');
    this.ensureTimer();
    void this.probe();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private note(what: string): void {
    this.trail.push({ at: this.o.now(), what });
    if (this.trail.length > 200) this.trail.shift();
  }

  private setState(s: LineState): void {
    if (s === this.state) return;
    const was = this.state;
    this.state = s;
    this.note(s);
    if (s === 'dead') {
      this.deadSince = this.o.now();
      this.onDead?.();
    }
    if (was === 'dead' && s === 'up') this.onBack?.();
  }

  private ensureTimer(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.tick(), 1000);
  }

  private tick(): void {
    const now = this.o.now();
    let quiet = false;
    for (const r of this.inFlight) {
      const silent = now - r.lastProgress;
      const allowance = this.bodyTimeMs(r);
      if (silent > this.o.stallMs + allowance) {
        r.abort(lineError(`no sign of life for ${Math.round(silent / 1000)} s`));
        this.onGaveUp?.(r.path);
        continue;
      }
      if (silent > this.o.quietMs) quiet = true;
    }
    if (quiet && this.state === 'up') this.setState('checking');
    const every =
      this.state === 'dead' && now - this.deadSince > this.o.slowProbeAfterMs
        ? this.o.slowProbeEveryMs
        : this.o.probeEveryMs;
    if (this.state !== 'up' && now - this.lastProbeAt >= every) void this.probe();
    if (this.state === 'up' && this.inFlight.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private async probe(): Promise<void> {
    if (this.probing || this.closed) return;
    this.probing = true;
    this.lastProbeAt = this.o.now();
    this.counts.probes++;
    const started = this.o.now();
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(lineError('probe timed out')), this.o.probeTimeoutMs);
    let ok = false;
    try {
      // A simple request: no preflight (one round trip, not two) and no credentials, so it goes on
      // a connection of its own rather than queueing behind the sync's stuck ones. Any answer, even
      // an opaque 401, is the line working.
      const r = await this.raw(this.o.dbUrl, {
        mode: 'no-cors',
        credentials: 'omit',
        signal: ctl.signal,
        cache: 'no-store',
      });
      await r.arrayBuffer();
      // Any answer is the line working (an error status is the server's business, not the line's).
      ok = true;
    } catch (e) {
      ok = false;
      this.note(`probe failed after ${this.o.now() - started} ms: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(t);
      this.probing = false;
    }
    if (this.closed) return;
    if (ok) {
      this.signsOfLife++;
      this.failures = 0;
      // The line answers: a request silent since before the probe is left alone. On a slow, lossy
      // line with a deep queue a request waits tens of seconds behind others' data, or on TCP's
      // back-off after losses, and sending it again would not be faster. (Only the safety net of
      // stallMs gives one up.)
      this.setState('up');
      return;
    }
    this.failures++;
    if (this.failures >= this.o.failuresForDead) {
      this.setState('dead');
      // Requests silent since before this probe went out sit on connections TCP is backing off
      // (after a long cut its next retransmission can be half a minute away), and they hold the
      // browser's few connections to the server: let them go now, so that the sync restarts
      // cleanly the moment a probe finds the line back.
      for (const r of [...this.inFlight])
        if (r.lastProgress <= started) r.abort(lineError('line dead: request silent through the cut'));
    }
  }

  private async checkGzip(): Promise<void> {
    // Asked once: a tiny gzipped `_revs_diff` (read-only). A refusal (400/415) or a CORS
    // preflight that does not allow Content-Encoding means no; a network failure leaves it open.
    try {
      const r = await this.raw(`${this.o.dbUrl}/_revs_diff`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          accept: 'application/json',
          ...(this.o.authorization ? { authorization: this.o.authorization } : {}),
        },
        body: await gzip('{}'),
      });
      await r.arrayBuffer();
      this.gzipState = r.ok ? 'yes' : 'no';
    } catch {
      // CORS refusal and a dead line look alike here; the plain request that follows tells them apart.
      this.gzipState = 'unknown';
    }
  }

  private async request(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url, 'http://x').pathname;
    const isRoot = (init.method ?? 'GET') === 'GET' && url.split('?')[0] === this.rootUrl;
    if (isRoot && this.root) {
      const { body, status, headers } = this.root;
      return new Response(body.slice(0), { status, headers });
    }
    // While the line is dead nothing is sent: a request would only wait on a connection attempt
    // that TCP backs off, and take one of the browser's connections when the line returns. The
    // sync is restarted when a probe finds it back (onBack).
    if (this.state === 'dead') throw lineError('line dead');
    let body = init.body;
    const headers = new Headers(init.headers);
    // Text, or bytes made elsewhere (a first download's `_bulk_get` bodies, made by the view worker).
    const plain = typeof body === 'string' || body instanceof ArrayBuffer ? body : null;
    const plainBytes = plain === null ? 0 : typeof plain === 'string' ? plain.length : plain.byteLength;
    let gzipped = false;
    if (plain !== null && plainBytes >= this.o.gzipMinBytes && GZIP_PATHS.test(path) && this.gzipState !== 'no') {
      if (this.gzipState === 'unknown') {
        this.gzipCheck ??= this.checkGzip().finally(() => {
          this.gzipCheck = null;
        });
        await this.gzipCheck;
      }
      if (this.gzipState === 'yes') {
        body = await gzip(plain);
        headers.set('content-encoding', 'gzip');
        gzipped = true;
      }
    }
    const bodyBytes = gzipped ? (body as Uint8Array).byteLength : plainBytes;
    this.counts.requests++;
    this.counts.bodyBytes += plainBytes;
    this.counts.sentBytes += bodyBytes;

    const ctl = new AbortController();
    const signal = init.signal ? AbortSignal.any([init.signal, ctl.signal]) : ctl.signal;
    const entry: InFlight = {
      path,
      bodyBytes,
      lastProgress: this.o.now(),
      headers: false,
      abort: (reason) => {
        this.counts.aborted++;
        this.note(`abort ${path}: ${reason.message}`);
        ctl.abort(reason);
      },
    };
    const alive = (): void => {
      this.signsOfLife++;
      entry.lastProgress = this.o.now();
    };
    this.inFlight.add(entry);
    this.ensureTimer();
    const done = (): void => {
      this.inFlight.delete(entry);
    };
    let res: Response;
    try {
      res = await this.raw(input, { ...init, body, headers, signal });
    } catch (e) {
      done();
      this.note(`failed ${path}: ${e instanceof Error ? e.message : String(e)}`);
      throw signal.aborted && signal.reason instanceof Error && !init.signal?.aborted ? signal.reason : e;
    }
    entry.headers = true;
    alive();
    if (isRoot && res.ok) {
      const body = await res.arrayBuffer();
      done();
      this.root = { body, status: res.status, headers: [...res.headers] };
      return new Response(body.slice(0), { status: res.status, headers: res.headers });
    }
    if (this.gzipState === 'unknown' && plain !== null && GZIP_PATHS.test(path) && res.ok) {
      // The gzip check failed on the network while this plain request went through: CORS refuses it.
      if (plainBytes >= this.o.gzipMinBytes) this.gzipState = 'no';
    }
    if (res.status === 413) this.onTooLarge?.(path);
    if (!res.body) {
      done();
      return res;
    }
    const watched = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, c) {
          alive();
          c.enqueue(chunk);
        },
        flush() {
          done();
        },
      }),
    );
    signal.addEventListener('abort', done, { once: true });
    return new Response(watched, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
}
