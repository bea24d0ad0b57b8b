import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepViewWarm, type ViewWarmer } from './warmer';

/** Lets the warmer's promise chains run (no timers involved). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('keepViewWarm', () => {
  let warmer: ViewWarmer | null = null;
  afterEach(async () => {
    await warmer?.stop();
    warmer = null;
    vi.useRealTimers();
  });

  it('builds at start, then only when the database has changed', async () => {
    vi.useFakeTimers();
    let seq = 5;
    const build = vi.fn(() => Promise.resolve());
    warmer = keepViewWarm({ seq: () => Promise.resolve(seq), build, everyMs: 1000, log: () => undefined });
    await settle();
    expect(build).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(build).toHaveBeenCalledTimes(1);
    seq = 9;
    await vi.advanceTimersByTimeAsync(1000);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('runs one build at a time and checks again after one asked for meanwhile', async () => {
    let seq: unknown = '1-abc';
    let release: () => void = () => undefined;
    let inFlight = 0;
    let most = 0;
    const build = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          inFlight++;
          most = Math.max(most, inFlight);
          release = () => {
            inFlight--;
            resolve();
          };
        }),
    );
    warmer = keepViewWarm({ seq: () => Promise.resolve(seq), build, everyMs: 60_000, log: () => undefined });
    await settle();
    seq = '2-def';
    warmer.poke();
    warmer.poke();
    await settle();
    expect(build).toHaveBeenCalledTimes(1);
    release();
    await settle();
    expect(build).toHaveBeenCalledTimes(2);
    release();
    await settle();
    expect(build).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it('tries again after a failure, logging once per failing spell', async () => {
    const log = vi.fn();
    let fail = true;
    const build = vi.fn(() => (fail ? Promise.reject(new Error('view exploded')) : Promise.resolve()));
    warmer = keepViewWarm({ seq: () => Promise.resolve(1), build, everyMs: 60_000, log });
    await settle();
    warmer.poke();
    await settle();
    expect(build).toHaveBeenCalledTimes(2);
    expect(log.mock.calls.filter(([l]) => String(l).includes('view exploded'))).toHaveLength(1);
    fail = false;
    warmer.poke();
    await settle();
    expect(build).toHaveBeenCalledTimes(3);
    // Built for sequence 1: nothing more to do until the database changes.
    warmer.poke();
    await settle();
    expect(build).toHaveBeenCalledTimes(3);
    expect(log).toHaveBeenLastCalledWith('the desks’ view is built again');
  });

  it('does nothing once stopped', async () => {
    let seq = 1;
    const build = vi.fn(() => Promise.resolve());
    const w = keepViewWarm({ seq: () => Promise.resolve(seq), build, everyMs: 60_000, log: () => undefined });
    await settle();
    await w.stop();
    seq = 2;
    w.poke();
    await settle();
    expect(build).toHaveBeenCalledTimes(1);
  });
});
