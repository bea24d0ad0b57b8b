/**
 * Order statistics of durations, on an array sorted ascending.
 * - median: the middle value, or the mean of the two middle values for an even count;
 * - percentile p: the smallest value that at least p % of the values do not exceed (nearest rank).
 * Both null for no values.
 */
export function median(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1] as number;
}
