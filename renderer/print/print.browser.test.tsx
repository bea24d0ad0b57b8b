import '@fontsource/noto-sans/cyrillic-ext-400.css';
import '@fontsource/noto-sans/cyrillic-ext-600.css';
import '@fontsource/noto-sans/cyrillic-400.css';
import '@fontsource/noto-sans/cyrillic-600.css';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { i18n as I18n } from 'i18next';
import type { KenseBridge, PrintRequest } from '@shared/ipc/contract';
import { createI18n } from '../i18n';
import { printDocument, printDocumentToPdf } from './printJob';
import { PrintSettingsPanel } from './PrintSettingsPanel';
import { SAMPLE_JOBS } from './sample';
import { DEFAULT_PRINT_SETTINGS, PRINT_SETTINGS_KEY, usePrintSettings } from './settings';

/** act() for the panel's test; printDocument renders imperatively, as in the app, outside act. */
const actEnvironment = (on: boolean): void => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = on;
};

let i18n: I18n;
beforeAll(async () => {
  i18n = await createI18n('kk');
});

interface Seen {
  request: PrintRequest;
  slots: number;
  jobSlots: number;
  doc: string | null;
  format: string | null;
  qr: boolean;
  rules: string;
}

const pageRules = (): string =>
  document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join(' ');

/** An Electron-like host that records what the page looked like when it was asked to print. */
function fakeHost(): { bridge: KenseBridge; seen: Seen[] } {
  const seen: Seen[] = [];
  const bridge: KenseBridge = {
    platform: 'electron',
    getAppInfo: () => Promise.reject(new Error('unused')),
    setUiLanguage: () => Promise.resolve(),
    onMenuCommand: () => () => undefined,
    getPrinters: () => Promise.resolve([]),
    print: async (request) => {
      const root = document.getElementById('kense-print-root');
      const sheet = root?.querySelector('.print-slot[data-job] .print-sheet');
      seen.push({
        request,
        slots: root?.querySelectorAll('.print-slot').length ?? 0,
        jobSlots: root?.querySelectorAll('.print-slot[data-job]').length ?? 0,
        doc: sheet?.getAttribute('data-doc') ?? null,
        format: sheet?.getAttribute('data-format') ?? null,
        qr: Boolean(sheet?.querySelector('.print-qr-code path')),
        rules: pageRules(),
      });
      await new Promise((r) => setTimeout(r, 20));
      return { ok: true };
    },
    printToPdf: () => Promise.resolve({ ok: true, data: new Uint8Array([37, 80, 68, 70, 45, 49]) }),
  };
  return { bridge, seen };
}

describe('printDocument', () => {
  it('prints a roll silently to the named printer, sized in microns, with the job alone in the print root', async () => {
    const { bridge, seen } = fakeHost();
    const result = await printDocument(SAMPLE_JOBS.receipt, { deviceName: 'XP-58', format: '58mm', copies: 2 }, bridge);
    expect(result).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
    const [s] = seen;
    expect(s).toMatchObject({ slots: 1, jobSlots: 1, doc: 'receipt', format: '58mm', qr: true });
    expect(s?.request).toMatchObject({ dialog: false, deviceName: 'XP-58', copies: 2 });
    const size = s?.request.pageSize;
    if (typeof size !== 'object') throw new Error('a roll needs an explicit size');
    expect(size.width).toBe(58000);
    // The receipt sample is a long strip, and the page is as long as the strip.
    expect(size.height).toBeGreaterThan(250_000);
    expect(size.height).toBeLessThan(600_000);
    expect(s?.rules).toContain(`size: 58mm ${size.height / 1000}mm`);
    // Afterwards: nothing left in the print root, no page rule left behind.
    expect(document.querySelectorAll('#kense-print-root .print-slot')).toHaveLength(0);
    expect(pageRules()).toBe('');
  });

  it('prints the accepting office under the provider, and "calendar not published" for a due date it cannot give', async () => {
    const texts: { office: string | null; provider: string | null; due: string | null }[] = [];
    const { bridge } = fakeHost();
    const print = bridge.print.bind(bridge);
    bridge.print = (request) => {
      const sheet = document.querySelector('#kense-print-root .print-slot[data-job] [data-lang="ru"]');
      texts.push({
        office: sheet?.querySelector('[data-testid="print-office"]')?.textContent ?? null,
        provider: sheet?.querySelector('[data-testid="print-provider"]')?.textContent ?? null,
        due: sheet?.querySelector('[data-field="resultDue"]')?.textContent ?? null,
      });
      return print(request);
    };
    const job = SAMPLE_JOBS.receipt;
    if (job.doc !== 'receipt') throw new Error('sample');
    const office = { kk: 'Алмалы аудандық бөлімі', ru: 'Алмалинский районный отдел' };
    await printDocument(
      { doc: 'receipt', data: { ...job.data, office, resultDueAt: null, calendarMissingYear: 2028 } },
      { deviceName: null, format: 'A4', copies: 1 },
      bridge,
    );
    expect(texts[0]?.provider).toContain(job.data.provider.ru);
    expect(texts[0]?.office).toBe('Алмалинский районный отдел');
    expect(texts[0]?.due).toContain('календаря на 2028 год');
  });

  it('uses the system dialog without a printer, and A4 by name', async () => {
    const { bridge, seen } = fakeHost();
    await printDocument(SAMPLE_JOBS.refusal, { deviceName: null, format: 'A4', copies: 1 }, bridge);
    expect(seen[0]?.request).toEqual({ dialog: true, copies: 1, pageSize: 'A4' });
    expect(seen[0]?.rules).toMatch(/size: a4/i);
  });

  it('prints one job at a time, in order', async () => {
    const { bridge, seen } = fakeHost();
    const target = { deviceName: 'POS-80', format: '80mm', copies: 1 } as const;
    const results = await Promise.all([
      printDocument(SAMPLE_JOBS.ticket, target, bridge),
      printDocument(SAMPLE_JOBS.receipt, target, bridge),
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(seen.map((s) => [s.doc, s.jobSlots])).toEqual([
      ['ticket', 1],
      ['receipt', 1],
    ]);
  });

  it('turns a failing host into a result, never a throw', async () => {
    const { bridge } = fakeHost();
    const broken: KenseBridge = { ...bridge, print: () => Promise.reject(new Error('refused: ipc.invalidPayload')) };
    await expect(
      printDocument(SAMPLE_JOBS.ticket, { deviceName: null, format: '58mm', copies: 1 }, broken),
    ).resolves.toEqual({ ok: false, code: 'print.failed' });
    expect(document.querySelectorAll('#kense-print-root .print-slot')).toHaveLength(0);
  });

  it('makes PDFs through the host, and says so in browser mode', async () => {
    const { bridge } = fakeHost();
    const pdf = await printDocumentToPdf(SAMPLE_JOBS.ticket, '80mm', bridge);
    expect(pdf.ok).toBe(true);
    await expect(printDocumentToPdf(SAMPLE_JOBS.ticket, '80mm', { ...bridge, platform: 'browser' })).resolves.toEqual({
      ok: false,
      code: 'print.pdfUnavailable',
    });
  });
});

describe('PrintSettingsPanel in browser mode', () => {
  beforeAll(() => actEnvironment(true));
  afterAll(() => actEnvironment(false));
  let root: Root | null = null;
  let host: HTMLElement | null = null;
  afterEach(() => {
    act(() => root?.unmount());
    host?.remove();
    usePrintSettings.getState().reset();
  });

  async function mount(): Promise<HTMLElement> {
    host = document.createElement('div');
    document.body.appendChild(host);
    root = createRoot(host);
    await act(async () => {
      root?.render(
        <I18nextProvider i18n={i18n}>
          <MemoryRouter>
            <PrintSettingsPanel />
          </MemoryRouter>
        </I18nextProvider>,
      );
      await new Promise((r) => setTimeout(r, 0));
    });
    return host;
  }

  const byTestId = <T extends HTMLElement>(el: HTMLElement, id: string): T => {
    const found = el.querySelector<T>(`[data-testid="${id}"]`);
    if (!found) throw new Error(`no ${id}`);
    return found;
  };

  it('explains the browser dialog, edits the settings, persists them, and prints a test ticket', async () => {
    const el = await mount();
    expect(byTestId(el, 'print-browser-note').textContent).toContain('браузердің өз басып шығару терезесінде');
    expect(el.querySelector('[data-testid="print-printer"]')).toBeNull();

    const radio58 = byTestId(el, 'print-format').querySelector<HTMLInputElement>('input[value="58mm"]');
    act(() => radio58?.click());
    expect(usePrintSettings.getState().format).toBe('58mm');

    const auto = byTestId<HTMLInputElement>(el, 'print-auto');
    const ticket = byTestId<HTMLInputElement>(el, 'print-auto-ticket');
    expect(ticket.closest('fieldset')?.disabled).toBe(true);
    act(() => auto.click());
    expect(ticket.closest('fieldset')?.disabled).toBe(false);
    act(() => ticket.click());
    expect(usePrintSettings.getState()).toMatchObject({ autoPrint: true, autoDocs: ['receipt'] });
    expect(JSON.parse(localStorage.getItem(PRINT_SETTINGS_KEY) ?? '{}')).toMatchObject({
      state: { format: '58mm', autoPrint: true, autoDocs: ['receipt'] },
    });

    let printed = 0;
    const realPrint = Object.getOwnPropertyDescriptor(window, 'print');
    window.print = () => {
      printed += document.querySelectorAll(
        '#kense-print-root .print-slot[data-job] .print-sheet[data-format="58mm"]',
      ).length;
    };
    try {
      await act(async () => {
        byTestId(el, 'print-test-ticket').click();
        await new Promise((r) => setTimeout(r, 300));
      });
    } finally {
      if (realPrint) Object.defineProperty(window, 'print', realPrint);
      else delete (window as { print?: unknown }).print;
    }
    expect(printed).toBe(1);
    expect(el.querySelector('[role="status"]')?.textContent).toBe('Басып шығаруға жіберілді');
    expect(usePrintSettings.getState().copies).toBe(DEFAULT_PRINT_SETTINGS.copies);
  });
});
