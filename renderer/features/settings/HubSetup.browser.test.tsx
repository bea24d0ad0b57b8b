import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { afterAll, expect, it } from 'vitest';
import type { HubConfig, HubStatusReport, KenseBridge } from '@shared/ipc/contract';
import { createI18n } from '../../i18n';
import { useSession } from '../../state/session';
import { useSyncStatus } from '../../state/sync';
import { HubSetup } from './HubSetup';

// An Electron host whose hub runs and has copied three staff accounts (one left out).
const running: HubStatusReport = {
  available: true,
  state: 'running',
  url: 'http://127.0.0.1:5985',
  uplink: 'online',
  lastSyncAt: null,
  staff: { state: 'copied', count: 3, skipped: 1, lastCopyAt: 1 },
  health: null,
  error: null,
  config: {
    enabled: true,
    office: 'ALM01',
    host: '0.0.0.0',
    port: 5985,
    centralUrl: 'http://central',
    user: 'hub-alm01',
    serviceUrl: 'http://central:5986',
  },
};
const sent: HubConfig[] = [];
let refuse = false;
const host: KenseBridge = {
  platform: 'electron',
  getAppInfo: () => Promise.reject(new Error('unused')),
  setUiLanguage: () => Promise.resolve(),
  onMenuCommand: () => () => undefined,
  print: () => Promise.resolve({ ok: true }),
  printToPdf: () => Promise.resolve({ ok: false, code: 'print.failed' }),
  getPrinters: () => Promise.resolve([]),
  getHubStatus: () => Promise.resolve(running),
  configureHub: (config) => {
    sent.push(config);
    // As the preload does when the main process refuses the payload.
    return refuse ? Promise.reject(new Error('refused: ipc.invalidPayload')) : Promise.resolve(running);
  },
};
Object.defineProperty(window, 'kense', { value: host, configurable: true });
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
afterAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
});

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function type(el: HTMLElement, testId: string, value: string): void {
  const input = el.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
  if (!input) throw new Error(`no ${testId}`);
  // React tracks the value itself: set it through the prototype's setter, then say it changed.
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

it('the central service the hub copies staff from: saved one filled in, checked, sent with the hub settings; copy state and refusals said', async () => {
  useSession.setState({ office: 'ALM01' });
  useSyncStatus.setState({ targets: { central: 'http://central:5984', hub: null } });
  const i18n = await createI18n('ru');
  const el = document.createElement('div');
  document.body.appendChild(el);
  const root = createRoot(el);
  await act(async () => {
    root.render(
      <I18nextProvider i18n={i18n}>
        <HubSetup />
      </I18nextProvider>,
    );
    await tick();
  });
  const text = (id: string): string => el.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
  const enable = (): HTMLButtonElement => {
    const b = el.querySelector<HTMLButtonElement>('[data-testid="hub-enable"]');
    if (!b) throw new Error('no enable button');
    return b;
  };
  // The copy's state, in the UI language; the saved service address is filled in.
  expect(text('hub-staff')).toBe(
    'Скопировано учётных записей сотрудников: 3. Учётных записей, которые хаб не может проверить (не PBKDF2 SHA-1 или SHA-256): 1; эти сотрудники не смогут войти в хаб.',
  );
  expect(el.querySelector<HTMLInputElement>('[data-testid="hub-service-url"]')?.value).toBe('http://central:5986');
  // No staff reader any more: the hub account is all the hub holds.
  expect(el.querySelector('[data-testid="hub-staff-user"]')).toBeNull();

  await act(async () => {
    type(el, 'hub-password', 'hub-secret');
    type(el, 'hub-service-url', 'not an address');
    await tick();
  });
  // A malformed address: explained, and nothing can be sent.
  expect(el.textContent).toContain('Полный адрес, начиная с http:// или https://');
  expect(enable().disabled).toBe(true);

  await act(async () => {
    type(el, 'hub-service-url', 'https://couch.example.kz/_kense/');
    await tick();
  });
  expect(enable().disabled).toBe(false);
  await act(async () => {
    enable().click();
    await tick();
  });
  expect(sent.at(-1)).toEqual({
    enabled: true,
    office: 'ALM01',
    host: '0.0.0.0',
    port: 5985,
    central: { url: 'http://central:5984', user: 'hub-alm01', password: 'hub-secret' },
    serviceUrl: 'https://couch.example.kz/_kense',
  });

  // Emptied: no copy at all. And a refusal from the host is said, the form kept.
  refuse = true;
  await act(async () => {
    type(el, 'hub-service-url', '');
    await tick();
  });
  await act(async () => {
    enable().click();
    await tick();
  });
  expect(sent.at(-1)).not.toHaveProperty('serviceUrl');
  expect(text('hub-refused')).toBe('Настройки не приняты: проверьте поля и повторите.');
  expect(el.querySelector<HTMLInputElement>('[data-testid="hub-password"]')?.value).toBe('hub-secret');
  act(() => root.unmount());
});
