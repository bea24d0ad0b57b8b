import type { IpcMainInvokeEvent } from 'electron';
import {
  IPC,
  type AppInfo,
  type IpcRequestChannel,
  type PdfResult,
  type PrinterInfo,
  type PrintResult,
  type UiLanguage,
} from '@shared/ipc/contract';
import type { CaptureGate } from './guards';
import { guardedHandler } from './ipc';
import type { HubEndpoints } from './hub/register';
import type { KeyStore } from './keyStore';
import { pdfOptions, printFailureCode, printOptions, toPrinterInfo } from './print';

/** What the handlers need from the shell; tests pass fakes. */
export interface HandlerDeps {
  appInfo: () => AppInfo;
  setLanguage: (language: UiLanguage) => Promise<void>;
  keyStore: KeyStore;
  /** The embedded office hub (hub/register.ts). */
  hub: HubEndpoints;
  /** Which web contents have the capture screen open (the camera's permission follows it). */
  capture: CaptureGate;
  devServerUrl?: string;
}

export type IpcHandler = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>;

/**
 * Every request channel's handler, each behind the guard (trusted sender, valid payload). One
 * table, so that a channel cannot be registered without its guard and a test can reach them all.
 */
export function ipcHandlers(deps: HandlerDeps): Record<IpcRequestChannel, IpcHandler> {
  const dev = deps.devServerUrl;
  return {
    [IPC.getAppInfo]: guardedHandler(IPC.getAppInfo, () => deps.appInfo(), dev),
    [IPC.setUiLanguage]: guardedHandler(IPC.setUiLanguage, (language) => deps.setLanguage(language), dev),
    [IPC.print]: guardedHandler(
      IPC.print,
      (request, event) =>
        new Promise<PrintResult>((resolve) => {
          try {
            event.sender.print(printOptions(request), (success, failureReason) =>
              resolve(success ? { ok: true } : { ok: false, code: printFailureCode(failureReason) }),
            );
          } catch {
            // Electron throws synchronously on settings the driver refuses (e.g. an unknown page size).
            resolve({ ok: false, code: 'print.failed' });
          }
        }),
      dev,
    ),
    [IPC.printToPdf]: guardedHandler(
      IPC.printToPdf,
      async (request, event): Promise<PdfResult> => {
        try {
          const pdf = await event.sender.printToPDF(pdfOptions(request));
          // A plain Uint8Array (not a Node Buffer) is what crosses IPC and contextBridge intact.
          return { ok: true, data: new Uint8Array(pdf) };
        } catch {
          return { ok: false, code: 'print.failed' };
        }
      },
      dev,
    ),
    [IPC.getPrinters]: guardedHandler(
      IPC.getPrinters,
      async (_none, event): Promise<PrinterInfo[]> => {
        try {
          return (await event.sender.getPrintersAsync()).map(toPrinterInfo);
        } catch {
          return [];
        }
      },
      dev,
    ),
    [IPC.getDataKey]: guardedHandler(IPC.getDataKey, (request) => deps.keyStore.dataKey(request), dev),
    [IPC.getHubStatus]: guardedHandler(IPC.getHubStatus, () => deps.hub.status(), dev),
    [IPC.configureHub]: guardedHandler(IPC.configureHub, (config) => deps.hub.configure(config), dev),
    [IPC.setCaptureOpen]: guardedHandler(
      IPC.setCaptureOpen,
      (open, event) => deps.capture.set(event.sender.id, open),
      dev,
    ),
  };
}
