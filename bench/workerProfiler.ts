import type { CDPSession } from 'playwright';

/**
 * CPU profiles of a page's dedicated workers (the projection worker), beside the window's own
 * (`--profile-new-desk`). Playwright opens CDP sessions on pages only: the workers are reached
 * through the page's session, attached to as they start and spoken to by messages
 * (`Target.sendMessageToTarget`; the non-flattened protocol, whose sessions need no id of their own
 * on the wire).
 */
export class WorkerProfiler {
  private readonly workers = new Map<string, string>();
  private readonly pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  private next = 0;
  private profiling = false;

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', (e) => {
      if (e.targetInfo.type !== 'worker') return;
      this.workers.set(e.sessionId, e.targetInfo.url);
      // A worker started while profiling is profiled from its start.
      if (this.profiling) void this.startOne(e.sessionId).catch(() => undefined);
    });
    cdp.on('Target.detachedFromTarget', (e) => {
      this.workers.delete(e.sessionId);
    });
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      const done = m.id === undefined ? undefined : this.pending.get(m.id);
      if (m.id === undefined || !done) return;
      this.pending.delete(m.id);
      done(m);
    });
  }

  static async attach(cdp: CDPSession): Promise<WorkerProfiler> {
    const p = new WorkerProfiler(cdp);
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return p;
  }

  private async send(sessionId: string, method: string, params: object = {}): Promise<unknown> {
    const id = ++this.next;
    const answer = new Promise<{ result?: unknown; error?: { message: string } }>((resolve) =>
      this.pending.set(id, resolve),
    );
    await this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    const m = await answer;
    if (m.error) throw new Error(`${method}: ${m.error.message}`);
    return m.result;
  }

  private async startOne(sessionId: string): Promise<void> {
    await this.send(sessionId, 'Profiler.enable');
    await this.send(sessionId, 'Profiler.setSamplingInterval', { interval: 500 });
    await this.send(sessionId, 'Profiler.start');
  }

  async start(): Promise<void> {
    this.profiling = true;
    await Promise.all([...this.workers.keys()].map((s) => this.startOne(s)));
  }

  /** Each live worker's profile since `start` (or its own start), with its script's address. */
  async stop(): Promise<{ url: string; profile: unknown }[]> {
    this.profiling = false;
    return Promise.all(
      [...this.workers].map(async ([sessionId, url]) => {
        const r = (await this.send(sessionId, 'Profiler.stop')) as { profile: unknown };
        return { url, profile: r.profile };
      }),
    );
  }
}
