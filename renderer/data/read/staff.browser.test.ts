import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import { makeEvent, parseHlc, tickHlc, type ActorRef } from '@shared/events';
import { staffEntry, seedStaffDirectory, TEST_STAFF } from '../../../tests/fixtures/staffDirectory';
import { testPermitIntake, testPermitService } from '../../../tests/fixtures/testService';
import { Desk } from '../desk';
import { throwawayDeskKeys } from '../seal/deskKeys';
import { inboxCount, inboxRows } from './inbox';
import { PouchDB } from '../store/pouch';
import { readModelName } from '../store/readModel';
import { executorChoices, matchExecutors, staffDirectory } from './staff';

const testKeys = throwawayDeskKeys();
const catalogue = loadCatalogue([testPermitService]);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk', name: 'Айгерім' };
const head: ActorRef = { login: 'head1', role: 'head', name: 'Болат' };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function openDesk(): Promise<Desk> {
  const dbName = `staff_${Math.random().toString(36).slice(2, 8)}`;
  const desk = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await testKeys }, catalogue);
  cleanup.push(async () => {
    await desk.close().catch(() => undefined);
    await Dexie.delete(readModelName(dbName));
    await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
  });
  return desk;
}

/**
 * A resolution written straight into the office database, as it arrives by replication from an
 * older desk that still took a typed login: this desk's own checks never see it.
 */
async function arrivedResolution(desk: Desk, appId: string, executor: string): Promise<void> {
  const [reg] = await desk.eventsOf(appId);
  const clock = tickHlc(parseHlc(reg?.hlc ?? '') ?? null, Date.now() + 1000);
  const event = makeEvent({
    kind: 'resolution',
    appId,
    office: 'ALM01',
    device: 'OLDDESK00001',
    clock,
    now: Date.now() + 1000,
    actor: head,
    payload: { stepId: 's3', executor, executorName: 'Омарова Дана' },
  });
  await desk.office.db.put(event);
  await desk.settled();
}

describe('the staff directory on the desk', () => {
  it('is projected from the staff: documents of the office database, and follows their changes', async () => {
    const desk = await openDesk();
    await seedStaffDirectory(desk.office.db);
    await desk.settled();
    expect((await staffDirectory(desk.model)).map((s) => s.login)).toEqual(['exec1', 'head1', 'exec2']);
    await seedStaffDirectory(desk.office.db, [staffEntry('exec1', 'Дана', { active: false })]);
    await desk.settled();
    expect(await desk.model.staff.get('exec1')).toMatchObject({ active: false });
    // A malformed entry (password material, a wrong id) does not enter the directory.
    await desk.office.db.put({ ...staffEntry('mallory', 'M'), password: 'x' });
    await desk.settled();
    expect(await desk.model.staff.get('mallory')).toBeUndefined();
  });

  it('refuses an assignment to anyone who is not an active executor, and says why', async () => {
    const desk = await openDesk();
    const reg = await desk.registerApplication('registered', clerk, testPermitIntake);
    const assign = (executor: string) =>
      desk.append(reg.appId, 'resolution', head, { stepId: 's3', executor, executorName: 'Омарова Дана' });
    // No directory on this desk yet: nobody can be chosen.
    await expect(assign('exec1')).rejects.toMatchObject({ code: 'append.noStaffDirectory' });
    await seedStaffDirectory(desk.office.db, [...TEST_STAFF, staffEntry('gone', 'Кеткен', { active: false })]);
    await desk.settled();
    await expect(assign('danaa')).rejects.toMatchObject({ code: 'append.notActiveExecutor' });
    await expect(assign('gone')).rejects.toMatchObject({ code: 'append.notActiveExecutor' });
    await expect(assign('head1')).rejects.toMatchObject({ code: 'append.notActiveExecutor' });
    await seedStaffDirectory(desk.office.db, [staffEntry('other', 'Басқа', { office: 'KZO01' })]);
    await desk.settled();
    await expect(assign('other')).rejects.toMatchObject({ code: 'append.notActiveExecutor' });
    expect(await desk.eventsOf(reg.appId)).toHaveLength(1);
    const e = await assign('exec2');
    expect(e.payload).toMatchObject({ executor: 'exec2', executorName: 'Омарова Дана' });
    await expect(
      desk.append(reg.appId, 'reassigned', head, { executor: 'danaa', executorName: 'x' }),
    ).rejects.toMatchObject({ code: 'append.notActiveExecutor' });
  });

  it('puts an assignment to an unknown executor that arrives anyway in the head’s inbox, marked', async () => {
    const desk = await openDesk();
    await seedStaffDirectory(desk.office.db);
    const reg = await desk.registerApplication('registered', clerk, testPermitIntake);
    await arrivedResolution(desk, reg.appId, 'danaa');
    const row = await desk.model.applications.get(reg.appId);
    expect(row).toMatchObject({ role: 'executor', assignee: 'danaa', assigneeUnknown: 1, queue: 'head:' });
    const now = Date.now();
    expect((await inboxRows(desk, { login: 'head1', role: 'head' }, now)).map((r) => r.appId)).toEqual([reg.appId]);
    expect(await inboxRows(desk, { login: 'danaa', role: 'executor' }, now)).toEqual([]);
    // The head routes it again, to someone in the directory: it leaves the head's inbox.
    await desk.append(reg.appId, 'reassigned', head, { executor: 'exec1', executorName: 'Дана' });
    await desk.settled();
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ queue: 'executor:exec1' });
    expect((await desk.model.applications.get(reg.appId))?.assigneeUnknown).toBeUndefined();
    expect(await inboxCount(desk.model, { login: 'head1', role: 'head' }, now)).toEqual({ total: 0, overdue: 0 });
  });

  it('marks and unmarks waiting applications when the directory changes', async () => {
    const desk = await openDesk();
    const reg = await desk.registerApplication('registered', clerk, testPermitIntake);
    // No directory yet: the desk cannot judge, and leaves the application with its executor.
    await arrivedResolution(desk, reg.appId, 'dana');
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ queue: 'executor:dana' });
    // The directory arrives without dana: the head gets it.
    await seedStaffDirectory(desk.office.db);
    await desk.settled();
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ queue: 'head:', assigneeUnknown: 1 });
    // dana is added: back to her.
    await seedStaffDirectory(desk.office.db, [staffEntry('dana', 'Омарова Дана')]);
    await desk.settled();
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ queue: 'executor:dana' });
    // dana is deactivated: her open work comes back to the head.
    await seedStaffDirectory(desk.office.db, [staffEntry('dana', 'Омарова Дана', { active: false })]);
    await desk.settled();
    expect(await desk.model.applications.get(reg.appId)).toMatchObject({ queue: 'head:', assigneeUnknown: 1 });
  });

  it('offers the active executors with their open workload, found by any part of the name in either script', async () => {
    const desk = await openDesk();
    await seedStaffDirectory(desk.office.db, [
      ...TEST_STAFF,
      staffEntry('gone', 'Кеткен', { active: false }),
      staffEntry('aset', 'Сәрсенов Әсет'),
    ]);
    for (let i = 0; i < 3; i++) {
      const reg = await desk.registerApplication('registered', clerk, testPermitIntake);
      await desk.append(reg.appId, 'resolution', head, {
        stepId: 's3',
        executor: i < 2 ? 'exec2' : 'aset',
        executorName: 'x',
      });
    }
    await desk.settled();
    const choices = await executorChoices(desk.model, 'ALM01', Date.now());
    expect(choices).toEqual([
      { login: 'exec1', fullName: 'Дана', open: 0, late: 0 },
      { login: 'exec2', fullName: 'Омарова Дана', open: 2, late: 0 },
      { login: 'aset', fullName: 'Сәрсенов Әсет', open: 1, late: 0 },
    ]);
    expect(matchExecutors(choices, 'омар').map((c) => c.login)).toEqual(['exec2']);
    // Kazakh letters typed on a Russian keyboard, and the login.
    expect(matchExecutors(choices, 'Сарсенов Асет').map((c) => c.login)).toEqual(['aset']);
    expect(matchExecutors(choices, 'дана').map((c) => c.login)).toEqual(['exec1', 'exec2']);
    expect(matchExecutors(choices, 'EXEC1').map((c) => c.login)).toEqual(['exec1']);
    expect(matchExecutors(choices, 'нет такого')).toEqual([]);
  });
});
