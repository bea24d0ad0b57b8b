import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { getI18n, I18nextProvider } from 'react-i18next';
import type { KenseBridge, PageSize, PdfResult, PrintRequest, PrintResult } from '@shared/ipc/contract';
import { getBridge } from '../platform/bridge';
import { paperFor } from './letterFormat';
import { PrintDocument } from './PrintDocument';
import { createSlot, measurePage, releasePageRule, setPageRule, whenReady } from './printRoot';
import type { PrintSettings } from './settings';
import type { PaperFormat, PrintJob } from './types';

/** One job at a time: auto-printing a ticket and a receipt must not lay them over each other. */
let queue: Promise<unknown> = Promise.resolve();

function enqueue<R>(run: () => Promise<R>): Promise<R> {
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Renders the job into its own slot of the print root, waits for the fonts and the QR code,
 * measures the page (a roll is cut to the content), sets the `@page` rule, hands the page to
 * `withPage`, and takes everything down again, whatever happened.
 */
async function withRendered<R>(
  job: PrintJob,
  requested: PaperFormat,
  withPage: (page: { pageSize: PageSize; heightMm: number }) => Promise<R>,
): Promise<R> {
  // Letters (notification, cover letter) are A4 whatever roll the desk prints its tickets on.
  const format = paperFor(job, requested);
  const i18n = getI18n();
  const slot = createSlot(true);
  const root = createRoot(slot);
  const owner = {};
  try {
    const doc = createElement(PrintDocument, { job, format });
    flushSync(() => root.render(i18n ? createElement(I18nextProvider, { i18n }, doc) : doc));
    await whenReady(slot);
    const page = measurePage(slot, format);
    setPageRule(owner, page.rule);
    return await withPage(page);
  } finally {
    releasePageRule(owner);
    root.unmount();
    slot.remove();
  }
}

/** What printing needs from the desk's settings (the test page overrides the format). */
export type PrintTarget = Pick<PrintSettings, 'deviceName' | 'format' | 'copies'>;

export function printRequestFor(target: PrintTarget, pageSize: PageSize): PrintRequest {
  return {
    dialog: target.deviceName === null,
    ...(target.deviceName !== null ? { deviceName: target.deviceName } : {}),
    copies: target.copies,
    pageSize,
  };
}

/**
 * Prints one document: silently to the desk's printer, or through the system dialog when none is
 * set (and always in browser mode, where the browser's dialog is all there is). Never throws.
 */
export function printDocument(
  job: PrintJob,
  settings: PrintTarget,
  bridge: KenseBridge = getBridge(),
): Promise<PrintResult> {
  return enqueue(() =>
    withRendered(job, settings.format, ({ pageSize }) => bridge.print(printRequestFor(settings, pageSize))),
  ).catch((): PrintResult => ({ ok: false, code: 'print.failed' }));
}

/**
 * Prints the screen as it is (a journal, the commission's agenda) through the system dialog, in
 * the same queue as the documents: a screen printed while a ticket is still printing would meet
 * "the page is already being printed". Its page (size, orientation) is whatever rule the screen
 * has set with `setPageRule`. Never throws.
 */
export function printScreen(bridge: KenseBridge = getBridge()): Promise<PrintResult> {
  return enqueue(() => bridge.print({ dialog: true, copies: 1 })).catch((): PrintResult => ({
    ok: false,
    code: 'print.failed',
  }));
}

/** A PDF copy of the document (Electron); browser mode answers `print.pdfUnavailable`. Never throws. */
export function printDocumentToPdf(
  job: PrintJob,
  format: PaperFormat,
  bridge: KenseBridge = getBridge(),
): Promise<PdfResult> {
  if (bridge.platform === 'browser') return Promise.resolve({ ok: false, code: 'print.pdfUnavailable' });
  return enqueue(() => withRendered(job, format, ({ pageSize }) => bridge.printToPdf({ pageSize }))).catch(
    (): PdfResult => ({ ok: false, code: 'print.failed' }),
  );
}
