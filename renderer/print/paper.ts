import type { PageSize } from '@shared/ipc/contract';
import { MIN_PAGE_MICRONS } from '@shared/ipc/contract';
import type { PaperFormat } from './types';

/**
 * Paper geometry. Rolls: 58 mm paper has ~48 mm printable (384 dots at 203 dpi), 80 mm has ~72 mm
 * (576 dots); the rest is the printer's own dead margin, so the sheet pads the content in by that
 * much and prints with no page margins. A roll's page is as long as its content.
 */
export interface PaperGeometry {
  /** Paper width, mm. */
  width: number;
  /** Printable width, mm: what the content may use. */
  printable: number;
  /** A fixed page height (A4), or null for a roll cut to the content. */
  height: number | null;
}

export const PAPER: Record<PaperFormat, PaperGeometry> = {
  '58mm': { width: 58, printable: 48, height: null },
  '80mm': { width: 80, printable: 72, height: null },
  A4: { width: 210, printable: 180, height: 297 },
};

export const isRoll = (format: PaperFormat): boolean => PAPER[format].height === null;

/** CSS px are 1/96 in. */
export const MM_PER_PX = 25.4 / 96;

/** Blank paper after the last line of a roll, so that the tear bar does not cut through the text. */
export const ROLL_FEED_MM = 6;

/** The page height of a roll for content `contentPx` CSS px tall: whole millimetres, plus the feed. */
export function rollHeightMm(contentPx: number): number {
  const mm = Math.ceil(Math.max(0, contentPx) * MM_PER_PX) + ROLL_FEED_MM;
  return Math.max(mm, 20);
}

/** The page as the printer needs it: 'A4', or the roll's size in microns (each side ≥ 353 µm). */
export function pageSizeFor(format: PaperFormat, heightMm: number): PageSize {
  const paper = PAPER[format];
  if (paper.height !== null) return 'A4';
  return {
    width: Math.max(MIN_PAGE_MICRONS, Math.round(paper.width * 1000)),
    height: Math.max(MIN_PAGE_MICRONS, Math.round(heightMm * 1000)),
  };
}

/** The CSS `@page` rule for the same page. */
export function pageRuleFor(format: PaperFormat, heightMm: number): string {
  const paper = PAPER[format];
  const size = paper.height !== null ? 'A4 portrait' : `${paper.width}mm ${heightMm}mm`;
  return `@page { size: ${size}; margin: 0; }`;
}
