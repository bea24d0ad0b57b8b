/**
 * What the printed documents need, as plain data: the reception desk and the application card build
 * it from the registration event and the catalogue; the templates only lay it out.
 */
export type PaperFormat = '58mm' | '80mm' | 'A4';
export const PAPER_FORMATS: readonly PaperFormat[] = ['58mm', '80mm', 'A4'];

export interface BilingualText {
  kk: string;
  ru: string;
}

export interface PrintableDocumentLine {
  name: BilingualText;
  /** The original was shown and handed back after checking. */
  original: boolean;
}

export interface IntakeSlip {
  regNumber: string;
  /** When the package was accepted (epoch ms). Printed as dd.MM.yyyy HH:mm, Kazakhstan time. */
  registeredAt: number;
  service: BilingualText;
  variant: BilingualText | null;
  /** The date the result will be ready, computed from the regulation (epoch ms), or null if not stated. */
  resultDueAt: number | null;
  /** The provider (услугодатель / көрсетілетін қызметті беруші). */
  provider: BilingualText;
  /** The official who accepted the documents: full name as printed. */
  officialName: string;
  applicantName: string;
  /** IIN or BIN. */
  applicantId: string;
  representative: { fullName: string; poaNumber: string; poaDate: string } | null;
  phone: string | null;
}

/** Талон: the acknowledgement of acceptance, with a tear-off part carrying the same number. */
export type TicketData = IntakeSlip;

/** Расписка / қолхат: the ticket's details plus the list and count of accepted documents. */
export interface ReceiptData extends IntakeSlip {
  documents: PrintableDocumentLine[];
}

/** Расписка об отказе в приеме документов: what is missing or expired, and why. */
export interface RefusalReceiptData extends Omit<IntakeSlip, 'resultDueAt'> {
  missing: BilingualText[];
  reason: 'incomplete' | 'expired' | 'form' | 'other';
  note: string | null;
}

export type PrintJob =
  | { doc: 'ticket'; data: TicketData }
  | { doc: 'receipt'; data: ReceiptData }
  | { doc: 'refusal'; data: RefusalReceiptData };
