import { afterEach, describe, expect, it, vi } from 'vitest';
import { openOfficeDb, type OfficeDb } from './officeDb';
import { PouchDB } from './pouch';
import { replicaWorker } from './replicaWriter';
import { onWrites } from './writes';

const opened: OfficeDb[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.close().catch(() => undefined);
    await new PouchDB(o.name, { adapter: 'indexeddb' }).destroy();
  }
});

async function office(opts: Parameters<typeof openOfficeDb>[1] = {}): Promise<OfficeDb> {
  const o = await openOfficeDb('ALM01', { name: `rw_${Math.random().toString(36).slice(2, 8)}`, ...opts });
  opened.push(o);
  return o;
}

/** Downloaded events (as `_bulk_get` gives them: a revision and its history). */
const downloaded = (from: number, n: number): object[] =>
  Array.from({ length: n }, (_, i) => {
    const k = from + i;
    const hash = k.toString(16).padStart(32, '0');
    return {
      _id: `evt:S${String(k).padStart(6, '0')}:1:D9`,
      _rev: `1-${hash}`,
      _revisions: { start: 1, ids: [hash] },
      k,
    };
  });

/**
 * A server's `_bulk_get` answer (CouchDB's shape) giving `docs`, with revisions gone since they
 * were listed (`not_found`) and refused ones (`forbidden`), as bytes.
 */
function answer(docs: object[], gone: string[] = [], refused: string[] = []): ArrayBuffer {
  const results = [
    ...docs.map((d) => ({ id: (d as { _id: string })._id, docs: [{ ok: d }] })),
    ...gone.map((id) => ({ id, docs: [{ error: { id, rev: '1-x', error: 'not_found', reason: 'missing' } }] })),
    ...refused.map((id) => ({
      id,
      docs: [{ error: { id, rev: '1-x', error: 'forbidden', reason: 'not for this desk' } }],
    })),
  ];
  return new TextEncoder().encode(JSON.stringify({ results })).buffer;
}

/** The replica as a new connection reads it from the disk: what the stored metadata says, and what is there. */
async function reopened(
  name: string,
): Promise<{ docCount: number; seq: number | string; rows: number; changes: number }> {
  const db = new PouchDB(`${name}`, { adapter: 'indexeddb' });
  try {
    const info = await db.info();
    const all = await db.allDocs({ limit: 0 });
    const changes = await db.changes({ since: 0 });
    return { docCount: info.doc_count, seq: info.update_seq, rows: all.total_rows, changes: changes.results.length };
  } finally {
    await db.close();
  }
}

describe('the replica writer (a worker writing downloaded documents beside the window)', () => {
  it('starts for a write longer than a window’s slice, not for a smaller one', async () => {
    let started = 0;
    const o = await office({
      replicatedSlice: 10,
      replicaWorker: () => {
        started++;
        return replicaWorker();
      },
    });
    await o.writeReplicated(downloaded(0, 10));
    expect(started).toBe(0);
    await o.writeReplicated(downloaded(10, 11));
    expect(started).toBe(1);
    // Once started, it takes every download's write, small ones too.
    await o.writeReplicated(downloaded(21, 1));
    expect(started).toBe(1);
    expect((await o.db.info()).doc_count).toBe(22);
  });

  it('the window’s writes during a download take turns with the worker’s slices: nothing lost, the sequence whole', async () => {
    const o = await office({ replicatedSlice: 400 });
    const told = vi.fn();
    onWrites(o.db, told);
    let done = false;
    const download = o.writeReplicated(downloaded(0, 2000)).finally(() => (done = true));
    // The desk's own writes meanwhile, not queued behind the download: puts, `_local` documents, a
    // deletion, asked for all through it (a few every 2 ms, until its last slice is written).
    const own: Promise<unknown>[] = [];
    let i = 0;
    while (!done) {
      const n = i++;
      own.push(o.db.put({ _id: `evt:MINE${String(n).padStart(4, '0')}:1:D1`, n }));
      if (n % 5 === 0) own.push(o.db.put({ _id: `_local/mark${String(n)}`, n }));
      await new Promise((r) => setTimeout(r, 2));
    }
    const gone = await o.db.put({ _id: 'evt:GONE:1:D1' });
    own.push(o.db.remove('evt:GONE:1:D1', gone.rev));
    await Promise.all([download, ...own]);
    const info = await o.db.info();
    // 2,000 downloaded, the own ones, one deleted (not counted); every write a sequence number of its own.
    expect(i).toBeGreaterThan(5);
    expect(info.doc_count).toBe(2000 + i);
    expect(info.update_seq).toBe(2000 + i + 2);
    expect((await o.db.allDocs({ limit: 0 })).total_rows).toBe(2000 + i);
    // The window's listeners heard of the worker's slices (five of them) besides its own writes.
    expect(told.mock.calls.length).toBeGreaterThanOrEqual(5 + i + 2);
    // What is stored agrees with what the window counted.
    const before = await o.db.get('evt:S001999:1:D9');
    expect(before).toMatchObject({ k: 1999 });
    await o.close();
    expect(await reopened(o.name)).toEqual({
      docCount: 2000 + i,
      seq: 2000 + i + 2,
      rows: 2000 + i,
      changes: 2000 + i + 1,
    });
  });

  it('the window’s reads during a download never fail, however the worker’s reopenings fall', async () => {
    const o = await office({ replicatedSlice: 20 });
    let done = false;
    const download = o.writeReplicated(downloaded(0, 1500)).finally(() => (done = true));
    const failures: unknown[] = [];
    let reads = 0;
    // Readers as the desk has them: a document, a page of ids, the changes since some point, the count.
    const reader = async (k: number): Promise<void> => {
      while (!done) {
        try {
          if (k === 0)
            await o.db.get('_local/device').catch((e: { status?: number }) => {
              if (e.status !== 404) throw e;
            });
          else if (k === 1) await o.db.allDocs({ limit: 20 });
          else if (k === 2) await o.db.changes({ since: 0, limit: 20 });
          else await o.db.info();
          reads++;
        } catch (e) {
          failures.push(e);
        }
        if (reads % 7 === 0) await new Promise((r) => setTimeout(r, 0));
      }
    };
    await Promise.all([download, reader(0), reader(1), reader(2), reader(3)]);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(30);
    expect((await o.db.info()).doc_count).toBe(1500);
  });

  it('reports a slice the replica refuses as the write’s failure, and the window writes on after it', async () => {
    const o = await office({ replicatedSlice: 4 });
    await o.writeReplicated(downloaded(0, 10));
    // A document without a revision cannot be written as it is on a server.
    await expect(o.writeReplicated([{ _id: 'evt:BAD:1:D9', k: 1 }])).rejects.toThrow();
    await o.db.put({ _id: 'evt:AFTER:1:D1' });
    await o.writeReplicated(downloaded(10, 10));
    expect((await o.db.info()).doc_count).toBe(21);
  });

  it('a worker that dies fails its slice, and the window writes the next download itself', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // Starts as the writer does, then dies at its first slice.
    const dying = `self.onmessage = (e) => {
      if (e.data.type === 'write') throw new Error('worker gone');
      self.postMessage({ id: e.data.id, ok: true });
    };`;
    const o = await office({
      replicatedSlice: 4,
      replicaWorker: () => new Worker(URL.createObjectURL(new Blob([dying], { type: 'text/javascript' }))),
    });
    await expect(o.writeReplicated(downloaded(0, 30))).rejects.toThrow('worker gone');
    await o.writeReplicated(downloaded(0, 30));
    await o.db.put({ _id: 'evt:AFTER:1:D1' });
    expect((await o.db.info()).doc_count).toBe(31);
    warn.mockRestore();
  });

  it('takes a server’s `_bulk_get` answers as they came: transferred to the worker, parsed and written there', async () => {
    const onSlice = vi.fn();
    const o = await office({ replicatedSlice: 10 });
    const [first, second] = [answer(downloaded(0, 20)), answer(downloaded(20, 5), ['evt:GONE:1:D9'])];
    await o.writeReplicated({ answers: [first, second], asked: 26 }, undefined, onSlice);
    // The window kept nothing of them: the buffers went to the worker (a copy would have left them whole).
    expect([first.byteLength, second.byteLength]).toEqual([0, 0]);
    // A revision gone from the server since it was listed is left out; the worker counted what it wrote.
    expect((await o.db.info()).doc_count).toBe(25);
    expect(await o.db.get('evt:S000024:1:D9')).toMatchObject({
      k: 24,
      _rev: `1-${(24).toString(16).padStart(32, '0')}`,
    });
    expect(onSlice).toHaveBeenCalledTimes(1);
    expect(onSlice.mock.calls[0]?.[0]).toMatchObject({ before: 0, after: 25, docs: 25 });
  });

  it('an answer’s error fails the write with the server’s reason, and nothing of that write is stored', async () => {
    for (const replicaWorker of [undefined, false as const]) {
      const o = await office({ replicatedSlice: 10, ...(replicaWorker === false ? { replicaWorker } : {}) });
      const refused = answer(downloaded(0, 20), [], ['evt:SECRET:1:D9']);
      await expect(o.writeReplicated({ answers: [refused], asked: 21 })).rejects.toThrow(
        '_bulk_get evt:SECRET:1:D9: not for this desk',
      );
      expect((await o.db.info()).doc_count).toBe(0);
    }
  });

  it('parses the answers on the window where the worker does not take them, and slices them as documents', async () => {
    const onSlice = vi.fn();
    const o = await office({ replicatedSlice: 10, replicaWorker: false });
    const bytes = answer(downloaded(0, 25), ['evt:GONE:1:D9']);
    await o.writeReplicated({ answers: [bytes], asked: 26 }, undefined, onSlice);
    expect((await o.db.info()).doc_count).toBe(25);
    expect(onSlice.mock.calls.map(([s]) => (s as { docs: number }).docs)).toEqual([10, 10, 5]);
  });

  it('writes on the window’s thread when the worker cannot start', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const o = await office({
      replicatedSlice: 4,
      replicaWorker: () =>
        new Worker(URL.createObjectURL(new Blob(['throw new Error("no")'], { type: 'text/javascript' }))),
    });
    await o.writeReplicated(downloaded(0, 30));
    expect((await o.db.info()).doc_count).toBe(30);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
