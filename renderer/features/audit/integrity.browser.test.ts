import { afterEach, describe, expect, it } from 'vitest';
import { linkEvent, type ChainHead, type RawDoc } from '@shared/audit';
import { makeEvent } from '@shared/events';
import { DEVICE_DOC_ID } from '../../data/officeDb';
import { PouchDB } from '../../data/pouch';
import { checkReplica, userActions, type ScanProgress } from './integrity';

const T0 = Date.parse('2026-03-02T04:00:00Z');
const dbs: PouchDB.Database[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.destroy();
});

/** A replica holding two devices' chains (`n` events each), with device D1's head as its own. */
async function replica(n: number): Promise<PouchDB.Database> {
  const db = new PouchDB(`integrity_${Math.random().toString(36).slice(2, 8)}`, { adapter: 'indexeddb' });
  dbs.push(db);
  const docs: RawDoc[] = [];
  let ownHead: ChainHead | null = null;
  for (const device of ['D1', 'D2']) {
    let head: ChainHead | null = null;
    for (let i = 0; i < n; i++) {
      const e = makeEvent({
        kind: 'withdrawn',
        appId: `A${i}`,
        office: 'ALM01',
        device,
        clock: { wall: T0 + i * 3_600_000, counter: 0 },
        now: T0 + i * 3_600_000,
        actor: { login: i % 2 ? 'bolat' : 'aigerim', role: 'clerk' },
        payload: { note: `${i}` },
      });
      const linked: { doc: RawDoc; head: ChainHead } = linkEvent(e as unknown as RawDoc, head);
      head = linked.head;
      docs.push(linked.doc);
    }
    if (device === 'D1') ownHead = head;
  }
  await db.bulkDocs(docs as unknown as PouchDB.Core.PutDocument<object>[]);
  await db.put({ _id: DEVICE_DOC_ID, deviceId: 'D1', office: 'ALM01', desk: 'D01', sequence: 0, chain: ownHead });
  return db;
}

describe('the integrity check over a local replica', () => {
  it('reads and hashes page by page with progress, and vouches for its own last event', async () => {
    const db = await replica(600);
    const seen: ScanProgress[] = [];
    const report = await checkReplica(db, (p) => seen.push(p));
    expect(report.ok).toBe(true);
    expect(report.events).toBe(1200);
    expect(report.devices.map((d) => [d.device, d.chained, d.anchored])).toEqual([
      ['D1', 600, true],
      ['D2', 600, false],
    ]);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual({ done: 1200, total: 1200 });
  });

  it('catches the own desk last event removed, which nothing else could vouch for', async () => {
    const db = await replica(3);
    const all = await db.allDocs({ include_docs: true, startkey: 'evt:', endkey: 'evt:\ufff0' });
    const last = all.rows.find((r) => (r.doc as unknown as RawDoc)['device'] === 'D1' && r.id.startsWith('evt:A2:'));
    // Removed without a trace (the indexeddb adapter's purge: no tombstone, no revision).
    await (db as unknown as { purge: (id: string, rev: string) => Promise<unknown> }).purge(
      last?.id ?? '',
      last?.value.rev ?? '',
    );
    const report = await checkReplica(db);
    expect(report.findings).toMatchObject([{ kind: 'deleted', reason: 'tailMissing', device: 'D1', seqFrom: 3 }]);
  });

  it("lists one person's actions in a date range, oldest first", async () => {
    const db = await replica(30);
    const from = T0 + 5 * 3_600_000;
    const to = T0 + 15 * 3_600_000;
    const actions = await userActions(db, 'bolat', from, to);
    expect(actions.map((e) => e.payload)).toEqual([5, 5, 7, 7, 9, 9, 11, 11, 13, 13].map((i) => ({ note: `${i}` })));
    expect(actions.every((e) => e.actor.login === 'bolat' && e.chain)).toBe(true);
  });
});
