import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { afterAll, expect, it } from 'vitest';
import type { KenseBridge } from '@shared/ipc/contract';
import { createI18n } from '../i18n';
import { PrintSettingsPanel } from './PrintSettingsPanel';
import { usePrintSettings } from './settings';

// An Electron host with two printers, in place before the app first asks for its bridge.
const host: KenseBridge = {
  platform: 'electron',
  getAppInfo: () => Promise.reject(new Error('unused')),
  setUiLanguage: () => Promise.resolve(),
  onMenuCommand: () => () => undefined,
  print: () => Promise.resolve({ ok: true }),
  printToPdf: () => Promise.resolve({ ok: false, code: 'print.failed' }),
  getPrinters: () =>
    Promise.resolve([
      { name: 'HP_LaserJet', displayName: 'HP LaserJet', isDefault: true },
      { name: 'XP_58', displayName: 'XP-58 (кассалық)', isDefault: false },
    ]),
};
Object.defineProperty(window, 'kense', { value: host, configurable: true });
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
afterAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
});

it('in Electron lists the printers by system name, keeps a vanished one visible, and sets copies', async () => {
  usePrintSettings.getState().update({ deviceName: 'Old_Printer' });
  const i18n = await createI18n('ru');
  const el = document.createElement('div');
  document.body.appendChild(el);
  const root = createRoot(el);
  await act(async () => {
    root.render(
      <I18nextProvider i18n={i18n}>
        <MemoryRouter>
          <PrintSettingsPanel />
        </MemoryRouter>
      </I18nextProvider>,
    );
    await new Promise((r) => setTimeout(r, 0));
  });
  const select = el.querySelector<HTMLSelectElement>('[data-testid="print-printer"]');
  if (!select) throw new Error('no printer select');
  expect([...select.options].map((o) => [o.value, o.text])).toEqual([
    ['', 'Каждый раз открывать окно печати'],
    ['HP_LaserJet', 'HP LaserJet (по умолчанию)'],
    ['XP_58', 'XP-58 (кассалық)'],
    ['Old_Printer', 'Old_Printer (не найден)'],
  ]);
  expect(select.value).toBe('Old_Printer');
  expect(el.querySelector('[data-testid="print-browser-note"]')).toBeNull();

  await act(async () => {
    select.value = 'XP_58';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await Promise.resolve();
  });
  expect(usePrintSettings.getState().deviceName).toBe('XP_58');
  expect(el.textContent).toContain('Документы уходят на выбранный принтер сразу, без окна печати.');

  await act(async () => {
    select.value = '';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await Promise.resolve();
  });
  expect(usePrintSettings.getState().deviceName).toBeNull();
  expect(el.querySelector('[data-testid="print-copies"]')).not.toBeNull();
  act(() => root.unmount());
  el.remove();
  usePrintSettings.getState().reset();
});
