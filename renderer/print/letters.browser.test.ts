import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import type { ActorRef } from '@shared/events';
import { testPermitIntake, testPermitService } from '../../tests/fixtures/testService';
import { Desk } from '../data/desk';
import { PouchDB } from '../data/store/pouch';
import { readModelName } from '../data/store/readModel';
import { decisionJobs } from './printData';
import type { CoverLetterData, NotificationData } from './types';
import { throwawayDeskKeys } from '../data/seal/deskKeys';
import { seedStaffDirectory } from '../../tests/fixtures/staffDirectory';

/** One desk secret for the whole file: a desk reopened in a test must find its data readable. */
const testKeys = throwawayDeskKeys();

/** The letters printed from the card carry the outgoing numbers the application's events recorded. */
const catalogue = loadCatalogue([testPermitService]);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk', name: 'Айгерім' };
const head: ActorRef = { login: 'head1', role: 'head', name: 'Болат' };
const exec: ActorRef = { login: 'exec1', role: 'executor', name: 'Дана' };
const comm: ActorRef = { login: 'comm1', role: 'commission' };
const intake = testPermitIntake;
const official = { name: 'Дана', position: { kk: 'Орындаушы', ru: 'Исполнитель' } };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('letters from the card', () => {
  it('the notification carries the notice’s outgoing number and date, the cover letter the result’s', async () => {
    const dbName = `letters_${Math.random().toString(36).slice(2, 8)}`;
    const desk = await Desk.open({ office: 'ALM01', desk: 'D07', dbName, keys: await testKeys }, catalogue);
    cleanup.push(async () => {
      await desk.close().catch(() => undefined);
      await Dexie.delete(readModelName(dbName));
      await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
    });
    await seedStaffDirectory(desk.office.db);
    await desk.settled();
    const { appId } = await desk.registerApplication('registered', clerk, intake);
    await desk.append(appId, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    await desk.append(appId, 'step_done', exec, { stepId: 's4', outcome: 'done' });
    await desk.append(appId, 'commission_decision', comm, {
      stepId: 's5',
      decision: 'approved',
      meetingDate: '2026-04-02',
      minutesNo: '3',
    });
    const notice = await desk.append(appId, 'step_done', exec, { stepId: 's6', outcome: 'done' });
    const later = Date.parse(notice.at) + 86_400_000;

    let jobs = decisionJobs(await desk.state(appId), official, later);
    const n = jobs.notification?.data as NotificationData;
    expect(n).toMatchObject({ regNumber: 'ALM01-D07-000001', outgoingNumber: 'ALM01-D07/000001' });
    // Dated the day it was sent, not the day it is reprinted.
    expect(n.issuedAt).toBe(Date.parse(notice.at));
    // The result has not left yet: its cover letter has no number and is dated when printed.
    expect(jobs.coverLetter?.data).toMatchObject({ outgoingNumber: null, issuedAt: later });

    await desk.append(appId, 'documents_received', clerk, { stepId: 's7', documents: [] });
    await desk.append(appId, 'signed', head, { stepId: 's9' });
    const issued = await desk.append(appId, 'issued', clerk, { stepId: 's10', mode: 'mail', tracking: 'RR9KZ' });
    jobs = decisionJobs(await desk.state(appId), official, later);
    expect(jobs.notification?.data).toMatchObject({ outgoingNumber: 'ALM01-D07/000001' });
    const c = jobs.coverLetter?.data as CoverLetterData;
    expect(c).toMatchObject({ outgoingNumber: 'ALM01-D07/000002', mode: 'mail', tracking: 'RR9KZ' });
    expect(c.issuedAt).toBe(Date.parse(issued.at));
  });
});
