import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { PAPER_FORMATS, type PaperFormat, type PrintJob } from './types';

/** Documents that may print by themselves when an application is registered. */
export const AUTO_DOCS = ['ticket', 'receipt'] as const;
export type AutoDoc = (typeof AUTO_DOCS)[number];

export const MAX_COPIES = 5;

/** How this desk prints. Kept per desk in the browser profile, like the UI language. */
export interface PrintSettings {
  /** The printer's system name for silent printing; null = the system print dialog each time. */
  deviceName: string | null;
  format: PaperFormat;
  /** 1–5. */
  copies: number;
  /** Print as soon as an application is registered. */
  autoPrint: boolean;
  /** Which documents print on registration. */
  autoDocs: AutoDoc[];
}

export const DEFAULT_PRINT_SETTINGS: PrintSettings = {
  deviceName: null,
  format: '80mm',
  copies: 1,
  autoPrint: false,
  autoDocs: ['ticket', 'receipt'],
};

export const PRINT_SETTINGS_KEY = 'kense.print';

const formatSchema = z.enum(PAPER_FORMATS as [PaperFormat, ...PaperFormat[]]);
const autoDocSchema = z.enum(AUTO_DOCS);

/**
 * Reads a stored (or hand-edited, or corrupted) entry field by field: whatever is valid is kept,
 * anything else falls back to the default. Settings never break start-up.
 */
export function parsePrintSettings(raw: unknown): PrintSettings {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_PRINT_SETTINGS;
  const device = z.string().trim().min(1).max(256).nullable().safeParse(o['deviceName']);
  const format = formatSchema.safeParse(o['format']);
  const copies = z.number().int().min(1).max(MAX_COPIES).safeParse(o['copies']);
  const autoPrint = z.boolean().safeParse(o['autoPrint']);
  const autoDocs = z.array(autoDocSchema).max(AUTO_DOCS.length).safeParse(o['autoDocs']);
  return {
    deviceName: device.success ? device.data : d.deviceName,
    format: format.success ? format.data : d.format,
    copies: copies.success ? copies.data : d.copies,
    autoPrint: autoPrint.success ? autoPrint.data : d.autoPrint,
    // Kept in a fixed order (ticket before receipt), each once.
    autoDocs: autoDocs.success ? AUTO_DOCS.filter((x) => autoDocs.data.includes(x)) : d.autoDocs,
  };
}

export function clampCopies(n: number): number {
  if (!Number.isFinite(n)) return 1;
  return Math.min(MAX_COPIES, Math.max(1, Math.round(n)));
}

export interface PrintSettingsState extends PrintSettings {
  /** Applies a change; invalid values are corrected (copies clamped) or ignored. */
  update: (patch: Partial<PrintSettings>) => void;
  reset: () => void;
}

export const usePrintSettings = create<PrintSettingsState>()(
  persist(
    (set, get) => ({
      ...DEFAULT_PRINT_SETTINGS,
      update: (patch) => {
        const current = pickSettings(get());
        const next = { ...current, ...patch };
        if (patch.copies !== undefined) next.copies = clampCopies(patch.copies);
        set(parsePrintSettings(next));
      },
      reset: () => set({ ...DEFAULT_PRINT_SETTINGS }),
    }),
    {
      name: PRINT_SETTINGS_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => pickSettings(s),
      merge: (persisted, current) => ({ ...current, ...parsePrintSettings(persisted) }),
    },
  ),
);

export function pickSettings(s: PrintSettings): PrintSettings {
  return {
    deviceName: s.deviceName,
    format: s.format,
    copies: s.copies,
    autoPrint: s.autoPrint,
    autoDocs: s.autoDocs,
  };
}

/** The documents to print by themselves on registration, in order; none when auto-printing is off. */
export function autoDocsOf(s: PrintSettings): PrintJob['doc'][] {
  return s.autoPrint ? [...s.autoDocs] : [];
}
