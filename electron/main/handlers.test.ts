import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  IPC,
  ipcRequestSchemas,
  type HubStatusReport,
  type IpcRequestChannel,
  type UiLanguage,
} from '@shared/ipc/contract';
import { CaptureGate } from './guards';
import { ipcHandlers } from './handlers';
import { isRefusal } from './ipc';
import { createKeyStore, type SafeStorageLike } from './keyStore';

type Frame = { url: string; parent: Frame | null };
const top: Frame = { url: 'app://kense/index.html#/settings', parent: null };
const HUB_OFF: HubStatusReport = {
  available: true,
  state: 'off',
  url: null,
  uplink: null,
  lastSyncAt: null,
  staff: null,
  health: null,
  error: null,
  config: null,
};

/** A fake shell: records every effect, so a test can prove that a refused call had none. */
function shell(devServerUrl?: string) {
  const effects: string[] = [];
  const files = new Map<string, Uint8Array>();
  const safeStorage: SafeStorageLike = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (s) => Buffer.from(`enc:${s}`),
    decryptString: (b) => b.toString().slice(4),
  };
  const keyStore = createKeyStore({
    safeStorage,
    files: {
      read: (n) => Promise.resolve(files.get(n) ?? null),
      write: (n, d) => {
        effects.push(`key written ${n}`);
        files.set(n, d);
        return Promise.resolve();
      },
    },
    randomBytes: (n) => new Uint8Array(n).fill(9),
    platform: 'linux',
  });
  const capture = new (class extends CaptureGate {
    override set(id: number, open: boolean): void {
      effects.push(`capture ${id} ${String(open)}`);
      super.set(id, open);
    }
  })();
  const handlers = ipcHandlers({
    capture,
    appInfo: () => {
      effects.push('appInfo');
      return {
        name: 'Kense',
        version: '0.1.0',
        platform: 'electron',
        os: 'linux x64',
        electronVersion: '45',
        chromeVersion: '140',
      };
    },
    setLanguage: (l: UiLanguage) => {
      effects.push(`language ${l}`);
      return Promise.resolve();
    },
    keyStore,
    hub: {
      status: () => {
        effects.push('hub status');
        return Promise.resolve(HUB_OFF);
      },
      configure: (config) => {
        effects.push(`hub ${config.host}:${config.port}`);
        return Promise.resolve(HUB_OFF);
      },
    },
    ...(devServerUrl ? { devServerUrl } : {}),
  });
  const sender = {
    id: 3,
    print: (options: unknown, cb: (ok: boolean, reason: string) => void) => {
      effects.push(`print ${JSON.stringify(options)}`);
      cb(true, '');
    },
    printToPDF: () => {
      effects.push('pdf');
      return Promise.resolve(Buffer.from('%PDF-1.7 test'));
    },
    getPrintersAsync: () => {
      effects.push('printers');
      return Promise.resolve([{ name: 'XP_58', displayName: 'XP-58', description: '', options: {} }]);
    },
  };
  const from = (frame: Frame | null): IpcMainInvokeEvent =>
    ({ senderFrame: frame, sender }) as unknown as IpcMainInvokeEvent;
  return { handlers, effects, files, from, capture };
}

const VALID: Record<IpcRequestChannel, unknown> = {
  [IPC.setCaptureOpen]: true,
  [IPC.getAppInfo]: undefined,
  [IPC.setUiLanguage]: 'ru',
  [IPC.print]: { dialog: false, deviceName: 'XP_58', pageSize: { width: 58000, height: 120000 } },
  [IPC.printToPdf]: { pageSize: 'A4' },
  [IPC.getPrinters]: undefined,
  [IPC.getDataKey]: { scope: 'ALM01/D01' },
  [IPC.getHubStatus]: undefined,
  [IPC.configureHub]: {
    enabled: true,
    office: 'ALM01',
    host: '0.0.0.0',
    port: 5985,
    central: { url: 'https://couch.example.kz', user: 'hub', password: 'secret' },
    serviceUrl: 'https://couch.example.kz/_kense',
  },
};

const STRANGERS: [string, Frame | null][] = [
  ['no frame (destroyed)', null],
  ['a remote page', { url: 'https://evil.example/', parent: null }],
  ['a look-alike host', { url: 'app://kense.evil/index.html', parent: null }],
  ['a local file', { url: 'file:///home/user/evil.html', parent: null }],
  ['a sub-frame of the app', { url: 'app://kense/index.html', parent: top }],
  ['the dev server, in a packaged app', { url: 'http://localhost:5173/', parent: null }],
  ['a data: URL', { url: 'data:text/html,<script>1</script>', parent: null }],
  ['garbage', { url: 'not a url', parent: null }],
];

describe('IPC handlers of the main process (the real table, a fake shell)', () => {
  it('covers every request channel of the contract', () => {
    const { handlers } = shell();
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(ipcRequestSchemas).sort());
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(ipcRequestSchemas).sort());
  });

  it.each(Object.keys(VALID) as IpcRequestChannel[])('%s: runs for the app, with an effect', async (channel) => {
    const { handlers, effects, from } = shell();
    const result = await handlers[channel](from(top), VALID[channel]);
    expect(isRefusal(result)).toBe(false);
    expect(effects.length).toBeGreaterThan(0);
  });

  it.each(Object.keys(VALID) as IpcRequestChannel[])(
    '%s: refuses every unknown sender, with no effect at all',
    async (channel) => {
      const { handlers, effects, from, files } = shell();
      for (const [label, frame] of STRANGERS) {
        await expect(handlers[channel](from(frame), VALID[channel]), label).resolves.toEqual({
          refused: true,
          code: 'ipc.unknownSender',
        });
      }
      expect(effects).toEqual([]);
      expect(files.size).toBe(0);
    },
  );

  it('trusts the dev server only when the shell runs it (npm run dev)', async () => {
    const { handlers, from } = shell('http://localhost:5173/');
    const devTop = { url: 'http://localhost:5173/#/inbox', parent: null };
    await expect(handlers[IPC.getAppInfo](from(devTop), undefined)).resolves.toMatchObject({ platform: 'electron' });
    await expect(
      handlers[IPC.getAppInfo](from({ url: 'http://localhost:5174/', parent: null }), undefined),
    ).resolves.toMatchObject({ code: 'ipc.unknownSender' });
  });

  it('refuses malformed payloads on every channel before any effect', async () => {
    const { handlers, effects, from, files } = shell();
    const bad: Record<IpcRequestChannel, unknown[]> = {
      [IPC.setCaptureOpen]: [undefined, 'true', 1, {}, [true]],
      [IPC.getAppInfo]: [null, 0, '', {}, []],
      [IPC.setUiLanguage]: [undefined, 'de', 'KK', ['kk'], { language: 'kk' }],
      [IPC.print]: [undefined, { dialog: 'no' }, { dialog: false, copies: 1e9 }, { dialog: false, silent: true }],
      [IPC.printToPdf]: [undefined, { pageSize: 'A4', path: '/etc/passwd' }, { pageSize: { width: 1, height: 1 } }],
      [IPC.getPrinters]: [null, 'XP_58', { all: true }],
      [IPC.getDataKey]: [
        undefined,
        {},
        { scope: 'ALM01' },
        { scope: '../../etc/passwd' },
        { scope: 'ALM01/D01/../../x' },
        { scope: 'alm01/d01' },
        { scope: 'ALM01/D01', create: true },
        { scope: 'ALM01\\D01' },
      ],
      [IPC.getHubStatus]: [null, 0, {}, 'status'],
      [IPC.configureHub]: [
        undefined,
        {},
        { ...(VALID[IPC.configureHub] as object), port: 80 },
        { ...(VALID[IPC.configureHub] as object), host: 'x; rm -rf /' },
        { ...(VALID[IPC.configureHub] as object), office: 'alm01' },
        { ...(VALID[IPC.configureHub] as object), central: { url: 'file:///etc', user: 'a', password: 'b' } },
        { ...(VALID[IPC.configureHub] as object), extra: true },
        { ...(VALID[IPC.configureHub] as object), serviceUrl: 'file:///etc/passwd' },
        { ...(VALID[IPC.configureHub] as object), serviceUrl: '' },
        { ...(VALID[IPC.configureHub] as object), serviceUrl: null },
        // The staff reader is gone: an office admin's password never reaches the hub.
        { ...(VALID[IPC.configureHub] as object), staffReader: { user: 'r', password: 'x' } },
      ],
    };
    for (const [channel, payloads] of Object.entries(bad) as [IpcRequestChannel, unknown[]][]) {
      for (const payload of payloads) {
        await expect(handlers[channel](from(top), payload), `${channel} ${JSON.stringify(payload)}`).resolves.toEqual({
          refused: true,
          code: 'ipc.invalidPayload',
        });
      }
    }
    expect(effects).toEqual([]);
    expect(files.size).toBe(0);
  });

  it('the data key: created once for the desk, the same after, stored only wrapped', async () => {
    const { handlers, from, files } = shell();
    const a = await handlers[IPC.getDataKey](from(top), { scope: 'ALM01/D01' });
    const b = await handlers[IPC.getDataKey](from(top), { scope: 'ALM01/D01' });
    expect(a).toEqual({ ok: true, key: new Uint8Array(32).fill(9) });
    expect(b).toEqual(a);
    expect([...files.keys()]).toEqual(['ALM01__D01.key']);
    expect(Buffer.from(files.get('ALM01__D01.key') ?? []).toString()).toMatch(/^enc:/);
  });
});

describe('the capture screen over IPC (issue 18)', () => {
  it('opens and closes the camera gate for the sending window only', async () => {
    const { handlers, from, capture } = shell();
    const app = from({ url: 'app://kense/index.html', parent: null });
    expect(capture.isOpen(3)).toBe(false);
    await handlers[IPC.setCaptureOpen](app, true);
    expect(capture.isOpen(3)).toBe(true);
    expect(capture.isOpen(4)).toBe(false);
    await handlers[IPC.setCaptureOpen](app, false);
    expect(capture.isOpen(3)).toBe(false);
  });
});
