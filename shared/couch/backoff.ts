/**
 * The one back-off rule for every replication attempt repeated after a failure, on a desk (its
 * sync with central and the hub: PouchDB's `back_off_function`) and on the hub (its relay, its
 * staff copy): 1 s after the first failure, then twice the last wait, at most `max`. PouchDB's own
 * default grows to 10 minutes: too slow for a desk whose line came back. 0 means "no failure yet".
 */
export const FIRST_BACKOFF_MS = 1000;
/** The longest wait unless configured otherwise (a desk's `maxBackoffMs`, the hub's spec). */
export const MAX_BACKOFF_MS = 30_000;

export const nextBackoff = (lastMs: number, maxMs: number = MAX_BACKOFF_MS): number =>
  Math.min(maxMs, lastMs === 0 ? FIRST_BACKOFF_MS : lastMs * 2);
