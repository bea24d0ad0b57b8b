import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { onePassReplication } from './onePass';

/** A one-shot replication the test ends by hand. */
class FakePass extends EventEmitter {
  cancelled = false;
  cancel(): void {
    this.cancelled = true;
    this.emit('complete');
  }
}

async function harness(backOff = (d: number) => (d === 0 ? 1000 : d * 2)) {
  const passes: FakePass[] = [];
  let write: () => void = () => undefined;
  let watching = true;
  const events: string[] = [];
  const r = onePassReplication({
    pass: () => {
      const p = new FakePass();
      passes.push(p);
      return p as unknown as PouchDB.Replication.Replication<object>;
    },
    watch: (onChange) => {
      write = onChange;
      return () => {
        watching = false;
      };
    },
    backOff,
  });
  for (const name of ['active', 'paused', 'complete', 'checkpoint'])
    r.on(name, (arg?: unknown) => events.push(arg instanceof Error ? `${name}:${arg.message}` : name));
  // The first pass begins once the listeners are on.
  expect(passes).toHaveLength(0);
  await Promise.resolve();
  return { r, passes, events, write: () => write(), watching: () => watching };
}

describe('a replication in one-shot passes', () => {
  it('runs a pass at once, another when the source changed during it, and none while nothing changes', async () => {
    const h = await harness();
    expect(h.passes).toHaveLength(1);
    // Written during the pass, twice: one more pass after it, not two.
    h.write();
    h.write();
    expect(h.passes).toHaveLength(1);
    h.passes[0]?.emit('checkpoint', { checkpoint: 5 });
    h.passes[0]?.emit('complete');
    expect(h.passes).toHaveLength(2);
    h.passes[1]?.emit('complete');
    expect(h.passes).toHaveLength(2);
    // Idle: the next write starts a pass.
    h.write();
    expect(h.passes).toHaveLength(3);
    expect(h.events).toEqual(['active', 'checkpoint', 'paused', 'active', 'paused', 'active']);
  });

  it('after a failed pass waits out the back-off, whatever is written meanwhile, and starts over from no delay once a pass succeeds', async () => {
    vi.useFakeTimers();
    try {
      const delays: number[] = [];
      const h = await harness((d) => {
        const next = d === 0 ? 1000 : d * 2;
        delays.push(next);
        return next;
      });
      h.passes[0]?.emit('error', new Error('down'));
      expect(h.events).toEqual(['active', 'paused:down']);
      h.write();
      expect(h.passes).toHaveLength(1);
      vi.advanceTimersByTime(1000);
      expect(h.passes).toHaveLength(2);
      h.passes[1]?.emit('error', new Error('down'));
      vi.advanceTimersByTime(1999);
      expect(h.passes).toHaveLength(2);
      vi.advanceTimersByTime(1);
      expect(h.passes).toHaveLength(3);
      h.passes[2]?.emit('complete');
      h.write();
      h.passes[3]?.emit('error', new Error('down'));
      expect(delays).toEqual([1000, 2000, 1000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('cancelled: the running pass is cancelled, the watch ends, `complete` once, no pass after', async () => {
    const h = await harness();
    h.r.cancel();
    expect(h.passes[0]?.cancelled).toBe(true);
    expect(h.watching()).toBe(false);
    h.write();
    h.r.cancel();
    expect(h.passes).toHaveLength(1);
    expect(h.events.filter((e) => e === 'complete')).toHaveLength(1);
    // Cancelled while idle: `complete` all the same.
    const idle = await harness();
    idle.passes[0]?.emit('complete');
    idle.r.cancel();
    await Promise.resolve();
    expect(idle.events).toEqual(['active', 'paused', 'complete']);
  });
});
