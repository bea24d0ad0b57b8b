import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTmpDirs } from './lab/harness';
import { LINKS, linkLabUnavailable } from './lab/link';
import { measurePull, measurePush, openLinkLab, type LinkLab, type LinkRun } from './lab/linkSync';

/**
 * A small day's work of a desk through the rural link of issue 19 (200 ± 50 ms each way, 10 % loss,
 * 256 kbit/s), in the link lab: the desk's own data layer and sync in Chromium inside a network
 * namespace, the development central on the other side of a userspace link emulator.
 *
 * The target comes from the link, not from a stopwatch on this machine:
 *   200 events are 100 KB of JSON, 3.1 s at 256 kbit/s, sent once, plus
 *   20 round trips of 400 ms, 8 s: about 10 requests (replication start, `_changes`, `_revs_diff`,
 *   `_bulk_docs` or `_bulk_get`, checkpoints), each with its CORS preflight;
 *   a target of 11.1 s, and the test fails above twice that, 22.3 s.
 * What is timed is the time until central (or the fresh desk) holds every event: the link's delay,
 * loss and rate decide it; the CPU's part (reading, sealing and writing 200 documents) is a fraction
 * of a second, so a loaded machine does not (checked 10 times under `stress --cpu 2`, README).
 * Before issue 19 (PouchDB's batches of 100, no compression) this push took about 25 s.
 */

const unavailable = linkLabUnavailable();
const APPS = 40;
const EVENTS = APPS * 5;
const JSON_BYTES = 100_000;
const link = LINKS.middle;
const RTT_MS = 2 * link.delayMs;
const TARGET_MS = (JSON_BYTES * 8) / link.rateKbit + 20 * RTT_MS;
const CUT_MS = 10_000;

describe.skipIf(unavailable !== null)(
  `a day's work through a slow, lossy link${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let lab: LinkLab;
    let push: LinkRun;

    beforeAll(async () => {
      lab = await openLinkLab(link, { seed: 19 });
    }, 60_000);
    afterAll(async () => {
      await lab?.close();
      removeTmpDirs();
    });

    it('reaches central within twice its target, in a few requests', async () => {
      push = await measurePush(lab, { apps: APPS }, undefined, 120_000);
      expect(push.events).toBe(EVENTS);
      // The generated work is the size the target assumes.
      expect(push.jsonBytes, `JSON bytes ${push.jsonBytes}`).toBeGreaterThan(0.9 * JSON_BYTES);
      expect(push.jsonBytes).toBeLessThan(1.1 * JSON_BYTES);
      console.warn(
        `[link] push of ${EVENTS} events: ${(push.ms / 1000).toFixed(1)} s (target ${(TARGET_MS / 1000).toFixed(1)} s), ` +
          `${push.requests} requests, ${push.bytesUp} bytes up`,
      );
      expect(push.ms).toBeLessThan(2 * TARGET_MS);
      // Bodies went up gzipped: far fewer bytes than the JSON.
      expect(push.bytesUp).toBeLessThan(JSON_BYTES / 2);
    }, 150_000);

    it('reaches a fresh desk within twice its target', async () => {
      const pull = await measurePull(lab, 120_000);
      expect(pull.events).toBe(EVENTS);
      console.warn(`[link] pull to a fresh desk: ${(pull.ms / 1000).toFixed(1)} s, ${pull.requests} requests`);
      expect(pull.ms).toBeLessThan(2 * TARGET_MS);
    }, 150_000);

    it('a cut in the middle of the push costs no more than the cut and one batch', async () => {
      expect(push).toBeDefined();
      const cut = await measurePush(
        lab,
        { apps: APPS, appPrefix: 'M' },
        async (elapsed) => {
          while (elapsed() < 3000) await new Promise((r) => setTimeout(r, 50));
          await lab.link.cut();
          await new Promise((r) => setTimeout(r, CUT_MS));
          await lab.link.restore();
        },
        120_000,
      );
      console.warn(`[link] push with a ${CUT_MS / 1000} s cut: ${(cut.ms / 1000).toFixed(1)} s`);
      // One batch here is the whole day's work (fewer than 500 events): its target.
      expect(cut.ms).toBeLessThan(push.ms + CUT_MS + TARGET_MS);
    }, 150_000);
  },
);
