import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTmpDirs, serverEventIds, sleep } from './lab/harness';
import { LINKS, linkLabUnavailable } from './lab/link';
import { measurePull, measurePush, openLinkLab, type LinkLab, type LinkRun } from './lab/linkSync';

/**
 * A small day's work of a desk through the rural link of issue 19 (200 ± 50 ms each way, 10 % loss,
 * 256 kbit/s), in the link lab: the desk's own data layer and sync in Chromium inside a network
 * namespace, the development central on the other side of a userspace link emulator.
 *
 * What is checked is the sync's behaviour on such a line, not seconds: on a loaded machine the
 * desk's CPU (reading, sealing, writing) varies far more than the link does, so the times are the
 * bench's (`npm run bench -- --link`, figures in docs/performance/slow-links.md), and here:
 * - everything arrives, each event once (nothing lost, nothing left behind);
 * - few requests and few bytes: bodies gzipped, no document sent or fetched twice, batches large;
 * - a cut in the middle of the push is found (the line dead, the sync offline), and when the line
 *   is back the push resumes from its checkpoint: only the batch the cut caught goes up again.
 */

const unavailable = linkLabUnavailable();
const APPS = 40;
const EVENTS = APPS * 5;
/** About 580 bytes of JSON an event, as the issue's day (699 KB for 1,200 events). */
const BYTES_PER_EVENT = 580;
const link = LINKS.middle;
/**
 * Long enough to be found dead (a failed server check, then two failed probes of the line), as the
 * issue's 60 s cut is; a shorter cut is ridden out by TCP's retransmissions.
 */
const CUT_MS = 30_000;
/** The cut run's batches: small, so that it has a checkpoint to resume from when the cut ends. */
const CUT_BATCH = 50;
/** No run may take longer than this (a stuck sync fails here; times are the bench's). */
const TIMEOUT_MS = 240_000;
const kb = (n: number): string => `${Math.round(n / 1024)} KB`;
const describeRun = (r: LinkRun): string =>
  `${(r.ms / 1000).toFixed(1)} s, ${r.requests} requests + ${r.preflights} preflights ${JSON.stringify(r.byKind)}, ` +
  `${kb(r.bytesUp)} up, ${kb(r.bytesDown)} down, ${r.docsUp} documents up, ${r.docsDown} fetched`;

describe.skipIf(unavailable !== null)(
  `a day's work through a slow, lossy link${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let lab: LinkLab;

    beforeAll(async () => {
      lab = await openLinkLab(link, { seed: 19 });
    }, 60_000);
    afterAll(async () => {
      await lab?.close();
      removeTmpDirs();
    });

    it('reaches central whole, each event sent once, gzipped, in one batch', async () => {
      const push = await measurePush(lab, { apps: APPS }, undefined, TIMEOUT_MS);
      console.warn(`[link] push of ${EVENTS} events: ${describeRun(push)}`);
      expect(push.events).toBe(EVENTS);
      expect(await serverEventIds(lab.central.url)).toHaveLength(EVENTS);
      // The generated work is the size the issue's day is.
      expect(push.jsonBytes / EVENTS).toBeGreaterThan(0.9 * BYTES_PER_EVENT);
      expect(push.jsonBytes / EVENTS).toBeLessThan(1.1 * BYTES_PER_EVENT);
      // Nothing abandoned and sent again on a line that is slow but alive.
      expect(push.docsUp).toBe(EVENTS);
      expect(push.byKind['_bulk_docs']).toBe(1);
      expect(push.trail).not.toContain('dead');
      // And the indicator never said "no connection" on it.
      expect(push.trail.filter((t) => t.startsWith('SYNC offline'))).toEqual([]);
      // Bodies went up gzipped: far fewer bytes than the JSON.
      expect(push.bytesUp).toBeLessThan(push.jsonBytes / 2);
    }, 300_000);

    it('reaches a fresh desk whole, each event fetched once', async () => {
      const total = (await serverEventIds(lab.central.url)).length;
      // Central also holds the office's staff directory (staff:<login>), which desks pull too.
      const docs = (await serverEventIds(lab.central.url, 'office_alm01', '')).length;
      const pull = await measurePull(lab, TIMEOUT_MS);
      console.warn(`[link] pull of ${pull.events} events to a fresh desk: ${describeRun(pull)}`);
      expect(pull.events).toBe(total);
      expect(await lab.desk.call('linkCounts')).toMatchObject({ events: total });
      expect(pull.docsDown).toBeLessThanOrEqual(docs);
      expect(pull.trail).not.toContain('dead');
      expect(pull.trail.filter((t) => t.startsWith('SYNC offline'))).toEqual([]);
      // CouchDB 3 answers uncompressed (the lab's proxy as well): each event's JSON about once,
      // with the changes feed, revisions and checkpoints on top, never twice. One copy of 200
      // events is ~116 KB; the pull measured 210 KB, and once 245 KB under a load of 8 with the
      // same requests (the extra ~35 KB unexplained: a changes feed's size, not a second
      // _bulk_get). Fetching every event again would add another ~116 KB: over this bound.
      expect(pull.bytesDown).toBeLessThan(2.5 * total * BYTES_PER_EVENT);
    }, 300_000);

    it('a cut in the middle of the push is found, and the push resumes from its checkpoint', async () => {
      const logFrom = lab.proxy.log.length;
      const stored = (): number =>
        lab.proxy.log.slice(logFrom).filter((r) => r.path.endsWith('/_bulk_docs') && r.status === 201).length;
      const cut = await measurePush(
        lab,
        { apps: APPS, appPrefix: 'M', batchSize: CUT_BATCH },
        async () => {
          // Once the first batch is stored: the push has a checkpoint to come back to.
          while (stored() === 0) await sleep(50);
          await lab.link.cut();
          await sleep(CUT_MS);
          await lab.link.restore();
        },
        TIMEOUT_MS,
      );
      console.warn(`[link] push with a ${CUT_MS / 1000} s cut: ${describeRun(cut)}; ${cut.trail.join(', ')}`);
      expect(cut.events).toBe(EVENTS);
      expect(await serverEventIds(lab.central.url)).toHaveLength(cut.pulledAlong + EVENTS);
      // The cut was seen for what it was, and the sync said so; then the line came back.
      const dead = cut.trail.indexOf('dead');
      expect(dead).toBeGreaterThanOrEqual(0);
      expect(cut.trail.slice(dead)).toContain('up');
      expect(cut.trail.some((t) => t.startsWith('SYNC offline'))).toBe(true);
      // From the checkpoint: at most the batches under way when the cut came (two at a time) go
      // up again, not the day's work from the start.
      expect(cut.docsUp).toBeLessThanOrEqual(EVENTS + 2 * CUT_BATCH);
      expect(cut.docsUp).toBeGreaterThanOrEqual(EVENTS);
    }, 300_000);
  },
);
