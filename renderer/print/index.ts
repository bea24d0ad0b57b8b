/** The print module: templates, the print API, per-desk settings and their panel. */
export type { PaperFormat, PrintJob, TicketData, ReceiptData, RefusalReceiptData } from './types';
export { PrintDocument } from './PrintDocument';
export { Ticket } from './Ticket';
export { Receipt } from './Receipt';
export { RefusalReceipt } from './RefusalReceipt';
export { PrintPortal } from './PrintPortal';
export { PrintSettingsPanel } from './PrintSettingsPanel';
export { printDocument, printDocumentToPdf, type PrintTarget } from './printJob';
export {
  usePrintSettings,
  autoDocsOf,
  DEFAULT_PRINT_SETTINGS,
  PRINT_SETTINGS_KEY,
  type PrintSettings,
} from './settings';
export { useDeskPrinter } from './useDeskPrinter';
