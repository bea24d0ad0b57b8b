import type { PrinterInfo as ElectronPrinterInfo, PrintToPDFOptions, WebContentsPrintOptions } from 'electron';
import type { z } from 'zod';
import type { pdfRequestSchema, PageSize, PrinterInfo, printRequestSchema } from '@shared/ipc/contract';

/**
 * How a validated print request becomes Electron's print options. Kept apart from the handler so
 * that the recipe receipt printers need (explicit size in microns, no margins) is unit-tested.
 */
export function printOptions(request: z.output<typeof printRequestSchema>): WebContentsPrintOptions {
  return {
    silent: !request.dialog,
    ...(request.deviceName !== undefined ? { deviceName: request.deviceName } : {}),
    copies: request.copies,
    printBackground: true,
    // The templates carry their own white space; a roll has none to spare.
    margins: { marginType: 'none' },
    ...(request.pageSize !== undefined ? { pageSize: request.pageSize } : {}),
  };
}

const MICRONS_PER_INCH = 25_400;

/** printToPDF takes sizes in inches (print() takes microns); CSS `@page` wins where it is set. */
export function pdfOptions(request: z.output<typeof pdfRequestSchema>): PrintToPDFOptions {
  const size: PageSize = request.pageSize;
  return {
    pageSize: size === 'A4' ? 'A4' : { width: size.width / MICRONS_PER_INCH, height: size.height / MICRONS_PER_INCH },
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    preferCSSPageSize: true,
    printBackground: true,
  };
}

/** Electron's failure reasons are free text; the renderer gets a stable code it can translate. */
export function printFailureCode(reason: string): 'print.cancelled' | 'print.noPrinter' | 'print.failed' {
  if (/cancel/i.test(reason)) return 'print.cancelled';
  if (/device\s*name|printer/i.test(reason)) return 'print.noPrinter';
  return 'print.failed';
}

/**
 * Electron dropped `isDefault` from PrinterInfo; older runtimes still send it, and CUPS reports it
 * in the options on some systems. Where neither is there, no printer is marked as the default.
 */
export function toPrinterInfo(p: ElectronPrinterInfo): PrinterInfo {
  const legacy = (p as unknown as { isDefault?: unknown }).isDefault;
  const options = (p.options ?? {}) as Record<string, unknown>;
  const flag = options['is-default'] ?? options['printer-is-default'];
  return {
    name: p.name.slice(0, 256),
    displayName: (p.displayName || p.name).slice(0, 256),
    isDefault: legacy === true || flag === true || flag === 'true',
  };
}
