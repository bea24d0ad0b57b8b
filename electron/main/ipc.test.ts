import type { IpcMainInvokeEvent } from 'electron';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IPC, pdfResultSchema, printerListSchema } from '@shared/ipc/contract';
import { guardedHandler, isRefusal, isTrustedSender } from './ipc';
import { pdfOptions, printFailureCode, printOptions, toPrinterInfo } from './print';

type Frame = { url: string; parent: Frame | null };
const event = (frame: Frame | null): IpcMainInvokeEvent => ({ senderFrame: frame }) as unknown as IpcMainInvokeEvent;
const top: Frame = { url: 'app://kense/index.html#/settings', parent: null };

describe('IPC guard', () => {
  it('trusts only the top frame of the app origin', () => {
    expect(isTrustedSender(event(top))).toBe(true);
    expect(isTrustedSender(event(null))).toBe(false);
    expect(isTrustedSender(event({ url: 'https://evil.example/', parent: null }))).toBe(false);
    expect(isTrustedSender(event({ url: 'app://kense/frame.html', parent: top }))).toBe(false);
    expect(isTrustedSender(event({ url: 'app://kense.evil/', parent: null }))).toBe(false);
  });

  it('runs the handler with a valid payload from the app', async () => {
    const seen: string[] = [];
    const h = guardedHandler(IPC.setUiLanguage, (lang) => {
      seen.push(lang);
      return 'done';
    });
    await expect(h(event(top), 'ru')).resolves.toBe('done');
    expect(seen).toEqual(['ru']);
  });

  it('refuses unknown senders without running the handler', async () => {
    let ran = false;
    const h = guardedHandler(IPC.setUiLanguage, () => {
      ran = true;
    });
    await expect(h(event({ url: 'https://evil.example/', parent: null }), 'kk')).resolves.toEqual({
      refused: true,
      code: 'ipc.unknownSender',
    });
    expect(ran).toBe(false);
  });

  it('refuses every malformed payload on every channel, never throwing and never running the handler', async () => {
    const channels = [IPC.getAppInfo, IPC.setUiLanguage, IPC.print, IPC.printToPdf, IPC.getPrinters] as const;
    for (const channel of channels) {
      let ran = 0;
      const h = guardedHandler(channel, () => {
        ran++;
        return 'ok';
      });
      await fc.assert(
        fc.asyncProperty(fc.anything(), async (payload) => {
          const validByShape =
            ((channel === IPC.getAppInfo || channel === IPC.getPrinters) && payload === undefined) ||
            (channel === IPC.setUiLanguage && (payload === 'kk' || payload === 'ru'));
          if (validByShape) return;
          const before = ran;
          const r = await h(event(top), payload);
          if (isRefusal(r)) {
            expect(r.code).toBe('ipc.invalidPayload');
            expect(ran).toBe(before);
          } else {
            // Only a print or PDF request that really matches the schema may get through.
            expect([IPC.print, IPC.printToPdf]).toContain(channel);
          }
        }),
        { numRuns: 300 },
      );
    }
  });

  it('validates print requests strictly', async () => {
    const h = guardedHandler(IPC.print, (req) => req);
    await expect(h(event(top), { dialog: true })).resolves.toEqual({ dialog: true, copies: 1 });
    await expect(h(event(top), { dialog: false, deviceName: 'POS-80', copies: 2 })).resolves.toEqual({
      dialog: false,
      deviceName: 'POS-80',
      copies: 2,
    });
    for (const bad of [
      {},
      { dialog: 'yes' },
      { dialog: true, copies: 0 },
      { dialog: true, copies: 99 },
      { dialog: true, extra: 1 },
    ]) {
      await expect(h(event(top), bad)).resolves.toEqual({ refused: true, code: 'ipc.invalidPayload' });
    }
  });

  it('accepts print requests with a page size: A4, or a roll in microns', async () => {
    const h = guardedHandler(IPC.print, (req) => req);
    const roll = { dialog: false, deviceName: 'XP-58', copies: 1, pageSize: { width: 58000, height: 120000 } };
    await expect(h(event(top), roll)).resolves.toEqual(roll);
    await expect(h(event(top), { dialog: true, pageSize: 'A4' })).resolves.toEqual({
      dialog: true,
      copies: 1,
      pageSize: 'A4',
    });
  });

  it('refuses malformed print payloads: sizes under 353 µm, fractions, unknown paper, extra keys, bad devices', async () => {
    let ran = 0;
    const h = guardedHandler(IPC.print, () => {
      ran++;
      return 'printed';
    });
    const bad: unknown[] = [
      null,
      'print',
      [],
      { dialog: false, pageSize: { width: 352, height: 100000 } },
      { dialog: false, pageSize: { width: 58000, height: 0 } },
      { dialog: false, pageSize: { width: -58000, height: 100000 } },
      { dialog: false, pageSize: { width: 58000.5, height: 100000 } },
      { dialog: false, pageSize: { width: 58000 } },
      { dialog: false, pageSize: { width: '58000', height: '100000' } },
      { dialog: false, pageSize: { width: Number.NaN, height: 100000 } },
      { dialog: false, pageSize: { width: Number.POSITIVE_INFINITY, height: 100000 } },
      { dialog: false, pageSize: { width: 58000, height: 100000, unit: 'mm' } },
      { dialog: false, pageSize: { width: 9_000_000, height: 100000 } },
      { dialog: false, pageSize: 'Letter' },
      { dialog: false, pageSize: 'a4' },
      { dialog: false, deviceName: '' },
      { dialog: false, deviceName: 'x'.repeat(257) },
      { dialog: false, deviceName: 42 },
      { dialog: false, copies: 1.5 },
      { dialog: false, margins: { marginType: 'default' } },
      { dialog: false, silent: true },
    ];
    for (const payload of bad) {
      await expect(h(event(top), payload), JSON.stringify(payload)).resolves.toEqual({
        refused: true,
        code: 'ipc.invalidPayload',
      });
    }
    expect(ran).toBe(0);
  });

  it('validates PDF requests and takes no payload for the printer list', async () => {
    const pdf = guardedHandler(IPC.printToPdf, (req) => req);
    await expect(pdf(event(top), { pageSize: 'A4' })).resolves.toEqual({ pageSize: 'A4' });
    await expect(pdf(event(top), { pageSize: { width: 80000, height: 200000 } })).resolves.toEqual({
      pageSize: { width: 80000, height: 200000 },
    });
    for (const bad of [
      undefined,
      {},
      { pageSize: null },
      { pageSize: { width: 100, height: 100 } },
      { pageSize: 'A4', path: '/etc/passwd' },
      { pageSize: 'A4', landscape: true },
    ]) {
      await expect(pdf(event(top), bad)).resolves.toEqual({ refused: true, code: 'ipc.invalidPayload' });
    }
    const printers = guardedHandler(IPC.getPrinters, () => []);
    await expect(printers(event(top), undefined)).resolves.toEqual([]);
    for (const bad of [null, 'POS-80', {}, { all: true }]) {
      await expect(printers(event(top), bad)).resolves.toEqual({ refused: true, code: 'ipc.invalidPayload' });
    }
    await expect(printers(event({ url: 'https://evil.example/', parent: null }), undefined)).resolves.toEqual({
      refused: true,
      code: 'ipc.unknownSender',
    });
  });

  it('prints rolls with the explicit size and no margins, silently to the named device or with the dialog', () => {
    expect(
      printOptions({ dialog: false, deviceName: 'XP-58', copies: 2, pageSize: { width: 58000, height: 140000 } }),
    ).toEqual({
      silent: true,
      deviceName: 'XP-58',
      copies: 2,
      printBackground: true,
      margins: { marginType: 'none' },
      pageSize: { width: 58000, height: 140000 },
    });
    expect(printOptions({ dialog: true, copies: 1, pageSize: 'A4' })).toEqual({
      silent: false,
      copies: 1,
      printBackground: true,
      margins: { marginType: 'none' },
      pageSize: 'A4',
    });
  });

  it('makes PDFs in inches with the CSS page size preferred, and maps failure reasons to stable codes', () => {
    expect(pdfOptions({ pageSize: { width: 80000, height: 254000 } })).toEqual({
      pageSize: { width: 80000 / 25400, height: 10 },
      margins: { top: 0, bottom: 0, left: 0, right: 0 },
      preferCSSPageSize: true,
      printBackground: true,
    });
    expect(pdfOptions({ pageSize: 'A4' }).pageSize).toBe('A4');
    expect(printFailureCode('cancelled')).toBe('print.cancelled');
    expect(printFailureCode('Invalid deviceName provided')).toBe('print.noPrinter');
    expect(printFailureCode('failed')).toBe('print.failed');
    expect(printFailureCode('')).toBe('print.failed');
  });

  it('lists printers by system name, and checks what comes back from the host', () => {
    const info = toPrinterInfo({ name: 'XP_58', displayName: 'XP-58 (кассалық)', description: '', options: {} });
    expect(info).toEqual({ name: 'XP_58', displayName: 'XP-58 (кассалық)', isDefault: false });
    expect(
      toPrinterInfo({
        name: 'HP',
        displayName: '',
        description: '',
        isDefault: true,
        options: {},
      } as unknown as Electron.PrinterInfo),
    ).toEqual({ name: 'HP', displayName: 'HP', isDefault: true });
    expect(printerListSchema.safeParse([info]).success).toBe(true);
    expect(printerListSchema.safeParse([{ name: '', displayName: 'x', isDefault: false }]).success).toBe(false);
    expect(pdfResultSchema.safeParse({ ok: true, data: new Uint8Array([37, 80, 68, 70, 45, 49]) }).success).toBe(true);
    expect(pdfResultSchema.safeParse({ ok: true, data: 'JVBERi0=' }).success).toBe(false);
    expect(pdfResultSchema.safeParse({ ok: true, data: new Uint8Array(0) }).success).toBe(false);
    expect(pdfResultSchema.safeParse({ ok: false, code: 'print.pdfUnavailable' }).success).toBe(true);
  });
});
