import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb-core';
import { afterAll, describe, expect, it } from 'vitest';
import { HUB_ADAPTER, LEVELDB_OPTIONS, leveldbAdapter } from './storage';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-hub-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Batch = (ops: unknown[], options: { sync?: boolean }, cb: (e?: Error) => void) => void;
type Open = (options: Record<string, unknown>, cb: (e?: Error) => void) => void;

describe('the hub’s storage', () => {
  it('is LevelDB on disk, and asks LevelDB to sync every write before it is acknowledged', async () => {
    // leveldown's own write method, as every instance inherits it: spied on to see the options
    // PouchDB's writes reach LevelDB with.
    const leveldown = createRequire(import.meta.url)('leveldown') as (location: string) => object;
    const proto = Object.getPrototypeOf(leveldown(path.join(dir, 'probe'))) as { _batch: Batch };
    const original = proto._batch;
    const syncs: (boolean | undefined)[] = [];
    proto._batch = function (this: unknown, ops, options, cb) {
      syncs.push(options.sync);
      return original.call(this, ops, options, cb);
    };
    try {
      const Pouch = PouchDB.plugin(leveldbAdapter);
      const db = new Pouch(path.join(dir, 'office_alm01'), { adapter: HUB_ADAPTER });
      await db.put({ _id: 'evt:A:1:D', n: 1 });
      await db.bulkDocs([{ _id: 'evt:A:2:D' }, { _id: 'evt:A:3:D' }]);
      await db.put({ _id: '_local/x', n: 1 });
      expect(syncs.length).toBeGreaterThanOrEqual(3);
      expect(syncs.every((s) => s === true)).toBe(true);
      const info = await db.info();
      expect(info).toMatchObject({ doc_count: 3, backend_adapter: 'syncedLeveldown' });
      await db.close();
      // Reopened: still there (on disk, not in memory).
      const again = new Pouch(path.join(dir, 'office_alm01'), { adapter: HUB_ADAPTER });
      expect((await again.allDocs()).rows.map((r) => r.id)).toEqual(['evt:A:1:D', 'evt:A:2:D', 'evt:A:3:D']);
      await again.close();
    } finally {
      proto._batch = original;
    }
  });

  it('opens LevelDB with few open files, which bounds the table files mapped into memory', async () => {
    const leveldown = createRequire(import.meta.url)('leveldown') as (location: string) => object;
    const proto = Object.getPrototypeOf(leveldown(path.join(dir, 'probe-open'))) as { _open: Open };
    const original = proto._open;
    const opened: Record<string, unknown>[] = [];
    proto._open = function (this: unknown, options, cb) {
      opened.push(options);
      return original.call(this, options, cb);
    };
    try {
      const Pouch = PouchDB.plugin(leveldbAdapter);
      const db = new Pouch(path.join(dir, 'office_open'), { adapter: HUB_ADAPTER });
      await db.info();
      await db.close();
      expect(opened.length).toBeGreaterThan(0);
      for (const o of opened) expect(o).toMatchObject(LEVELDB_OPTIONS);
    } finally {
      proto._open = original;
    }
  });
});
