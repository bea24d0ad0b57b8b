import { describe, expect, it } from 'vitest';
import { FIRST_BACKOFF_MS, MAX_BACKOFF_MS, nextBackoff } from './backoff';

describe('nextBackoff', () => {
  it('waits 1 s after the first failure, then doubles up to the limit', () => {
    const waits: number[] = [];
    let last = 0;
    for (let i = 0; i < 8; i++) waits.push((last = nextBackoff(last)));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(waits[0]).toBe(FIRST_BACKOFF_MS);
    expect(Math.max(...waits)).toBe(MAX_BACKOFF_MS);
  });

  it('keeps to a limit of its own', () => {
    expect(nextBackoff(0, 500)).toBe(500);
    expect(nextBackoff(400, 500)).toBe(500);
    expect(nextBackoff(2000, 60_000)).toBe(4000);
  });
});
