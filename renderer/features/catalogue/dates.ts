import { fromLocal, parseDate, formatDate } from '@shared/calendar';
import { formatPrintedDate } from '../../i18n/format';

/** A catalogue date ('YYYY-MM-DD') as the app prints dates: dd.MM.yyyy. */
export function isoDateText(date: string): string {
  return formatPrintedDate(fromLocal(date, 12 * 60));
}

/** A date typed as dd.MM.yyyy (the app's input format), as 'YYYY-MM-DD'; null when it is no date. */
export function parseTypedDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const iso = formatDate(Number(m[3]), Number(m[2]), Number(m[1]));
  try {
    parseDate(iso);
    return iso;
  } catch {
    return null;
  }
}
