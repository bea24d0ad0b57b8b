import { isProbablyOpen, type AppSummary } from '@shared/couch/deskViews';

/**
 * The order and the batches of a first download (firstDownload.ts), pure: the open applications
 * of each page of the desks' view are planned on the window as the page is read (a few hundred),
 * the history (every closed application, some 85,000 at 100,000) by the view worker, which holds
 * their summaries (viewReader.ts), so that its sort is no task of the window's (issue 13: none over
 * 200 ms; it was one of 236 ms).
 */

/** A batch of the plan: whole applications, fetched by one batch of `_bulk_get` requests and written together. */
export interface PlannedBatch {
  appIds: string[];
  /** Their events, as the view counts them (conflicting revisions apart). */
  events: number;
}

/**
 * Scans (events with attachments: the bytes inline in `_bulk_get`'s answer, base64, up to a few MB
 * each) a batch may hold: a batch is held in memory until written. A batch of 2,000 events of a
 * scan-heavy office would otherwise be hundreds of MB.
 */
export const SCANS_PER_BATCH = 24;

/** A closed application's sort key lies past every open one's (wall times stay below 2^42 ms, until 2109). */
const CLOSED_KEY = 2 ** 42;

/**
 * The server's applications, open ones first, each group newest first (latest event: its HLC,
 * `hlc:device`, whose 15-digit wall time leads). Sorted by a number per application (the group and
 * the wall time), the HLC's text only between two of the same millisecond, and no object made
 * until the order is known.
 */
export function downloadOrder(
  rows: readonly { key: string; value: AppSummary }[],
  scansOf: (appId: string) => number = () => 0,
): {
  appId: string;
  events: number;
  scans: number;
  open: boolean;
}[] {
  const keys = new Float64Array(rows.length);
  const order = new Uint32Array(rows.length);
  rows.forEach((r, i) => {
    const wall = parseInt(r.value.h, 10);
    keys[i] = (isProbablyOpen(r.value) ? 0 : CLOSED_KEY) + (CLOSED_KEY - 1 - (Number.isFinite(wall) ? wall : 0));
    order[i] = i;
  });
  const h = (i: number): string => rows[i]?.value.h ?? '';
  order.sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || (h(a) < h(b) ? 1 : h(a) > h(b) ? -1 : 0));
  return Array.from(order, (i) => {
    const r = rows[i] as { key: string; value: AppSummary };
    return { appId: r.key, events: r.value.n, scans: scansOf(r.key), open: isProbablyOpen(r.value) };
  });
}

/**
 * These applications in download order, in batches of whole applications of about `size` events
 * and at most `maxScans` scans (an application with more is a batch of its own).
 */
export function planBatches(
  rows: readonly { key: string; value: AppSummary }[],
  scansOf: (appId: string) => number,
  size: number,
  maxScans: number = SCANS_PER_BATCH,
): PlannedBatch[] {
  const out: PlannedBatch[] = [];
  let cur: PlannedBatch = { appIds: [], events: 0 };
  let scans = 0;
  for (const it of downloadOrder(rows, scansOf)) {
    if (cur.appIds.length > 0 && (cur.events + it.events > size || scans + it.scans > maxScans)) {
      out.push(cur);
      cur = { appIds: [], events: 0 };
      scans = 0;
    }
    cur.appIds.push(it.appId);
    cur.events += it.events;
    scans += it.scans;
  }
  if (cur.appIds.length > 0) out.push(cur);
  return out;
}
