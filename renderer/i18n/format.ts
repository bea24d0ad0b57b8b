import { toLocalParts, utcOffsetMinutes } from '@shared/calendar';
import type { UiLanguage } from '@shared/ipc/contract';
import { intlLocale } from './index';

/** Kazakhstan's local time (shared/calendar/time.ts: UTC+5 since 1 March 2024, +6 before). */
function kzParts(instant: number): { y: number; m: number; d: number; hh: number; mm: number } {
  const p = toLocalParts(instant);
  return { y: p.year, m: p.month, d: p.day, hh: Math.floor(p.minutes / 60), mm: p.minutes % 60 };
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
  }).format(new Date(instant + utcOffsetMinutes(instant) * 60_000));
}

/**
 * Numbers with the no-break-space grouping and decimal comma used in Kazakhstan in both languages
 * (CLDR's kk and ru agree). Formatted with ru-KZ's symbols for both: Chromium's ICU has no Kazakh
 * number data and formats `kk-KZ` as "12,345.6".
 */
export function formatNumber(value: number, _language: UiLanguage, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat('ru-KZ', options).format(value);
}

export function formatMoneyKzt(value: number, _language: UiLanguage): string {
  return new Intl.NumberFormat('ru-KZ', { style: 'currency', currency: 'KZT' }).format(value);
}
