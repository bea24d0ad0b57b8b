import type { TFunction } from 'i18next';
import { formatPrintedDate, formatPrintedDateTime } from '../i18n/format';

/**
 * A due date as every list, card and journal shows it: the date (with the time where asked), or —
 * when the deadline falls into a year whose working calendar is not published — "calendar for
 * 2028 not published", never a guessed date; otherwise `none` (no norm in the regulation).
 */
export function dueText(
  due: number | null,
  calendarMissingYear: number | null | undefined,
  t: TFunction,
  opts: { time?: boolean; none?: string } = {},
): string {
  if (due !== null) return opts.time ? formatPrintedDateTime(due) : formatPrintedDate(due);
  // The year as text: ICU would print a number with a thousands separator (2 028).
  if (calendarMissingYear) return t('common:calendarMissing', { year: String(calendarMissingYear) });
  return opts.none ?? '—';
}
