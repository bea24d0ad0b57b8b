/**
 * The hub's one back-off rule, for every attempt it repeats after a failure (the relay's
 * replications, the staff copy): 1 s after the first failure, then twice the last wait, at most
 * `max`. 0 means "no failure yet".
 */
export const FIRST_BACKOFF_MS = 1000;
/** The longest wait unless the hub's spec says otherwise (`maxBackoffMs`). */
export const MAX_BACKOFF_MS = 30_000;

export const nextBackoff = (lastMs: number, maxMs: number): number =>
  Math.min(maxMs, lastMs === 0 ? FIRST_BACKOFF_MS : lastMs * 2);
