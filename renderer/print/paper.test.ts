import { describe, expect, it, vi } from 'vitest';

// The settings persist to localStorage, which Node lacks: an in-memory one, before the store exists.
const memory = vi.hoisted(() => {
  const items = new Map<string, string>();
  const storage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
  (globalThis as { localStorage?: unknown }).localStorage = storage;
  return items;
});
import { pageSizeFor, pageRuleFor, PAPER, rollHeightMm, ROLL_FEED_MM } from './paper';
import { printRequestFor } from './printJob';
import { autoDocsOf, clampCopies, DEFAULT_PRINT_SETTINGS, parsePrintSettings, usePrintSettings } from './settings';
import { PAPER_FORMATS } from './types';

describe('paper geometry', () => {
  it('knows every format, with the printable width of rolls', () => {
    for (const f of PAPER_FORMATS) expect(PAPER[f]).toBeDefined();
    expect(PAPER['58mm'].printable).toBe(48);
    expect(PAPER['80mm'].printable).toBe(72);
  });

  it('cuts a roll to its content in whole millimetres plus the feed, never shorter than 20 mm', () => {
    // 378 CSS px = 100 mm.
    expect(rollHeightMm(377.95)).toBe(100 + ROLL_FEED_MM);
    expect(rollHeightMm(0)).toBe(20);
    expect(rollHeightMm(-5)).toBe(20);
  });

  it('gives receipt printers an explicit size in microns and A4 by name', () => {
    expect(pageSizeFor('58mm', 143)).toEqual({ width: 58000, height: 143000 });
    expect(pageSizeFor('80mm', 0.1)).toEqual({ width: 80000, height: 353 });
    expect(pageSizeFor('A4', 297)).toBe('A4');
    expect(pageRuleFor('80mm', 120)).toBe('@page { size: 80mm 120mm; margin: 0; }');
    expect(pageRuleFor('A4', 297)).toBe('@page { size: A4 portrait; margin: 0; }');
  });

  it('asks for the dialog without a printer, and prints silently to the named one', () => {
    const size = { width: 58000, height: 100000 };
    expect(printRequestFor({ deviceName: null, format: '58mm', copies: 2 }, size)).toEqual({
      dialog: true,
      copies: 2,
      pageSize: size,
    });
    expect(printRequestFor({ deviceName: 'XP-58', format: '58mm', copies: 1 }, size)).toEqual({
      dialog: false,
      deviceName: 'XP-58',
      copies: 1,
      pageSize: size,
    });
  });
});

describe('print settings', () => {
  it('reads a stored entry field by field, falling back to the defaults', () => {
    expect(parsePrintSettings(null)).toEqual(DEFAULT_PRINT_SETTINGS);
    expect(parsePrintSettings('garbage')).toEqual(DEFAULT_PRINT_SETTINGS);
    expect(
      parsePrintSettings({ deviceName: 'POS-80', format: '58mm', copies: 3, autoPrint: true, autoDocs: ['receipt'] }),
    ).toEqual({ deviceName: 'POS-80', format: '58mm', copies: 3, autoPrint: true, autoDocs: ['receipt'] });
    expect(
      parsePrintSettings({ deviceName: '', format: 'A3', copies: 9, autoPrint: 'yes', autoDocs: ['refusal'] }),
    ).toEqual(DEFAULT_PRINT_SETTINGS);
    expect(parsePrintSettings({ autoDocs: ['receipt', 'ticket'] }).autoDocs).toEqual(['ticket', 'receipt']);
  });

  it('keeps copies between 1 and 5', () => {
    expect([0, 1, 2.4, 5, 7, Number.NaN].map(clampCopies)).toEqual([1, 1, 2, 5, 5, 1]);
  });

  it('prints nothing by itself unless auto-printing is on', () => {
    expect(autoDocsOf({ ...DEFAULT_PRINT_SETTINGS, autoPrint: false })).toEqual([]);
    expect(autoDocsOf({ ...DEFAULT_PRINT_SETTINGS, autoPrint: true, autoDocs: ['receipt'] })).toEqual(['receipt']);
  });

  it('corrects what the panel sends', () => {
    const { update } = usePrintSettings.getState();
    update({ copies: 12, format: '58mm' });
    expect(usePrintSettings.getState()).toMatchObject({ copies: 5, format: '58mm' });
    expect(JSON.parse(memory.get('kense.print') ?? '{}')).toMatchObject({ state: { copies: 5, format: '58mm' } });
    update({ deviceName: 'XP-58' });
    update({ deviceName: null });
    expect(usePrintSettings.getState().deviceName).toBeNull();
    usePrintSettings.getState().reset();
    expect(usePrintSettings.getState().format).toBe(DEFAULT_PRINT_SETTINGS.format);
  });
});
