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
  /** No result date because the deadline falls into a year whose calendar is not published. */
  calendarMissingYear?: number | null;
  /** The provider (услугодатель / көрсетілетін қызметті беруші). */
  provider: BilingualText;
  /** The office that accepted the documents, from its profile (printed under the provider), when known. */
  office?: BilingualText | null;
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
export interface RefusalReceiptData extends Omit<IntakeSlip, 'resultDueAt' | 'calendarMissingYear'> {
  missing: BilingualText[];
  reason: 'incomplete' | 'expired' | 'form' | 'other';
  note: string | null;
}

/**
 * Уведомление о принятом решении / қабылданған шешім туралы хабарлама (A4 only): the decision on
 * the application, approved or refused with its legal ground (мотивированный отказ / дәлелді бас
 * тарту), what the applicant must do next, the responsible official and the head's signature.
 */
export interface NotificationData {
  regNumber: string;
  /** The provider's outgoing (исходящий / шығыс) number, printed beside the date when given. */
  outgoingNumber: string | null;
  /** The date of the notification (epoch ms), printed dd.MM.yyyy, Kazakhstan time. */
  issuedAt: number;
  provider: BilingualText;
  service: BilingualText;
  applicantName: string;
  /** IIN or BIN. */
  applicantId: string;
  applicantAddress: string | null;
  decision: 'approved' | 'refused';
  /** The legal ground of a refusal, as the official wrote it; printed verbatim in both columns. */
  ground: string | null;
  /** What the applicant must do next, e.g. bring the guarantee documents. */
  nextSteps: BilingualText | null;
  /** By when (epoch ms). */
  dueAt: number | null;
  officialName: string;
  officialPosition: BilingualText;
  headName: string;
}

/** One enclosure of a cover letter, with its number of sheets when known. */
export interface CoverLetterEnclosure {
  name: BilingualText;
  sheets: number | null;
}

/**
 * Сопроводительное письмо / ілеспе хат (A4 only): the letter sent with the result by mail or
 * through the ЦОН, with the enclosures, the delivery mode and the executor in small print.
 */
export interface CoverLetterData {
  regNumber: string;
  /** The outgoing number the result was registered under; null (dated only) when printed before that. */
  outgoingNumber: string | null;
  issuedAt: number;
  provider: BilingualText;
  service: BilingualText;
  applicantName: string;
  applicantAddress: string | null;
  enclosures: CoverLetterEnclosure[];
  /** A delivery mode code as in the catalogue (`mail`, `via_con`, …); an unknown code prints as is. */
  mode: string;
  /** The postal tracking number, if any. */
  tracking: string | null;
  headName: string;
  executorName: string;
  executorPhone: string | null;
}

/**
 * Повестка заседания комиссии / комиссия отырысының күн тәртібі (A4, in the UI language): the
 * applications the commission considers at one sitting, with the office, the protocol's number and
 * date, and a signature line for every member and for the secretary.
 */
export interface AgendaData {
  language: 'kk' | 'ru';
  /** The office's code (ALM01) and who provides the services on the agenda. */
  office: string;
  providers: string[];
  /** The sitting's date (yyyy-MM-dd) and the protocol number, when known; blank lines otherwise. */
  meetingDate: string | null;
  minutesNo: string | null;
  items: { regNumber: string; applicant: string; service: string; dueAt: number | null }[];
  /** The commission's members (the office's staff directory), each signs. */
  members: string[];
  secretary: string;
}

export type PrintJob =
  | { doc: 'ticket'; data: TicketData }
  | { doc: 'receipt'; data: ReceiptData }
  | { doc: 'refusal'; data: RefusalReceiptData }
  | { doc: 'notification'; data: NotificationData }
  | { doc: 'coverLetter'; data: CoverLetterData }
  | { doc: 'agenda'; data: AgendaData };
