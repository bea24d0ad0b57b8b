import memory from 'pouchdb-adapter-memory';
import { describe, expect, it } from 'vitest';
import { PouchDB } from './pouch';
import { pushEvents, pushScans } from './sync';

// The desk's PouchDB (replication included) with an in-memory adapter for this test.
PouchDB.plugin(memory);

let serial = 0;
const db = (): PouchDB.Database => new PouchDB(`filters-${++serial}`, { adapter: 'memory' });

/** Two events of aigerim (one a scan), one of bolat, and a design document pulled from central. */
async function desk(): Promise<PouchDB.Database> {
  const d = db();
  await d.bulkDocs([
    { _id: 'evt:A1:1:D01', kind: 'registered', actor: { login: 'aigerim' } },
    {
      _id: 'evt:A1:2:D01',
      kind: 'attachment_added',
      actor: { login: 'aigerim' },
      _attachments: { 'scan.jpg': { content_type: 'image/jpeg', data: btoa('scan') } },
    },
    { _id: 'evt:A2:1:D01', kind: 'registered', actor: { login: 'bolat' } },
    { _id: '_design/kense', views: {} },
  ]);
  return d;
}

async function pushed(filter: typeof pushEvents, query_params?: { author: string }): Promise<string[]> {
  const [from, to] = [await desk(), db()];
  // As startSync runs them: PouchDB's own replication, which hands the filter its `req`.
  await from.replicate.to(to, { filter, ...(query_params ? { query_params } : {}) });
  return (await to.allDocs()).rows.map((r) => r.id).sort();
}

describe('the push filters, as PouchDB calls them', () => {
  it('without an author (the hub, an administrator): events and the rest, scans apart', async () => {
    expect(await pushed(pushEvents)).toEqual(['_design/kense', 'evt:A1:1:D01', 'evt:A2:1:D01']);
    // Once, the scans' filter threw without query_params, and PouchDB took that for "send it":
    // every event went up a second time, one per request.
    expect(await pushed(pushScans)).toEqual(['evt:A1:2:D01']);
  });

  it("with an author: that person's events only, scans in their own push", async () => {
    expect(await pushed(pushEvents, { author: 'aigerim' })).toEqual(['evt:A1:1:D01']);
    expect(await pushed(pushScans, { author: 'aigerim' })).toEqual(['evt:A1:2:D01']);
    expect(await pushed(pushScans, { author: 'bolat' })).toEqual([]);
  });

  it('keeps fixed names, so that a new build keeps its replication checkpoints', () => {
    expect(String(pushEvents)).toBe('kense:push-events:1');
    expect(String(pushScans)).toBe('kense:push-scans:1');
  });
});
