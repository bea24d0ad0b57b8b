import type { TFunction } from 'i18next';
import type { Catalogue } from '@shared/catalogue';
import { fromLocal } from '@shared/calendar';
import { dueText } from '../../components/dueText';
import type { UiLanguage } from '@shared/ipc/contract';
import {
  journalEntries,
  judgedNow,
  openJournalData,
  type ApplicationRow,
  type Desk,
  type JournalRow,
} from '../../data';
import { formatPrintedDateTime } from '../../i18n/format';

export type JournalKind = 'registration' | 'outgoing';

/** A journal as a table: the same rows go to the screen, the printer, CSV and XLSX. */
export interface JournalTable {
  columns: string[];
  rows: string[][];
}

/** One journal entry with its sealed data opened (null: it does not open with this desk's key). */
export interface JournalEntry {
  entry: JournalRow;
  data: Record<string, unknown> | null;
  app: ApplicationRow | undefined;
}

/** Journal entries of a date range (whole days, Kazakhstan time), oldest first, as offices keep them. */
export async function loadJournal(desk: Desk, kind: JournalKind, from: string, to: string): Promise<JournalEntry[]> {
  const start = fromLocal(from, 0);
  const end = fromLocal(to, 24 * 60);
  const { entries, apps: byId } = await journalEntries(desk, kind, start, end);
  // A month's journal is a few thousand entries at most: all are opened (the screen, print and
  // exports show them all), concurrently.
  const data = await Promise.all(entries.map((e) => openJournalData(desk.keys, e)));
  return entries.map((entry, i) => ({ entry, data: data[i] ?? null, app: byId.get(entry.appId) }));
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The status column: the status, the outcome once decided, and "overdue" — for an open case as
 * judged against `now` (the read model's flag is frozen when an event is projected), for a closed
 * one whether it closed late.
 */
function statusText(app: ApplicationRow, now: number, t: TFunction): string {
  const a = judgedNow(app, now);
  return (
    t(`applications:status.${a.status}`) +
    (a.outcome ? ` (${t(`card:outcome.${a.outcome}`)})` : '') +
    (a.overdue === 1 ? ` · ${t('applications:overdue')}` : '')
  );
}

export function journalTable(
  kind: JournalKind,
  entries: JournalEntry[],
  catalogue: Catalogue,
  language: UiLanguage,
  t: TFunction,
  now: number,
): JournalTable {
  const service = (a: ApplicationRow | undefined): string =>
    a ? (catalogue.get(a.serviceId, a.serviceVersion)?.names[language] ?? a.serviceId) : '';
  if (kind === 'registration') {
    return {
      columns: [
        'no',
        'regNumber',
        'registeredAt',
        'applicant',
        'applicantId',
        'service',
        'channel',
        'due',
        'status',
      ].map((c) => t(`journals:columns.${c}`)),
      rows: entries.map(({ entry, data, app }, i) => [
        String(i + 1),
        entry.regNumber ?? '',
        formatPrintedDateTime(entry.at),
        data ? text(data['applicant']) : t('common:unreadable'),
        text(data?.['applicantKey']),
        service(app),
        data?.['channel'] ? t(`reception:channel.${text(data['channel'])}`) : '',
        app ? dueText(app.dueAt, app.calendarMissingYear, t, { none: '' }) : '',
        app ? statusText(app, now, t) : '',
      ]),
    };
  }
  return {
    // Each letter under its outgoing number; the registration number is the reference to the application.
    columns: [
      'no',
      'outgoingNumber',
      'sentAt',
      'regReference',
      'applicant',
      'service',
      'document',
      'mode',
      'tracking',
    ].map((c) => t(`journals:columns.${c}`)),
    rows: entries.map(({ entry, data, app }, i) => [
      String(i + 1),
      entry.number ?? '',
      formatPrintedDateTime(entry.at),
      entry.regNumber ?? '',
      data ? text(data['applicant']) : t('common:unreadable'),
      service(app),
      !data
        ? ''
        : data['document'] === 'notice'
          ? t('journals:document.notice')
          : data['outcome'] === 'refused'
            ? t('journals:document.refusal')
            : t('journals:document.result'),
      data?.['mode'] ? t(`card:delivery.${text(data['mode'])}`) : '',
      text(data?.['tracking']),
    ]),
  };
}

/** CSV as spreadsheets open it everywhere: UTF-8 with a byte-order mark, semicolons, quoted cells. */
export function toCsv(table: JournalTable): string {
  const cell = (v: string): string => `"${v.replace(/"/g, '""')}"`;
  const lines = [table.columns, ...table.rows].map((r) => r.map(cell).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A real .xlsx workbook (ExcelJS), loaded only when someone exports. */
export async function toXlsx(table: JournalTable, title: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'Kense';
  const sheet = book.addWorksheet(title.slice(0, 31), { pageSetup: { orientation: 'landscape', paperSize: 9 } });
  sheet.addRow([title]).font = { bold: true, size: 13 };
  const head = sheet.addRow(table.columns);
  head.font = { bold: true };
  for (const r of table.rows) sheet.addRow(r);
  sheet.columns.forEach((c, i) => {
    const widest = Math.max(...[table.columns[i] ?? '', ...table.rows.map((r) => r[i] ?? '')].map((v) => v.length));
    c.width = Math.min(60, Math.max(6, widest + 2));
  });
  const buffer = await book.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}
