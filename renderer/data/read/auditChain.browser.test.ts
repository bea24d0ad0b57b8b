import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { checkChains, eventHash, linkEvent, type RawDoc } from '@shared/audit';
import { loadCatalogue } from '@shared/catalogue';
import { makeEvent, type ActorRef } from '@shared/events';
import { testPermitIntake, testPermitService } from '../../../tests/fixtures/testService';
import { ownHeads, writeChained } from './auditChain';
import { Desk } from '../desk';
import { DEVICE_DOC_ID, openOfficeDb, type DeviceDoc } from '../store/officeDb';
import { PouchDB } from '../store/pouch';
import { readModelName } from '../store/readModel';
import { throwawayDeskKeys } from '../seal/deskKeys';
import { seedStaffDirectory } from '../../../tests/fixtures/staffDirectory';

/** One desk secret for the whole file: a desk reopened in a test must find its data readable. */
const testKeys = throwawayDeskKeys();

const catalogue = loadCatalogue([testPermitService]);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk' };
const head: ActorRef = { login: 'head1', role: 'head' };
const intake = testPermitIntake;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function dbName(): string {
  const name = `chain_${Math.random().toString(36).slice(2, 8)}`;
  cleanup.push(async () => {
    await Dexie.delete(readModelName(name));
    await new PouchDB(name, { adapter: 'indexeddb' }).destroy();
  });
  return name;
}

async function openDesk(name: string): Promise<Desk> {
  const desk = await Desk.open({ office: 'ALM01', desk: 'D01', dbName: name, keys: await testKeys }, catalogue);
  cleanup.push(() => desk.close().catch(() => undefined));
  await seedStaffDirectory(desk.office.db);
  await desk.settled();
  return desk;
}

async function allEvents(db: PouchDB.Database): Promise<RawDoc[]> {
  const r = await db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0', include_docs: true });
  return r.rows.map((row) => row.doc as unknown as RawDoc);
}

describe('the audit chain as the desk writes it (real IndexedDB)', () => {
  it('links every event of the device, across a restart, attachments by their stored digest', async () => {
    const name = dbName();
    let desk = await openDesk(name);
    const reg = await desk.registerApplication('registered', clerk, intake);
    expect(reg.chain).toEqual({ seq: 1, prev: null });
    const scan = new Blob([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], { type: 'image/png' });
    const att = await desk.attach(reg.appId, clerk, { name: 'scan.png', type: 'image/png', data: scan });
    expect(att.chain?.seq).toBe(2);
    await desk.close();

    desk = await openDesk(name);
    const res = await desk.append(reg.appId, 'resolution', head, {
      stepId: 's3',
      executor: 'exec1',
      executorName: 'Дана',
    });
    const stored = await allEvents(desk.office.db);
    const byId = new Map(stored.map((d) => [String(d['_id']), d]));
    // The link covers what the replica stores: the attachment's digest as PouchDB computed it.
    expect(res.chain).toEqual({ seq: 3, prev: eventHash(byId.get(att._id)!) });
    expect(att.chain?.prev).toBe(eventHash(byId.get(reg._id)!));
    const device = await desk.office.db.get<DeviceDoc>(DEVICE_DOC_ID);
    expect(device.chain).toEqual({ seq: 3, hash: eventHash(byId.get(res._id)!), eventId: res._id });
    expect(device.sequence).toBe(1);
    const report = checkChains(stored, { heads: await ownHeads(desk.office.db) });
    expect(report.findings).toEqual([]);
    expect(report.devices).toMatchObject([{ device: desk.deviceId, status: 'ok', chained: 3, anchored: true }]);
    // And parseEvent keeps the link for the fold and the card.
    expect((await desk.eventsOf(reg.appId)).map((e) => e.chain?.seq)).toEqual([1, 2, 3]);
  });

  it('head and event are one transaction: an append aborted at the commit leaves neither, and the next one links to the last event written', async () => {
    const name = dbName();
    const desk = await openDesk(name);
    const reg = await desk.registerApplication('registered', clerk, intake);
    const before = await desk.office.db.get<DeviceDoc>(DEVICE_DOC_ID);

    // The process "dies" inside the transaction: the device document is put, then the
    // transaction is aborted before it commits (as a crash or a full disk would).
    const proto = IDBObjectStore.prototype;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound below
    const put = proto.put;
    let aborted = 0;
    proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const req = put.call(this, value, key);
      if ((value as { id?: unknown } | null)?.id === DEVICE_DOC_ID && aborted === 0) {
        aborted++;
        this.transaction.abort();
      }
      return req;
    } as IDBObjectStore['put'];
    try {
      await expect(
        desk.append(reg.appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' }),
      ).rejects.toBeDefined();
    } finally {
      proto.put = put;
    }
    expect(aborted).toBe(1);
    expect(await allEvents(desk.office.db)).toHaveLength(1);
    const after = await desk.office.db.get<DeviceDoc>(DEVICE_DOC_ID);
    expect(after.chain).toEqual(before.chain);

    const res = await desk.append(reg.appId, 'resolution', head, {
      stepId: 's3',
      executor: 'exec1',
      executorName: 'Дана',
    });
    expect(res.chain).toEqual({ seq: 2, prev: before.chain?.hash });
    const report = checkChains(await allEvents(desk.office.db), { heads: await ownHeads(desk.office.db) });
    expect(report.ok).toBe(true);
  });

  it('events written before the chain are reported as such, and the chain starts after them', async () => {
    const name = dbName();
    const desk = await openDesk(name);
    // An event as the previous version of the desk wrote it: no link, no head.
    const legacy = makeEvent({
      kind: 'registered',
      appId: 'AOLD1',
      office: 'ALM01',
      device: desk.deviceId,
      clock: { wall: Date.parse('2026-01-05T05:00:00Z'), counter: 0 },
      now: Date.parse('2026-01-05T05:00:00Z'),
      actor: clerk,
      payload: { ...intake, regNumber: 'ALM01-D01-000900' },
    });
    await desk.office.db.put(legacy);
    const reg = await desk.registerApplication('registered', clerk, intake);
    expect(reg.chain).toEqual({ seq: 1, prev: null });
    const report = checkChains(await allEvents(desk.office.db), { heads: await ownHeads(desk.office.db) });
    expect(report.findings).toEqual([]);
    expect(report.devices[0]).toMatchObject({ status: 'ok', beforeChain: 1, chained: 1 });
    expect(report.status[legacy._id]).toBe('beforeChain');
  });
});

describe('the device document tells the truth when PouchDB refuses one of the two documents', () => {
  it('a refused device document is written again with the head of the event that was stored', async () => {
    const name = dbName();
    const office = await openOfficeDb('ALM01', { name });
    cleanup.push(() => office.close());
    const device = await office.device();
    const e = makeEvent({
      kind: 'withdrawn',
      appId: 'A1',
      office: 'ALM01',
      device: device.deviceId,
      clock: { wall: Date.parse('2026-03-10T05:00:00Z'), counter: 0 },
      now: Date.parse('2026-03-10T05:00:00Z'),
      actor: clerk,
      payload: {},
    });
    const written = await office.writeWithDevice(async (d) => {
      // Another writer moves the device document on: the one in the batch is now a conflict.
      await office.db.put({ ...d });
      const { doc, head } = linkEvent(e as unknown as RawDoc, d.chain ?? null);
      return { doc: doc as unknown as typeof e, device: { ...d, chain: head } };
    });
    // The link is content: the id the event is stored under is the linked one's.
    expect(written._id).not.toBe(e._id);
    expect((await office.db.get(written._id))._id).toBe(written._id);
    expect((await office.device()).chain).toEqual({
      seq: 1,
      hash: eventHash(written as unknown as RawDoc),
      eventId: written._id,
    });
  });

  it('a refused event leaves the head where it was, and the append fails', async () => {
    const name = dbName();
    const office = await openOfficeDb('ALM01', { name });
    cleanup.push(() => office.close());
    const device = await office.device();
    const e = makeEvent({
      kind: 'withdrawn',
      appId: 'A1',
      office: 'ALM01',
      device: device.deviceId,
      clock: { wall: Date.parse('2026-03-10T05:00:00Z'), counter: 0 },
      now: Date.parse('2026-03-10T05:00:00Z'),
      actor: clerk,
      payload: {},
    });
    // Something already stored under the id the linked event will have.
    await office.db.put({ ...linkEvent(e as unknown as RawDoc, null).doc, note: 'already there' });
    await expect(
      office.writeWithDevice((d) => {
        const { doc, head } = linkEvent(e as unknown as RawDoc, d.chain ?? null);
        return Promise.resolve({ doc: doc as unknown as typeof e, device: { ...d, chain: head } });
      }),
    ).rejects.toBeDefined();
    expect((await office.device()).chain).toBeUndefined();
  });
});

describe('two windows on one office database', () => {
  it('take turns at the head: their appends make one chain, never a fork', async () => {
    const name = dbName();
    const a = await openOfficeDb('ALM01', { name });
    const b = await openOfficeDb('ALM01', { name });
    cleanup.push(async () => {
      await a.close();
      await b.close();
    });
    const { deviceId } = await a.device();
    const writes = Array.from({ length: 12 }, (_, i) => {
      const e = makeEvent({
        kind: 'withdrawn',
        appId: `A${i}`,
        office: 'ALM01',
        device: deviceId,
        clock: { wall: Date.parse('2026-03-10T05:00:00Z') + i, counter: 0 },
        now: Date.parse('2026-03-10T05:00:00Z'),
        actor: clerk,
        payload: {},
      });
      return writeChained(i % 2 ? a : b, e, () => undefined);
    });
    const written = await Promise.all(writes);
    expect(written.map((e) => e.chain?.seq).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const report = checkChains(await allEvents(a.db), { heads: await ownHeads(a.db) });
    expect(report.findings).toEqual([]);
  });
});
