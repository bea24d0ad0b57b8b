import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import type { ActorRef } from '@shared/events';
import { testPermitIntake, testPermitService } from '../../tests/fixtures/testService';
import { AppendError, Desk } from './desk';
import { DEVICE_DOC_ID, openOfficeDb, type DeviceDoc } from './store/officeDb';
import { PouchDB } from './store/pouch';
import { readModelName } from './store/readModel';
import { openJournalData } from './seal/sealedRows';
import { throwawayDeskKeys } from './seal/deskKeys';
import { seedStaffDirectory } from '../../tests/fixtures/staffDirectory';
import { takeNumber } from '../../tests/fixtures/deviceNumbers';

/** One desk secret for the whole file: a desk reopened in a test must find its data readable. */
const testKeys = throwawayDeskKeys();

/**
 * Outgoing numbering (исходящий номер) on a real IndexedDB office database: its own per-desk
 * sequence in the `_local` device document, next to the registration sequence, reserved before
 * use, so a reopened desk (or a crash) goes on after the last number and never repeats one.
 */
const catalogue = loadCatalogue([testPermitService]);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk', name: 'Айгерім' };
const head: ActorRef = { login: 'head1', role: 'head' };
const exec: ActorRef = { login: 'exec1', role: 'executor' };
const comm: ActorRef = { login: 'comm1', role: 'commission' };

const intake = testPermitIntake;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const newName = (): string => `outgoing_${Math.random().toString(36).slice(2, 8)}`;

function forget(dbName: string): void {
  cleanup.push(async () => {
    await Dexie.delete(readModelName(dbName));
    await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
  });
}

/** Registration to the notice (step 6 of the test permit): resolution, review, commission, notice. */
async function toNotice(desk: Desk): Promise<{ appId: string; notice: string | undefined }> {
  await seedStaffDirectory(desk.office.db);
  await desk.settled();
  const reg = await desk.registerApplication('registered', clerk, intake);
  const appId = reg.appId;
  await desk.append(appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
  await desk.append(appId, 'step_done', exec, { stepId: 's4', outcome: 'done' });
  await desk.append(appId, 'commission_decision', comm, {
    stepId: 's5',
    decision: 'approved',
    meetingDate: '2026-04-02',
    minutesNo: '3',
  });
  const notice = await desk.append(appId, 'step_done', exec, { stepId: 's6', outcome: 'done' });
  return { appId, notice: notice.payload.outgoingNumber };
}

/** From the notice to the issue: guarantees brought, the head signs, the clerk posts the result. */
async function toIssue(desk: Desk, appId: string): Promise<string | undefined> {
  await desk.append(appId, 'documents_received', clerk, { stepId: 's7', documents: [] });
  const signed = await desk.append(appId, 'signed', head, { stepId: 's9' });
  expect(signed.payload).not.toHaveProperty('outgoingNumber');
  const issued = await desk.append(appId, 'issued', clerk, { stepId: 's10', mode: 'mail', tracking: 'RR1KZ' });
  return issued.payload.outgoingNumber;
}

describe('outgoing numbering', () => {
  it('the device document keeps a second sequence, apart from registration, with no duplicates when asked at once', async () => {
    const name = newName();
    const o = await openOfficeDb('ALM01', { name });
    cleanup.push(() => o.db.destroy());
    await takeNumber(o);
    const got = await Promise.all(Array.from({ length: 12 }, () => takeNumber(o, 'outgoingSequence')));
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const device = await o.device();
    expect(device).toMatchObject({ sequence: 1, outgoingSequence: 12 });
    // _local: never replicated (the stand-in documents the numbers were written with are all there is).
    expect((await o.db.allDocs()).rows.map((r) => r.id).filter((id) => !id.startsWith('numbered:'))).toEqual([]);
  });

  it('a notice and the result take the next numbers, and a reopened desk never repeats one', async () => {
    const dbName = newName();
    forget(dbName);
    const first = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await testKeys }, catalogue);
    const a = await toNotice(first);
    expect(a.notice).toBe('ALM01-D01/000001');
    // A refused action takes no number: issuing before the guarantees arrive is not allowed.
    await expect(first.append(a.appId, 'issued', clerk, { stepId: 's10', mode: 'mail' })).rejects.toBeInstanceOf(
      AppendError,
    );
    await first.close();

    const second = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await testKeys }, catalogue);
    expect(await toIssue(second, a.appId)).toBe('ALM01-D01/000002');
    const b = await toNotice(second);
    expect(b.notice).toBe('ALM01-D01/000003');
    await second.close();

    // A number this desk code gave out elsewhere (known from the server's events) is never given again.
    const raw = await openOfficeDb('ALM01', { name: dbName });
    await raw.raiseSequences({ sequence: 0, outgoing: 4 });
    await raw.close();

    const third = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await testKeys }, catalogue);
    cleanup.push(() => third.close().catch(() => undefined));
    expect(await toIssue(third, b.appId)).toBe('ALM01-D01/000005');
    // Registration numbers run on their own sequence.
    await third.settled();
    expect((await third.model.applications.get(b.appId))?.regNumber).toBe('ALM01-D01-000002');

    // The outgoing journal lists each letter under its number, with the registration number as reference.
    const journal = await third.model.journal
      .where('[journal+at]')
      .between(['outgoing', 0], ['outgoing', Infinity])
      .toArray();
    const opened = await Promise.all(journal.map((r) => openJournalData(third.keys, r)));
    const rows = journal.map((r, i) => [r.number, r.regNumber, opened[i]?.['document'], opened[i]?.['mode']]);
    expect(rows.sort()).toEqual([
      ['ALM01-D01/000001', 'ALM01-D01-000001', 'notice', null],
      ['ALM01-D01/000002', 'ALM01-D01-000001', 'result', 'mail'],
      ['ALM01-D01/000003', 'ALM01-D01-000002', 'notice', null],
      ['ALM01-D01/000005', 'ALM01-D01-000002', 'result', 'mail'],
    ]);
    const state = await third.state(a.appId);
    expect(state.letters.map((l) => l.number)).toEqual(['ALM01-D01/000001', 'ALM01-D01/000002']);
  });

  it('a desk whose device document was lost goes on after the highest numbers the office’s events show', async () => {
    const dbName = newName();
    forget(dbName);
    const first = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await testKeys }, catalogue);
    const a = await toNotice(first);
    expect(a.notice).toBe('ALM01-D01/000001');
    expect(await toIssue(first, a.appId)).toBe('ALM01-D01/000002');
    await first.close();
    // What a wiped and re-synced desk looks like: the events are back, the counters are not.
    const raw = await openOfficeDb('ALM01', { name: dbName });
    await raw.db.remove(await raw.db.get<DeviceDoc>(DEVICE_DOC_ID));
    await raw.close();
    const second = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await testKeys }, catalogue);
    cleanup.push(() => second.close().catch(() => undefined));
    expect((await second.office.device()).outgoingSequence).toBeUndefined();
    expect((await second.office.device()).sequence).toBe(0);
    const b = await toNotice(second);
    expect(b.notice).toBe('ALM01-D01/000003');
    // Registration numbers take the same floor: the lost counter does not hand out 000001 again.
    await second.settled();
    expect((await second.model.applications.get(b.appId))?.regNumber).toBe('ALM01-D01-000002');
  });
});
