import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import { fold } from '@shared/workflow';
import type { KenseBridge, PdfRequest } from '@shared/ipc/contract';
import { testPermitService } from '../../tests/fixtures/testService';
import { Desk } from '../data/desk';
import { PouchDB } from '../data/store/pouch';
import { readModelName } from '../data/store/readModel';
import { createI18n } from '../i18n';
import { intakeJobs, keepPdfCopy } from './printData';
import { throwawayDeskKeys } from '../data/seal/deskKeys';

/** One desk secret for the whole file: a desk reopened in a test must find its data readable. */
const testKeys = throwawayDeskKeys();

const catalogue = loadCatalogue([testPermitService]);
const clerk = { login: 'clerk1', role: 'clerk' as const, name: 'Сейітова Айгерім' };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function openDesk(): Promise<Desk> {
  const dbName = `pdf_${Math.random().toString(36).slice(2, 8)}`;
  const desk = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys: await testKeys }, catalogue);
  cleanup.push(async () => {
    await desk.close();
    await Dexie.delete(readModelName(dbName));
    await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
  });
  return desk;
}

/** The Electron host as far as PDFs go: what Chromium's printToPDF returns is bytes starting %PDF. */
function electronLike(requests: PdfRequest[]): KenseBridge {
  return {
    platform: 'electron',
    getAppInfo: () => Promise.reject(new Error('unused')),
    setUiLanguage: () => Promise.resolve(),
    print: () => Promise.resolve({ ok: true }),
    printToPdf: (r) => {
      requests.push(r);
      return Promise.resolve({ ok: true, data: new TextEncoder().encode('%PDF-1.7 receipt') });
    },
    getPrinters: () => Promise.resolve([]),
    onMenuCommand: () => () => undefined,
  };
}

describe('the PDF copy of the receipt is kept in the application file', () => {
  it('renders the receipt on A4 and stores the PDF as an attachment that replicates with the file', async () => {
    await createI18n('kk');
    const desk = await openDesk();
    const event = await desk.registerApplication('registered', clerk, {
      serviceId: 'test-permit',
      serviceVersion: '1',
      variantId: 'issue',
      channel: 'provider_office',
      applicant: { kind: 'legal_entity', bin: '940140000385', title: '«Құрылыс» ЖШС' },
      documents: [{ id: 'application', received: true }],
    });
    const job = intakeJobs(event, testPermitService, null).receipt;
    if (!job) throw new Error('no receipt');
    const requests: PdfRequest[] = [];
    expect(await keepPdfCopy(desk, event, job, clerk, electronLike(requests))).toBe('kept');
    expect(requests[0]?.pageSize).toBe('A4');

    const state = fold({
      appId: event.appId,
      events: await desk.eventsOf(event.appId),
      service: () => testPermitService,
      calendar: desk.calendar,
      now: Date.now(),
    });
    expect(state.attachments).toEqual([
      expect.objectContaining({ name: 'receipt-ALM01-D01-000001.pdf', contentType: 'application/pdf' }),
    ]);
    // The workflow did not move: an attachment is no step.
    expect(state.step?.id).toBe('s3');
    const blob = await desk.attachment(state.attachments[0]?.eventId ?? '', 'receipt-ALM01-D01-000001.pdf');
    expect(await blob.text()).toBe('%PDF-1.7 receipt');
  });

  it('browser mode keeps no copy and says so', async () => {
    const desk = await openDesk();
    const event = await desk.registerApplication('registered', clerk, {
      serviceId: 'test-permit',
      serviceVersion: '1',
      variantId: 'issue',
      channel: 'provider_office',
      applicant: { kind: 'legal_entity', bin: '940140000385', title: '«Құрылыс» ЖШС' },
      documents: [{ id: 'application', received: true }],
    });
    const job = intakeJobs(event, testPermitService, null).receipt;
    if (!job) throw new Error('no receipt');
    const browser = { ...electronLike([]), platform: 'browser' as const };
    expect(await keepPdfCopy(desk, event, job, clerk, browser)).toBe('unavailable');
    expect(await desk.eventsOf(event.appId)).toHaveLength(1);
  });
});
