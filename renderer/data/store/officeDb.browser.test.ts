import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { takeNumber } from '../../../tests/fixtures/deviceNumbers';
import {
  openOfficeDb,
  REPLICATED_SLICE_DOCS,
  WORKER_SLICE_DOCS,
  type OfficeDb,
  type ReplicatedSlice,
} from './officeDb';
import { PouchDB } from './pouch';

const opened: OfficeDb[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.close().catch(() => undefined);
    await new PouchDB(o.name, { adapter: 'indexeddb' }).destroy();
  }
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

  describe.each([
    { where: 'on the window’s thread', replicaWorker: false as const, slice: REPLICATED_SLICE_DOCS },
    { where: 'on the replica writer’s worker', replicaWorker: undefined, slice: WORKER_SLICE_DOCS },
  ])("a download's write (writeReplicated) goes in slices, $where", ({ replicaWorker, slice }) => {
    const downloaded = (n: number): object[] =>
      Array.from({ length: n }, (_, i) => ({
        _id: `evt:D${String(i).padStart(4, '0')}:1:D9`,
        _rev: `1-${String(i).padStart(32, 'a')}`,
        n: i,
      }));
    let seq = 0;
    const open = async (replicatedSlice?: number): Promise<OfficeDb> => {
      const o = await openOfficeDb('ALM01', {
        name: `office_s${String(++seq)}_${replicaWorker === false ? 'w' : 'k'}`,
        ...(replicatedSlice ? { replicatedSlice } : {}),
        ...(replicaWorker === false ? { replicaWorker } : {}),
      });
      opened.push(o);
      return o;
    };
    /** The sizes of the slices written (told after each, as a first download's tracking is). */
    const recorder = (): { sizes: number[]; onSlice: (s: ReplicatedSlice) => void } => {
      const sizes: number[] = [];
      return { sizes, onSlice: (s) => sizes.push(s.docs) };
    };

    it('of the default size, every document stored', async () => {
      const o = await open();
      const { sizes, onSlice } = recorder();
      const n = slice * 2 + 7;
      await o.writeReplicated(downloaded(n), undefined, onSlice);
      expect(sizes).toEqual([slice, slice, 7]);
      expect((await o.db.allDocs()).rows).toHaveLength(n);
    });

    it('the checkpoint after them is written only once every slice is stored', async () => {
      const o = await open(4);
      const { sizes, onSlice } = recorder();
      let storedAtCheckpoint = -1;
      await o.writeReplicated(
        downloaded(10),
        async () => {
          storedAtCheckpoint = (await o.db.allDocs()).rows.length;
        },
        onSlice,
      );
      expect(sizes).toEqual([4, 4, 2]);
      expect(storedAtCheckpoint).toBe(10);
    });

    it('a slice that fails stops the write: neither the slices after it nor the checkpoint', async () => {
      const o = await open(4);
      const { sizes, onSlice } = recorder();
      let checkpointed = false;
      // The second slice holds a document with no revision, which cannot be written as it is on a server.
      const docs = downloaded(10);
      docs[5] = { _id: 'evt:NOREV:1:D9', n: 5 };
      await expect(
        o.writeReplicated(
          docs,
          () => {
            checkpointed = true;
            return Promise.resolve();
          },
          onSlice,
        ),
      ).rejects.toThrow();
      expect(sizes).toEqual([4]);
      expect(checkpointed).toBe(false);
      expect((await o.db.allDocs()).rows).toHaveLength(4);
      // The replica goes on: a write after the failure is counted as it should be.
      await o.db.put({ _id: 'evt:AFTER:1:D1' });
      expect((await o.db.info()).doc_count).toBe(5);
    });

    it('an append asked for during a long write goes between two slices, not after them all', async () => {
      const o = await open(4);
      const { sizes, onSlice } = recorder();
      let writtenBeforeAppend = -1;
      const write = o.writeReplicated(downloaded(12), undefined, onSlice);
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
      const o = await open(4);
      const { sizes, onSlice } = recorder();
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
      await o.writeReplicated(downloaded(12), undefined, onSlice);
      release();
      expect(sizes).toEqual([4, 4, 4]);
      expect((await o.db.allDocs()).rows).toHaveLength(12);
    }, 10_000);
  });
});
