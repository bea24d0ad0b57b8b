import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstSnapshot, type SyncSnapshot } from '../data/sync/sync';
import { flushSync } from './credentials';
import { useSyncStatus } from './sync';

const snap = (state: SyncSnapshot['state']): SyncSnapshot => ({ ...firstSnapshot('central'), state, pendingLocal: 1 });

/** A sync whose flush ends when the test says. */
function syncing(state: SyncSnapshot['state']): { flush: ReturnType<typeof vi.fn>; end: (sent: boolean) => void } {
  let end: (sent: boolean) => void = () => undefined;
  const flush = vi.fn(() => new Promise<boolean>((r) => (end = r)));
  useSyncStatus.setState({ password: 'p', snapshots: { central: snap(state) }, flush });
  return { flush, end: (sent) => end(sent) };
}

afterEach(() => {
  vi.useRealTimers();
  useSyncStatus.setState({ password: null, snapshots: {}, flush: null });
});

describe('sign-out sends what the person recorded first', () => {
  it('waits for the flush, however long it takes within the limit', async () => {
    vi.useFakeTimers();
    const s = syncing('syncing');
    let done: boolean | undefined;
    void flushSync().then((v) => (done = v));
    // Well past the old five seconds: still waiting, as the slow uplink is still sending.
    await vi.advanceTimersByTimeAsync(20_000);
    expect(done).toBeUndefined();
    s.end(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });

  it('"sign out now" and the limit end the wait', async () => {
    vi.useFakeTimers();
    syncing('online');
    const abort = new AbortController();
    let done: boolean | undefined;
    void flushSync({ signal: abort.signal }).then((v) => (done = v));
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBeUndefined();
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);

    syncing('connecting');
    let timedOut: boolean | undefined;
    void flushSync({ timeoutMs: 30_000 }).then((v) => (timedOut = v));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(timedOut).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(timedOut).toBe(false);
  });

  it('does not wait for a server the desk does not reach, nor without a signed-in person', async () => {
    const offline = syncing('offline');
    expect(await flushSync()).toBe(false);
    expect(offline.flush).not.toHaveBeenCalled();
    const noOne = syncing('online');
    useSyncStatus.setState({ password: null });
    expect(await flushSync()).toBe(false);
    expect(noOne.flush).not.toHaveBeenCalled();
  });
});
