/**
 * Hybrid logical clock: a timestamp that stays close to wall time but never goes backwards on one
 * device, even when the wall clock is set back or a peer's clock runs ahead. Events are ordered by
 * (HLC, device), which every replica computes the same way.
 *
 * Text form: 15-digit wall milliseconds, a dash, a 4-digit counter — sortable as a string.
 */
export interface Hlc {
  wall: number;
  counter: number;
}

const MAX_COUNTER = 9999;

export function formatHlc(h: Hlc): string {
  return `${String(h.wall).padStart(15, '0')}-${String(h.counter).padStart(4, '0')}`;
}

export function parseHlc(text: string): Hlc | null {
  const m = /^(\d{15})-(\d{4})$/.exec(text);
  if (!m?.[1] || !m[2]) return null;
  return { wall: Number(m[1]), counter: Number(m[2]) };
}

export function compareHlc(a: Hlc, b: Hlc): number {
  return a.wall !== b.wall ? a.wall - b.wall : a.counter - b.counter;
}

/** The counter has a fixed width; past it the clock borrows the next millisecond. */
function bump(wall: number, counter: number): Hlc {
  return counter > MAX_COUNTER ? { wall: wall + 1, counter: 0 } : { wall, counter };
}

/** The clock reading for a new local event. */
export function tickHlc(last: Hlc | null, now: number): Hlc {
  const wall = Math.floor(now);
  if (!last || wall > last.wall) return { wall, counter: 0 };
  return bump(last.wall, last.counter + 1);
}

/** Merges a clock reading seen on a replicated event, so later local events sort after it. */
export function receiveHlc(last: Hlc | null, remote: Hlc, now: number): Hlc {
  const wall = Math.floor(now);
  const base = last ?? { wall: 0, counter: 0 };
  const top = Math.max(wall, base.wall, remote.wall);
  if (top === base.wall && top === remote.wall) return bump(top, Math.max(base.counter, remote.counter) + 1);
  if (top === base.wall) return bump(top, base.counter + 1);
  if (top === remote.wall) return bump(top, remote.counter + 1);
  return { wall: top, counter: 0 };
}
