import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_MEMBERS, IPC, type KenseBridge, type MenuCommand } from '@shared/ipc/contract';

/**
 * The preload in Node with a fake `electron`: what it exposes to the page is exactly the
 * contract (functions and the platform name, never ipcRenderer, require or process), each call
 * goes to its own channel, and what comes back from the main process is checked.
 */
const exposed: Record<string, unknown> = {};
const invoked: { channel: string; payload: unknown }[] = [];
let answer: (channel: string) => unknown = () => undefined;
const listeners = new Map<string, ((event: unknown, raw: unknown) => void)[]>();

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: unknown) => {
      exposed[name] = api;
    },
  },
  ipcRenderer: {
    invoke: (channel: string, payload: unknown) => {
      invoked.push({ channel, payload });
      return Promise.resolve(answer(channel));
    },
    on: (channel: string, l: (event: unknown, raw: unknown) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), l]);
    },
    removeListener: (channel: string, l: (event: unknown, raw: unknown) => void) => {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((x) => x !== l),
      );
    },
  },
}));

let bridge: KenseBridge;
beforeAll(async () => {
  await import('./index');
  bridge = exposed['kense'] as KenseBridge;
});

describe('the preload bridge', () => {
  it('exposes one object, window.kense, with exactly the contract: functions and the platform, nothing of Node', () => {
    expect(Object.keys(exposed)).toEqual(['kense']);
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_MEMBERS].sort());
    for (const [name, value] of Object.entries(bridge)) {
      if (name === 'platform') expect(value).toBe('electron');
      else expect(typeof value, name).toBe('function');
    }
    for (const leak of ['ipcRenderer', 'invoke', 'send', 'on', 'require', 'process', 'Buffer', 'electron'])
      expect(leak in bridge, leak).toBe(false);
  });

  it('each method calls its own channel only, with the request as given', async () => {
    invoked.length = 0;
    answer = (channel) =>
      ({
        [IPC.getAppInfo]: {
          name: 'Kense',
          version: '0.1.0',
          platform: 'electron',
          os: 'linux x64',
          electronVersion: '45.4.1',
          chromeVersion: '140.0.0.0',
        },
        [IPC.print]: { ok: true },
        [IPC.printToPdf]: { ok: true, data: new Uint8Array([37, 80, 68, 70, 45, 49]) },
        [IPC.getPrinters]: [],
        [IPC.getDataKey]: { ok: true, key: new Uint8Array(32) },
      })[channel];
    await bridge.getAppInfo();
    await bridge.setUiLanguage('ru');
    await bridge.print({ dialog: true });
    await bridge.printToPdf({ pageSize: 'A4' });
    await bridge.getPrinters();
    await bridge.getDataKey?.({ scope: 'ALM01/D01' });
    expect(invoked).toEqual([
      { channel: IPC.getAppInfo, payload: undefined },
      { channel: IPC.setUiLanguage, payload: 'ru' },
      { channel: IPC.print, payload: { dialog: true } },
      { channel: IPC.printToPdf, payload: { pageSize: 'A4' } },
      { channel: IPC.getPrinters, payload: undefined },
      { channel: IPC.getDataKey, payload: { scope: 'ALM01/D01' } },
    ]);
  });

  it('turns a refusal into an error, and refuses answers of the wrong shape from the main process', async () => {
    answer = () => ({ refused: true, code: 'ipc.invalidPayload' });
    await expect(bridge.setUiLanguage('kk')).rejects.toThrow('refused: ipc.invalidPayload');
    answer = () => ({ name: 'Kense', platform: 'windows' });
    await expect(bridge.getAppInfo()).rejects.toThrow();
    answer = () => ({ ok: true, key: new Uint8Array(16) });
    await expect(bridge.getDataKey?.({ scope: 'ALM01/D01' })).rejects.toThrow();
    answer = () => ({ ok: true, data: 'JVBERi0=' });
    await expect(bridge.printToPdf({ pageSize: 'A4' })).rejects.toThrow();
  });

  it('passes only well-formed menu commands to the page, and unsubscribes', () => {
    const seen: MenuCommand[] = [];
    const off = bridge.onMenuCommand((c) => seen.push(c));
    const emit = (raw: unknown): void => (listeners.get(IPC.menuCommand) ?? []).forEach((l) => l({}, raw));
    emit({ type: 'navigate', section: 'inbox' });
    emit({ type: 'navigate', section: '../../etc' });
    emit({ type: 'exec', command: 'rm -rf /' });
    emit('navigate');
    expect(seen).toEqual([{ type: 'navigate', section: 'inbox' }]);
    off();
    emit({ type: 'setLanguage', language: 'ru' });
    expect(seen).toHaveLength(1);
  });
});
