import Dexie, { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import { appEventRange, type ActorRef } from '@shared/events';
import { testPermitIntake, testPermitService } from '../../tests/fixtures/testService';
import { AppendError, Desk } from './desk';
import { blindIndex } from './seal/blindIndex';
import { throwawayDeskKeys } from './seal/deskKeys';
import { PouchDB } from './store/pouch';
import { keepPurgedFacts, REPORT_DAYS_STALE } from './projection/projectBatch';
import { olderPurgedFacts, openReadModel, READ_MODEL_VERSION, readModelName, type StoredFact } from './store/readModel';
import { findApplicant, openApplicationPersonal } from './seal/sealedRows';
import { seedStaffDirectory } from '../../tests/fixtures/staffDirectory';

/** One desk secret for the whole file: a desk reopened in a test must find its data readable. */
const testKeys = throwawayDeskKeys();

const catalogue = loadCatalogue([testPermitService]);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk', name: 'Айгерім' };
const head: ActorRef = { login: 'head1', role: 'head' };
const exec: ActorRef = { login: 'exec1', role: 'executor' };

const intake = testPermitIntake;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function openDesk(dbName = `desk_${Math.random().toString(36).slice(2, 8)}`): Promise<Desk> {
  const desk = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await testKeys }, catalogue);
  cleanup.push(async () => {
    await desk.close().catch(() => undefined);
    await Dexie.delete(readModelName(dbName));
    await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
  });
  return desk;
}

type Registered = Awaited<ReturnType<Desk['registerApplication']>>;

/** Two applications on a desk with its staff directory, the first sent on to an executor, and that one's report fact. */
async function twoApplications(desk: Desk): Promise<{ a: Registered; b: Registered; fact: StoredFact }> {
  await seedStaffDirectory(desk.office.db);
  const a = await desk.registerApplication('registered', clerk, intake);
  const b = await desk.registerApplication('registered', clerk, intake);
  await desk.append(a.appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
  await desk.settled();
  const fact = await desk.model.reportFacts.get(a.appId);
  if (!fact) throw new Error('no report fact folded');
  return { a, b, fact };
}

describe('desk: appends pass the server rules and the workflow, then reach the read model', () => {
  it('registers with a desk number, and the application appears in the read model', async () => {
    const desk = await openDesk();
    // Folded, sealed and written off the window's thread (projectionWorker.ts).
    expect(desk.projector.where).toBe('worker');
    const e = await desk.registerApplication('registered', clerk, intake);
    expect(e.payload.regNumber).toBe('ALM01-D01-000001');
    await desk.settled();
    const row = await desk.model.applications.get(e.appId);
    expect(row).toMatchObject({
      regNumber: 'ALM01-D01-000001',
      status: 'in_progress',
      stepId: 's3',
      role: 'head',
    });
    expect(row && (await openApplicationPersonal(desk.keys, row))).toEqual({
      applicantName: 'ТОО «Құрылыс»',
      applicantId: '940140000385',
    });
    const token = await blindIndex(desk.keys.index).id('940140000385');
    expect(await findApplicant(desk.model, desk.keys, token, '940140000385')).toMatchObject({ kind: 'legal_entity' });
    expect(
      await desk.model.journal.where('[journal+at]').between(['registration', 0], ['registration', Infinity]).count(),
    ).toBe(1);
  });

  it('a purge removes applications through the projection’s worker, which keeps an applicant another still names', async () => {
    const desk = await openDesk();
    expect(desk.projector.where).toBe('worker');
    const a = await desk.registerApplication('registered', clerk, intake);
    const b = await desk.registerApplication('registered', clerk, intake);
    await desk.settled();
    const applicantKey = (await desk.model.applications.get(a.appId))?.applicantKey;
    expect(applicantKey).toBeTruthy();
    await desk.projector.drop([a.appId]);
    expect(await desk.model.applications.get(a.appId)).toBeUndefined();
    expect(await desk.model.journal.filter((j) => j.appId === a.appId).count()).toBe(0);
    // The same applicant (one intake) on b: kept until b goes too.
    expect(await desk.model.applicants.get(applicantKey ?? '')).toBeDefined();
    await desk.projector.drop([b.appId]);
    expect(await desk.model.applicants.get(applicantKey ?? '')).toBeUndefined();
    // The office's figures still count them: their report facts stay.
    expect(await desk.model.reportFacts.get(a.appId)).toBeDefined();
  });

  it('a purged application’s report fact stays through a rebuild and a later event of it', async () => {
    const desk = await openDesk();
    const { a, b, fact } = await twoApplications(desk);
    // Purged as purge.ts does: its events out of the replica, its rows out of the model.
    const db = desk.office.db as PouchDB.Database & { purge(id: string, rev: string): Promise<unknown> };
    const stored = (await db.allDocs({ ...appEventRange(a.appId), include_docs: true })).rows;
    const later = stored.map((r) => r.doc).find((d) => d !== undefined && d._id !== a._id);
    expect(later).toBeDefined();
    for (const r of stored) await db.purge(r.id, r.value.rev);
    await desk.projector.drop([a.appId]);
    // Its fact marked, found by the index of marked facts alone (not b's).
    expect(await desk.model.reportFacts.where('purged').equals(1).primaryKeys()).toEqual([a.appId]);
    await desk.projector.rebuild();
    expect(await desk.model.applications.get(a.appId)).toBeUndefined();
    expect(await desk.model.reportFacts.get(a.appId)).toEqual({ ...fact, purged: 1 });
    expect(await desk.model.reportFacts.get(b.appId)).toBeDefined();
    expect(await desk.model.reportFacts.where('purged').equals(1).primaryKeys()).toEqual([a.appId]);
    // The day index is built again from every fact, the carried one too.
    const days = await desk.model.reportDays.toArray();
    expect(days.some((d) => d.ids.split(' ').includes(a.appId))).toBe(true);
    // One of its events comes back by replication (another desk's copy): no registration, no say on the fact.
    await db.bulkDocs([later as PouchDB.Core.PutDocument<object>], { new_edits: false });
    await desk.settled();
    expect(await desk.model.reportFacts.get(a.appId)).toEqual({ ...fact, purged: 1 });
  });

  it('a new read-model version carries the facts of applications the desk purged from the model before it', async () => {
    const dbName = `desk_${Math.random().toString(36).slice(2, 8)}`;
    const desk = await openDesk(dbName);
    const { a, b, fact } = await twoApplications(desk);
    const db = desk.office.db as PouchDB.Database & { purge(id: string, rev: string): Promise<unknown> };
    for (const r of (await db.allDocs(appEventRange(a.appId))).rows) await db.purge(r.id, r.value.rev);
    await desk.projector.drop([a.appId]);
    await desk.close();
    // This model read as the one before the next version: its marked fact alone (not b's).
    const next = READ_MODEL_VERSION + 1;
    const carried = await olderPurgedFacts(dbName, next);
    expect(carried).toEqual([{ ...fact, purged: 1 }]);
    // Not from a model older than the facts' present shape.
    expect(await olderPurgedFacts(dbName, next, next)).toEqual([]);
    // Nor from the model of the version being opened.
    expect(await olderPurgedFacts(dbName)).toEqual([]);
    const model = openReadModel(dbName, next);
    cleanup.push(async () => {
      model.close();
      await Dexie.delete(readModelName(dbName, next));
    });
    await keepPurgedFacts(model, carried);
    expect(await model.reportFacts.toArray()).toEqual([{ ...fact, purged: 1 }]);
    expect(await model.reportFacts.get(b.appId)).toBeUndefined();
    // The day index is built again from every fact at the next catch-up's end.
    expect((await model.meta.get(REPORT_DAYS_STALE))?.value).toBe(1);
    // Carried again (a reload before the old model was dropped): no fact the model has is replaced.
    await model.meta.put({ key: REPORT_DAYS_STALE, value: 0 });
    await keepPurgedFacts(model, [{ ...fact, purged: 1, executor: 'someone' }]);
    expect(await model.reportFacts.toArray()).toEqual([{ ...fact, purged: 1 }]);
    expect((await model.meta.get(REPORT_DAYS_STALE))?.value).toBe(0);
  });

  it('a rebuild makes the model’s database anew: the worker writes the new one, live queries follow it', async () => {
    const desk = await openDesk();
    expect(desk.projector.where).toBe('worker');
    const a = await desk.registerApplication('registered', clerk, intake);
    await desk.settled();
    const counts: number[] = [];
    const live = liveQuery(() => desk.model.applications.count()).subscribe((c) => counts.push(c));
    // A row no event gives: gone with the old database.
    await desk.model.meta.put({ key: 'stray', value: 1 });
    // A connection of its own hears the database deleted (a version change to none), not cleared.
    let heard: number | null | undefined;
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(desk.model.name);
      open.onerror = () => reject(open.error ?? new Error('open failed'));
      open.onsuccess = () => {
        const conn = open.result;
        conn.onversionchange = (e) => {
          conn.close();
          heard = e.newVersion;
        };
        resolve();
      };
    });
    await desk.projector.rebuild();
    expect(heard).toBeNull();
    expect(await desk.model.meta.get('stray')).toBeUndefined();
    expect(await desk.model.applications.get(a.appId)).toMatchObject({ regNumber: 'ALM01-D01-000001' });
    // The worker's connection closed on the deletion; it opens again for the next write.
    const b = await desk.registerApplication('registered', clerk, intake);
    await desk.settled();
    expect(await desk.model.applications.get(b.appId)).toMatchObject({ regNumber: 'ALM01-D01-000002' });
    await expect.poll(() => counts[counts.length - 1]).toBe(2);
    live.unsubscribe();
  });

  it('a double click registers twice only as two distinct numbers, never the same one', async () => {
    const desk = await openDesk();
    const [a, b] = await Promise.all([
      desk.registerApplication('registered', clerk, intake),
      desk.registerApplication('registered', clerk, intake),
    ]);
    expect(a.payload.regNumber).not.toBe(b.payload.regNumber);
    expect(a.appId).not.toBe(b.appId);
  });

  it('refuses an action the workflow does not allow now, and writes nothing', async () => {
    const desk = await openDesk();
    const reg = await desk.registerApplication('registered', clerk, intake);
    await expect(desk.append(reg.appId, 'signed', head, { stepId: 's9' })).rejects.toMatchObject({
      code: 'workflow.notAllowed',
    });
    await expect(desk.append(reg.appId, 'step_done', clerk, { stepId: 's3', outcome: 'done' })).rejects.toBeInstanceOf(
      AppendError,
    );
    expect(await desk.eventsOf(reg.appId)).toHaveLength(1);
    await seedStaffDirectory(desk.office.db);
    await desk.settled();
    await desk.append(reg.appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    await desk.append(reg.appId, 'step_done', exec, { stepId: 's4', outcome: 'refused', ground: 'п. 10' });
    await desk.settled();
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({
      stepId: 's8',
      assignee: 'exec1',
      outcome: 'refused',
    });
  });

  it('an action until shown takes one projector pass, not a second, empty one after it', async () => {
    const desk = await openDesk();
    await seedStaffDirectory(desk.office.db);
    const reg = await desk.registerApplication('registered', clerk, intake);
    await desk.settled();
    // Counted at the projector's pass (a private method, replaced on this instance only).
    const projector = desk.projector as unknown as { pass: (...a: unknown[]) => Promise<void> };
    const pass = projector.pass.bind(projector);
    let passes = 0;
    projector.pass = (...a) => {
      passes++;
      return pass(...a);
    };
    await desk.append(reg.appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    await desk.settled();
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ eventCount: 2, assignee: 'exec1' });
    await desk.settled();
    expect(passes).toBe(1);
  });

  it('sends an application to an executor whose directory entry has arrived but is not projected yet', async () => {
    const desk = await openDesk();
    const reg = await desk.registerApplication('registered', clerk, intake);
    await desk.settled();
    // The projector held: the entries are in the replica, not in the read model.
    const projector = desk.projector as unknown as { pass: (...a: unknown[]) => Promise<void> };
    const pass = projector.pass.bind(projector);
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    projector.pass = async (...a) => {
      await held;
      return pass(...a);
    };
    await expect(
      desk.append(reg.appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' }),
    ).rejects.toMatchObject({ code: 'append.noStaffDirectory' });
    await seedStaffDirectory(desk.office.db);
    expect(await desk.model.staff.count()).toBe(0);
    await expect(
      desk.append(reg.appId, 'resolution', head, { stepId: 's3', executor: 'nobody', executorName: 'x' }),
    ).rejects.toMatchObject({ code: 'append.notActiveExecutor' });
    await desk.append(reg.appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    release();
    await desk.settled();
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ assignee: 'exec1' });
  });

  it('keeps the sequence across a restart and the read model survives being dropped', async () => {
    const name = `desk_${Math.random().toString(36).slice(2, 8)}`;
    let desk = await openDesk(name);
    const first = await desk.registerApplication('registered', clerk, intake);
    await desk.close();
    await Dexie.delete(readModelName(name));
    desk = await Desk.open({ office: 'ALM01', desk: 'D01', dbName: name, keys: await testKeys }, catalogue);
    const second = await desk.registerApplication('intake_refused', clerk, {
      ...intake,
      reason: 'incomplete',
      missing: ['application'],
    });
    expect(second.payload.regNumber).toBe('ALM01-D01-000002');
    expect(second.hlc > first.hlc).toBe(true);
    await desk.settled();
    expect(await desk.model.applications.get(first.appId)).toMatchObject({ regNumber: first.payload.regNumber });
    expect(await desk.model.applications.get(second.appId)).toMatchObject({ status: 'refused_at_intake' });
    await desk.close();
  });
});

describe('desk: a read model of an older version is dropped and rebuilt as the current one', () => {
  it('opens on the events alone: the old models gone, the rows and the report facts and days in the new one', async () => {
    const name = `desk_${Math.random().toString(36).slice(2, 8)}`;
    let desk = await openDesk(name);
    const reg = await desk.registerApplication('registered', clerk, intake);
    await desk.close();
    await Dexie.delete(readModelName(name));
    // As a desk that ran an earlier release left them: stale rows under the old names (and a newer
    // one's, as a downgrade leaves it); and another replica's model, whose name begins with this one's.
    const older = [READ_MODEL_VERSION - 2, READ_MODEL_VERSION - 1, READ_MODEL_VERSION + 1];
    const another = readModelName(`${name}_field`);
    cleanup.push(() => Dexie.delete(another));
    for (const n of [...older.map((v) => readModelName(name, v)), another]) {
      const old = new Dexie(n);
      old.version(1).stores({ applications: 'appId', meta: 'key' });
      await old.table('applications').put({ appId: reg.appId, status: 'stale' });
      await old.table('meta').put({ key: 'checkpoint', value: 99 });
      old.close();
    }
    desk = await Desk.open({ office: 'ALM01', desk: 'D01', dbName: name, keys: await testKeys }, catalogue);
    await desk.settled();
    const names = await Dexie.getDatabaseNames();
    expect(names).toContain(readModelName(name));
    for (const v of older) expect(names).not.toContain(readModelName(name, v));
    expect(names).toContain(another);
    expect(desk.model.name).toBe(readModelName(name, READ_MODEL_VERSION));
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ status: 'in_progress' });
    expect((await desk.model.search.get(reg.appId))?.tokens.length).toBeGreaterThan(0);
    expect(await desk.model.reportFacts.get(reg.appId)).toMatchObject({ appId: reg.appId });
    expect(await desk.model.reportDays.count()).toBeGreaterThan(0);
    expect((await desk.model.meta.get('reportDaysStale'))?.value).toBe(0);
    await desk.close();
  });
});

describe('desk: a forged revision under an event id is never shown as the event (issue 12, finding 2)', () => {
  it('folds the revision whose content the id names, even when a forged one wins the conflict', async () => {
    const desk = await openDesk();
    await seedStaffDirectory(desk.office.db);
    const reg = await desk.registerApplication('registered', clerk, intake);
    const resolution = await desk.append(reg.appId, 'resolution', head, {
      stepId: 's3',
      executor: 'exec1',
      executorName: 'Дана',
    });
    await desk.settled();
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ assignee: 'exec1' });
    // As an old server or a restored backup could hand it over: a clerk's content under the
    // head's event id, on a new branch whose made-up revision sorts first, so it wins.
    const forged = { ...resolution, payload: { ...resolution.payload, executor: 'clerk1' } };
    await desk.office.db.bulkDocs([{ ...forged, _rev: `1-${'f'.repeat(32)}` }], { new_edits: false });
    expect(((await desk.office.db.get(resolution._id)) as unknown as typeof resolution).payload.executor).toBe(
      'clerk1',
    );
    await desk.settled();
    expect((await desk.state(reg.appId)).assignee?.login).toBe('exec1');
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ assignee: 'exec1' });
  });

  it('refuses a scan whose bytes are not the ones its event records', async () => {
    const desk = await openDesk();
    const reg = await desk.registerApplication('registered', clerk, intake);
    const scan = new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 1, 2, 3])], { type: 'application/pdf' });
    const att = await desk.attach(reg.appId, clerk, { name: 'a.pdf', type: 'application/pdf', data: scan });
    expect(att.payload.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new Uint8Array(await (await desk.attachment(att._id, 'a.pdf')).arrayBuffer())).toEqual(
      new Uint8Array(await scan.arrayBuffer()),
    );
    // Other bytes under the same event (the id covers the payload, not the attachment itself).
    const stored = await desk.office.db.get(att._id);
    await desk.office.db.bulkDocs(
      [
        {
          ...stored,
          _rev: `2-${'f'.repeat(32)}`,
          _revisions: { start: 2, ids: ['f'.repeat(32), String(stored._rev).slice(2)] },
          _attachments: { 'a.pdf': { content_type: 'application/pdf', data: new Blob([new Uint8Array([9, 9, 9])]) } },
        },
      ],
      { new_edits: false },
    );
    await expect(desk.attachment(att._id, 'a.pdf')).rejects.toMatchObject({ code: 'attachment.mismatch' });
  });
});
