import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { takeNumber } from '../../../tests/fixtures/deviceNumbers';
import { openOfficeDb, REPLICATED_SLICE_DOCS, type OfficeDb } from './officeDb';

const opened: OfficeDb[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.db.destroy();
});

describe('office database on IndexedDB', () => {
  it('creates a device identity once and keeps it', async () => {
    const a = await openOfficeDb('ALM01', { name: 'office_t1', newDeviceId: () => 'DEV1' });
    const first = await a.device();
    expect(first.deviceId).toBe('DEV1');
    await a.close();
    const b = await openOfficeDb('ALM01', { name: 'office_t1', newDeviceId: () => 'OTHER' });
    opened.push(b);
    expect((await b.device()).deviceId).toBe('DEV1');
  });

  it('hands out registration sequence numbers without duplicates, even when asked concurrently', async () => {
    const o = await openOfficeDb('ALM01', { name: 'office_t2' });
    opened.push(o);
    const got = await Promise.all(Array.from({ length: 25 }, () => takeNumber(o)));
    expect(new Set(got).size).toBe(25);
    expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await o.device()).sequence).toBe(25);
  });

  it('keeps the sequence across a restart (the number is stored before it is used)', async () => {
    const a = await openOfficeDb('ALM01', { name: 'office_t3' });
    await takeNumber(a);
    await takeNumber(a);
    await a.close();
    const b = await openOfficeDb('ALM01', { name: 'office_t3' });
    opened.push(b);
    expect(await takeNumber(b)).toBe(3);
  });

  it('the device document never replicates (it is _local)', async () => {
    const o = await openOfficeDb('ALM01', { name: 'office_t4' });
    opened.push(o);
    await o.setDesk('ALM01', 'D03');
    const all = await o.db.allDocs();
    expect(all.rows).toEqual([]);
    expect((await o.device()).desk).toBe('D03');
  });

  describe("a download's write (writeReplicated) goes in slices", () => {
    const downloaded = (n: number): object[] =>
      Array.from({ length: n }, (_, i) => ({
        _id: `evt:D${String(i).padStart(4, '0')}:1:D9`,
        _rev: `1-${String(i).padStart(32, 'a')}`,
        n: i,
      }));
    /**
     * The sizes of the downloaded documents' `bulkDocs` calls on the database from now on (the one
     * way into its store; PouchDB's own `put`s of `_local` documents pass through it too, uncounted).
     */
    function recordWrites(o: OfficeDb, fail?: (call: number) => boolean): number[] {
      const sizes: number[] = [];
      const db = o.db as unknown as { bulkDocs: (...args: unknown[]) => unknown };
      const original = db.bulkDocs.bind(db);
      db.bulkDocs = (...args) => {
        const [docs, opts] = args;
        if (!Array.isArray(docs) || (opts as { new_edits?: boolean } | undefined)?.new_edits !== false)
          return original(...args);
        sizes.push(docs.length);
        return fail?.(sizes.length) ? Promise.reject(new Error('disk gone')) : original(...args);
      };
      return sizes;
    }

    it('of REPLICATED_SLICE_DOCS by default, every document stored', async () => {
      const o = await openOfficeDb('ALM01', { name: 'office_t5' });
      opened.push(o);
      const sizes = recordWrites(o);
      const n = REPLICATED_SLICE_DOCS * 2 + 7;
      await o.writeReplicated(downloaded(n));
      expect(sizes).toEqual([REPLICATED_SLICE_DOCS, REPLICATED_SLICE_DOCS, 7]);
      expect((await o.db.allDocs()).rows).toHaveLength(n);
    });

    it('the checkpoint after them is written only once every slice is stored', async () => {
      const o = await openOfficeDb('ALM01', { name: 'office_t6', replicatedSlice: 4 });
      opened.push(o);
      const sizes = recordWrites(o);
      let storedAtCheckpoint = -1;
      await o.writeReplicated(downloaded(10), async () => {
        storedAtCheckpoint = (await o.db.allDocs()).rows.length;
      });
      expect(sizes).toEqual([4, 4, 2]);
      expect(storedAtCheckpoint).toBe(10);
    });

    it('a slice that fails stops the write: neither the slices after it nor the checkpoint', async () => {
      const o = await openOfficeDb('ALM01', { name: 'office_t7', replicatedSlice: 4 });
      opened.push(o);
      const sizes = recordWrites(o, (call) => call === 2);
      let checkpointed = false;
      await expect(
        o.writeReplicated(downloaded(10), () => {
          checkpointed = true;
          return Promise.resolve();
        }),
      ).rejects.toThrow('disk gone');
      expect(sizes).toEqual([4, 4]);
      expect(checkpointed).toBe(false);
      expect((await o.db.allDocs()).rows).toHaveLength(4);
    });

    it('an append asked for during a long write goes between two slices, not after them all', async () => {
      const o = await openOfficeDb('ALM01', { name: 'office_t8', replicatedSlice: 4 });
      opened.push(o);
      const sizes = recordWrites(o);
      let writtenBeforeAppend = -1;
      const write = o.writeReplicated(downloaded(12));
      // Asked for once the first slice is under way.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const append = takeNumber(o).then(() => (writtenBeforeAppend = sizes.length));
      await Promise.all([write, append]);
      expect(sizes).toEqual([4, 4, 4]);
      expect(writtenBeforeAppend).toBeLessThan(3);
      // The twelve downloaded, and the document the append wrote with its number.
      expect((await o.db.allDocs()).rows.map((r) => r.id)).toEqual([
        ...downloaded(12).map((d) => (d as { _id: string })._id),
        'numbered:sequence:1',
      ]);
    });

    it('goes on while the window’s timers are held (a hidden window’s are, to the next whole second)', async () => {
      const o = await openOfficeDb('ALM01', { name: 'office_t9', replicatedSlice: 4 });
      opened.push(o);
      const sizes = recordWrites(o);
      // Timers held until the write is done, released after (also when the test fails on its
      // timeout, which Vitest keeps with timers of its own): nothing else is lost.
      const held: (() => void)[] = [];
      const setTimeoutBefore = globalThis.setTimeout;
      const release = (): void => {
        globalThis.setTimeout = setTimeoutBefore;
        for (const fn of held.splice(0)) fn();
      };
      onTestFinished(release);
      globalThis.setTimeout = ((fn: () => void) => {
        held.push(fn);
        return 0;
      }) as unknown as typeof setTimeout;
      await o.writeReplicated(downloaded(12));
      release();
      expect(sizes).toEqual([4, 4, 4]);
      expect((await o.db.allDocs()).rows).toHaveLength(12);
    }, 10_000);
  });
});
