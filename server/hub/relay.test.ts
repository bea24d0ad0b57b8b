import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb-core';
import replication from 'pouchdb-replication';
import { afterAll, describe, expect, it } from 'vitest';
import { PULL_SELECTORS, PUSH_SELECTOR, tolerantInfo } from './relay';
import { HUB_ADAPTER, leveldbAdapter } from './storage';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-hub-relay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const Pouch = PouchDB.plugin(leveldbAdapter).plugin(replication);
const open = (name: string): PouchDB.Database => new Pouch(path.join(dir, name), { adapter: HUB_ADAPTER });

describe('what the hub relays', () => {
  it('pushes events and desk-key escrows, pulls those and the staff directory (scans apart); never design or local documents', async () => {
    // The selectors as a replication's changes feed applies them (CouchDB 3's filter=_selector).
    const db = open('selectors');
    const ids = [
      'evt:A:1:D:00',
      'deskkey:D01:00',
      'staff:aigerim',
      '_design/kense',
      '_local/x',
      'org.couchdb.user:x',
      'evtx',
      'deskkeyx',
      'xstaff:y',
    ];
    for (const _id of ids) await db.put(_id.startsWith('evt:') ? { _id, kind: 'registered' } : { _id });
    await db.put({ _id: 'evt:A:2:D:00', kind: 'attachment_added' });
    const passing = async (selector: object): Promise<string[]> =>
      (await db.changes({ selector })).results.map((r) => r.id);
    expect(await passing(PUSH_SELECTOR)).toEqual(['evt:A:1:D:00', 'deskkey:D01:00', 'evt:A:2:D:00']);
    expect(await passing(PULL_SELECTORS.events)).toEqual(['evt:A:1:D:00']);
    expect(await passing(PULL_SELECTORS.scans)).toEqual(['evt:A:2:D:00']);
    expect(await passing(PULL_SELECTORS.others)).toEqual(['deskkey:D01:00', 'staff:aigerim']);
  });

  it('a failing info() on the source after a batch does not end the process (tolerantInfo)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const source = open('source');
      await source.bulkDocs([{ _id: 'evt:A:1:D' }, { _id: 'evt:A:2:D' }]);
      // Central answers the replication's first info() and then drops, as an uplink does.
      const info = source.info.bind(source);
      let calls = 0;
      source.info = () => (++calls === 1 ? info() : Promise.reject(new Error('socket hang up')));
      const r = await open('target').replicate.from(tolerantInfo(source));
      expect(r.docs_written).toBe(2);
      expect(calls).toBeGreaterThan(1);
      await new Promise((res) => setTimeout(res, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
