import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '@shared/calendar';
import { loadCatalogue } from '@shared/catalogue';
import { makeEvent, parseHlc, type ActorRef, type EventDoc, type PayloadOf } from '@shared/events';
import { drive } from '@shared/workflow/drive';
import { testPermitService } from '../../../tests/fixtures/testService';
import { blindIndex } from '../seal/blindIndex';
import { Desk } from '../desk';
import { makeProjectFn } from '../projection/project';
import { PouchDB } from '../store/pouch';
import { throwawayDeskKeys, type DeskKeys } from '../seal/deskKeys';
import { Projector } from '../projection/projector';
import { openReadModel, readModelName, type ReadModel } from '../store/readModel';
import { findApplicant, openedModelDump } from '../seal/sealedRows';
import { seedStaffDirectory } from '../../../tests/fixtures/staffDirectory';

/** One desk secret for the whole file: a desk reopened in a test must find its data readable. */
const testKeys = throwawayDeskKeys();

/**
 * Deterministic regressions for what the randomised reliability test (tests/integration/
 * reliability.test.ts) found: replicas that saw the same events in a different order must end with
 * the same read model, and a desk must be able to act after events stamped by a clock ahead of its own.
 */

const catalogue = loadCatalogue([testPermitService]);
const T = Date.parse('2026-03-10T05:00:00Z');
const clerk: ActorRef = { login: 'clerk1', role: 'clerk' };
const head: ActorRef = { login: 'head1', role: 'head' };
const exec: ActorRef = { login: 'exec1', role: 'executor' };
const intake = (title: string): Omit<PayloadOf<'registered'>, 'regNumber'> => ({
  serviceId: 'test-permit',
  serviceVersion: '1',
  variantId: 'issue',
  channel: 'provider_office',
  applicant: { kind: 'legal_entity', bin: '940140000385', title },
  documents: [{ id: 'application', received: true }],
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function projectorOn(): Promise<{
  db: PouchDB.Database;
  model: ReadModel;
  projector: Projector;
  keys: DeskKeys;
}> {
  const name = `conv_${Math.random().toString(36).slice(2, 8)}`;
  const db = new PouchDB(name, { adapter: 'indexeddb' });
  const model = openReadModel(name);
  const keys = await throwawayDeskKeys();
  const projector = new Projector(db, model, makeProjectFn(catalogue, DEFAULT_CALENDAR), keys, () => T);
  cleanup.push(async () => {
    projector.stop();
    model.close();
    await Dexie.delete(model.name);
    await db.destroy();
  });
  return { db, model, projector, keys };
}

async function openDesk(desk: string, now: number): Promise<Desk> {
  const dbName = `conv_${desk}_${Math.random().toString(36).slice(2, 8)}`;
  const d = await Desk.open({ office: 'ALM01', desk, dbName, now: () => now, keys: await testKeys }, catalogue);
  cleanup.push(async () => {
    await d.close().catch(() => undefined);
    await Dexie.delete(readModelName(dbName));
    await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
  });
  await seedStaffDirectory(d.office.db);
  await d.settled();
  return d;
}

async function findApplicantByBin(model: ReadModel, keys: DeskKeys, bin: string): ReturnType<typeof findApplicant> {
  return findApplicant(model, keys, await blindIndex(keys.index).id(bin), bin);
}

describe('replicas converge whatever order the events arrive in', () => {
  it('an issuance superseded by a replicated withdrawal leaves the outgoing journal', async () => {
    const { db, model, projector, keys } = await projectorOn();
    const { events, state } = drive({
      service: testPermitService,
      variantId: 'issue',
      calendar: DEFAULT_CALENDAR,
      start: T,
    });
    expect(state.status).toBe('closed');
    const issued = events.find((e) => e.kind === 'issued');
    const clock = issued && parseHlc(issued.hlc);
    if (!issued || !clock) throw new Error('the drive issued nothing');
    await db.bulkDocs(events);
    await projector.catchUp();
    expect(await model.journal.filter((j) => j.appId === 'A1').count()).toBe(2); // registration + outgoing

    // Another desk recorded a withdrawal just before the issuance (in HLC order); it arrives now.
    const withdrawn: EventDoc = makeEvent({
      kind: 'withdrawn',
      appId: 'A1',
      office: 'ALM01',
      device: 'D0',
      clock: { wall: clock.wall - 1, counter: 0 },
      now: clock.wall - 1,
      actor: clerk,
      payload: {},
    });
    await db.put(withdrawn);
    await projector.catchUp();
    expect(await model.applications.get('A1')).toMatchObject({ status: 'withdrawn', superseded: 1 });
    const rows = await model.journal.filter((j) => j.appId === 'A1').toArray();
    expect(rows.map((r) => r.journal)).toEqual(['registration']);

    const incremental = await openedModelDump(model, keys);
    await projector.rebuild();
    expect(await openedModelDump(model, keys)).toEqual(incremental);
  });

  it('the applicant row keeps the latest registration, even when an older one is projected last', async () => {
    const { db, model, projector, keys } = await projectorOn();
    const reg = (appId: string, at: number, title: string): EventDoc =>
      makeEvent({
        kind: 'registered',
        appId,
        office: 'ALM01',
        device: 'D1',
        clock: { wall: at, counter: 0 },
        now: at,
        actor: clerk,
        payload: { ...intake(title), regNumber: `ALM01-D1-${appId}` },
      });
    // The newer registration first (it was made here), the older one later (it came by sync) ...
    await db.put(reg('NEW1', T, 'ТОО «Жаңа»'));
    await projector.catchUp();
    await db.put(reg('OLD1', T - 86_400_000, 'ТОО «Ескі»'));
    await projector.catchUp();
    // ... and then an action on the older application re-projects it.
    const resolution = makeEvent({
      kind: 'resolution',
      appId: 'OLD1',
      office: 'ALM01',
      device: 'D1',
      clock: { wall: T + 1, counter: 0 },
      now: T + 1,
      actor: head,
      payload: { stepId: 's3', executor: 'exec1', executorName: 'Дана' },
    });
    await db.put(resolution);
    await projector.catchUp();
    expect(await findApplicantByBin(model, keys, '940140000385')).toMatchObject({ name: 'ТОО «Жаңа»' });
    const dumped = await openedModelDump(model, keys);
    expect(dumped.applicants).toHaveLength(1);
    expect(dumped.applicants[0]).toMatchObject({ lastAppId: 'NEW1', lastSeenAt: T });
    const incremental = await openedModelDump(model, keys);
    await projector.rebuild();
    expect(await openedModelDump(model, keys)).toEqual(incremental);
  });
});

describe('a desk acts after events stamped by a clock ahead of its own', () => {
  it('the action sorts after what the desk has seen, and counts', async () => {
    // D02's wall clock is five minutes behind D01's.
    const d01 = await openDesk('D01', T);
    const d02 = await openDesk('D02', T - 5 * 60_000);
    const reg = await d01.registerApplication('registered', clerk, intake('ТОО «Құрылыс»'));
    await d01.append(reg.appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    await d01.office.db.replicate.to(d02.office.db);

    const done = await d02.append(reg.appId, 'step_done', exec, { stepId: 's4', outcome: 'done' });
    const state = await d02.state(reg.appId);
    expect(state.problems).toEqual([]);
    expect(state.superseded).toEqual([]);
    expect(state.history.map((h) => h.eventId)).toContain(done._id);
    expect(state.step?.id).toBe('s5');
    // And D01 folds it the same way once it arrives.
    await d02.office.db.replicate.to(d01.office.db);
    expect((await d01.state(reg.appId)).step?.id).toBe('s5');
  });
});
