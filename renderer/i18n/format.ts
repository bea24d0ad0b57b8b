import type { UiLanguage } from '@shared/ipc/contract';
import { intlLocale } from './index';

/** Kazakhstan has one time zone, UTC+5, since 1 March 2024. */
const KZ_OFFSET_MS = 5 * 60 * 60 * 1000;

function kzParts(instant: number): { y: number; m: number; d: number; hh: number; mm: number } {
  const t = new Date(instant + KZ_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    m: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    hh: t.getUTCHours(),
    mm: t.getUTCMinutes(),
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * Dates on printed documents are always dd.MM.yyyy in both languages (CLDR's short Kazakh date
 * is yy-based and its medium one puts the year first, neither of which offices use on paper).
 */
export function formatPrintedDate(instant: number): string {
  const p = kzParts(instant);
  return `${pad(p.d)}.${pad(p.m)}.${pad(p.y, 4)}`;
}

export function formatPrintedDateTime(instant: number): string {
  const p = kzParts(instant);
  return `${formatPrintedDate(instant)} ${pad(p.hh)}:${pad(p.mm)}`;
}

/** On-screen date in the UI language, e.g. "2026 ж. 9 наурыз" / "9 марта 2026 г.". */
export function formatLongDate(instant: number, language: UiLanguage): string {
  return new Intl.DateTimeFormat(intlLocale(language), {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(instant + KZ_OFFSET_MS));
}

/**
 * The locale numbers are formatted in. Kazakh and Russian write numbers alike in Kazakhstan (groups
 * of three with a no-break space, a decimal comma: CLDR's kk and ru), but Chromium ships Kazakh
 * without its number symbols: `kk-KZ` resolves and formats 1850.5 as "1,850.5". So numbers are
 * formatted as ru-KZ in both languages.
 */
function numberLocale(_language: UiLanguage): string {
  return 'ru-KZ';
}

/** Numbers with the no-break-space grouping and decimal comma of kk-KZ / ru-KZ. */
export function formatNumber(value: number, language: UiLanguage): string {
  return new Intl.NumberFormat(numberLocale(language)).format(value);
}

export function formatMoneyKzt(value: number, language: UiLanguage): string {
  return new Intl.NumberFormat(numberLocale(language), { style: 'currency', currency: 'KZT' }).format(value);
}
