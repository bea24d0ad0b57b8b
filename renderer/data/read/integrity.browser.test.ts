import { afterEach, describe, expect, it } from 'vitest';
import { linkEvent, type ChainHead, type RawDoc } from '@shared/audit';
import { legacyEventId, makeEvent } from '@shared/events';
import { DEVICE_DOC_ID } from '../store/officeDb';
import { PouchDB } from '../store/pouch';
import { verifiedRevision, type LeafDoc } from '../projection/verifiedEvents';
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

  it('shows the genuine revision when a forged one won the conflict, and names the forgery (finding 2)', async () => {
    const db = await replica(3);
    const all = await db.allDocs<RawDoc>({ include_docs: true, startkey: 'evt:A1:', endkey: 'evt:A1:\ufff0' });
    const genuine = all.rows.find((r) => (r.doc as unknown as RawDoc)['device'] === 'D2')?.doc as unknown as RawDoc;
    // Someone's document under the genuine event's id, as a new branch with a made-up revision
    // that sorts above the genuine one (so it wins on every replica), as an old server let through.
    const forged = { ...genuine, actor: { login: 'x', role: 'clerk' }, payload: { note: 'forged' } };
    await db.bulkDocs([{ ...forged, _rev: `1-${'f'.repeat(32)}` }] as unknown as PouchDB.Core.PutDocument<object>[], {
      new_edits: false,
    });
    const winner = (await db.get(String(genuine['_id']), { conflicts: true })) as unknown as LeafDoc;
    expect(winner['payload']).toEqual({ note: 'forged' });
    expect(((await verifiedRevision(db, winner)) as LeafDoc)['payload']).toEqual(genuine['payload']);

    const report = await checkReplica(db);
    expect(report.findings).toMatchObject([
      { kind: 'edited', reason: 'contentMismatch', device: 'D2', eventIds: [genuine['_id']] },
    ]);
    // The person's actions list the genuine event, not the forgery.
    const actions = await userActions(db, String((genuine['actor'] as { login: string }).login), 0, Date.now() * 2);
    expect(actions.find((e) => e._id === genuine['_id'])?.payload).toEqual(genuine['payload']);
  });

  it('reports a conflict under a legacy id, which names no content', async () => {
    const db = await replica(1);
    const e = makeEvent({
      kind: 'withdrawn',
      appId: 'AOLD',
      office: 'ALM01',
      device: 'D3',
      clock: { wall: T0, counter: 0 },
      now: T0,
      actor: { login: 'aigerim', role: 'clerk' },
      payload: {},
    });
    const legacy = { ...e, _id: legacyEventId('AOLD', e.hlc, 'D3') };
    await db.put(legacy);
    expect((await checkReplica(db)).ok).toBe(true);
    await db.bulkDocs([{ ...legacy, payload: { note: 'x' }, _rev: `1-${'f'.repeat(32)}` }], { new_edits: false });
    expect((await checkReplica(db)).findings).toMatchObject([
      { kind: 'edited', reason: 'conflictingRevision', device: 'D3', eventIds: [legacy._id] },
    ]);
  });
});
