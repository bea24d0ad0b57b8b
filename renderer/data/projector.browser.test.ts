import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { PouchDB } from './pouch';
import { Projector, type ProjectFn, type StoredEvent } from './projector';
import { throwawayDeskKeys, type DeskKeys } from './deskKeys';
import { openReadModel, type ReadModel } from './readModel';
import { openedModelDump } from './sealedRows';

// A stand-in fold: the real one is the workflow engine. Deterministic in the events' order.
const project: ProjectFn = (appId, events, now) => {
  const sorted = [...events].sort((a, b) =>
    a.hlc === b.hlc ? a.device.localeCompare(b.device) : a.hlc < b.hlc ? -1 : 1,
  );
  const last = sorted[sorted.length - 1];
  return {
    application: {
      appId,
      office: 'ALM01',
      regNumber: `ALM01-D01-${appId}`,
      serviceId: 's',
      serviceVersion: '1',
      variantId: 'v',
      channel: null,
      status: last?.kind ?? 'none',
      stepId: null,
      stepKind: null,
      role: null,
      assignee: null,
      stepDueAt: null,
      dueAt: null,
      overdue: 0,
      atRisk: 0,
      applicantId: null,
      applicantName: '',
      searchText: [],
      registeredAt: null,
      updatedAt: now,
      eventCount: sorted.length,
      outcome: null,
      closedAt: null,
      superseded: 0,
    },
    applicant: null,
    journal: sorted
      .filter((e) => e.kind === 'registered')
      .map((e) => ({
        id: e._id,
        appId,
        journal: 'registration' as const,
        at: 0,
        regNumber: null,
        number: null,
        data: {},
      })),
  };
};

let n = 0;
const ev = (appId: string, kind: string, device = 'D1'): StoredEvent => {
  n++;
  const hlc = String(n).padStart(12, '0');
  return { _id: `evt:${appId}:${hlc}:${device}`, appId, kind, hlc, device };
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(): Promise<{ db: PouchDB.Database; model: ReadModel; projector: Projector; keys: DeskKeys }> {
  const name = `proj_${Math.random().toString(36).slice(2, 8)}`;
  const db = new PouchDB(name, { adapter: 'indexeddb' });
  const model = openReadModel(name);
  const keys = await throwawayDeskKeys();
  const projector = new Projector(db, model, project, keys, () => 1000);
  cleanup.push(async () => {
    projector.stop();
    model.close();
    await Dexie.delete(model.name);
    await db.destroy();
  });
  return { db, model, projector, keys };
}

describe('projector (PouchDB changes → Dexie read model, in Chromium)', () => {
  it('projects appended events and keeps a checkpoint', async () => {
    const { db, model, projector } = await setup();
    await db.bulkDocs([ev('A1', 'registered'), ev('A1', 'resolution'), ev('A2', 'registered')]);
    await projector.catchUp();
    expect(await model.applications.get('A1')).toMatchObject({ status: 'resolution', eventCount: 2 });
    expect(await model.applications.get('A2')).toMatchObject({ status: 'registered', eventCount: 1 });
    expect(await model.journal.count()).toBe(2);
    await db.put(ev('A2', 'signed'));
    await projector.catchUp();
    expect(await model.applications.get('A2')).toMatchObject({ status: 'signed', eventCount: 2 });
  });

  it('replaying from zero yields an identical read model, with progress', async () => {
    const { db, model, projector, keys } = await setup();
    const docs = Array.from({ length: 1200 }, (_, i) => ev(`B${i % 150}`, i % 7 === 0 ? 'registered' : 'note_added'));
    await db.bulkDocs(docs);
    await projector.catchUp();
    const before = await openedModelDump(model, keys);
    const progress: number[] = [];
    await projector.rebuild((p) => progress.push(p.processed));
    expect(await openedModelDump(model, keys)).toEqual(before);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[progress.length - 1]).toBe(1200);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('events that arrive by replication take the same path as local ones', async () => {
    const { db, model, projector } = await setup();
    projector.start();
    const other = new PouchDB(`other_${Math.random().toString(36).slice(2, 8)}`, { adapter: 'indexeddb' });
    cleanup.push(() => other.destroy());
    await other.bulkDocs([ev('C1', 'registered', 'D2'), ev('C1', 'resolution', 'D2')]);
    await db.replicate.from(other);
    await db.put(ev('C1', 'executor_assigned', 'D1'));
    const deadline = Date.now() + 5000;
    while ((await model.applications.get('C1'))?.eventCount !== 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await model.applications.get('C1')).toMatchObject({ status: 'executor_assigned', eventCount: 3 });
  });
});
