import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC,
  appInfoSchema,
  dataKeyResultSchema,
  hubStatusSchema,
  menuCommandSchema,
  pdfResultSchema,
  printerListSchema,
  printResultSchema,
  type KenseBridge,
  type MenuCommand,
} from '@shared/ipc/contract';

/**
 * The one object the renderer sees of Electron. It exposes functions, never ipcRenderer itself,
 * and checks what comes back from the main process as carefully as the main process checks what
 * goes in.
 */
async function invoke(channel: string, payload?: unknown): Promise<unknown> {
  const result: unknown = await ipcRenderer.invoke(channel, payload);
  if (typeof result === 'object' && result !== null && (result as { refused?: unknown }).refused === true) {
    throw new Error(`refused: ${String((result as { code?: unknown }).code)}`);
  }
  return result;
}

const bridge: KenseBridge = {
  platform: 'electron',
  getAppInfo: async () => appInfoSchema.parse(await invoke(IPC.getAppInfo)),
  setUiLanguage: async (language) => {
    await invoke(IPC.setUiLanguage, language);
  },
  print: async (request) => printResultSchema.parse(await invoke(IPC.print, request)),
  printToPdf: async (request) => pdfResultSchema.parse(await invoke(IPC.printToPdf, request)),
  getPrinters: async () => printerListSchema.parse(await invoke(IPC.getPrinters)),
  getDataKey: async (request) => dataKeyResultSchema.parse(await invoke(IPC.getDataKey, request)),
  getHubStatus: async () => hubStatusSchema.parse(await invoke(IPC.getHubStatus)),
  configureHub: async (config) => hubStatusSchema.parse(await invoke(IPC.configureHub, config)),
  setCaptureOpen: async (open) => {
    await invoke(IPC.setCaptureOpen, open);
  },
  onMenuCommand: (listener: (command: MenuCommand) => void) => {
    const handler = (_event: IpcRendererEvent, raw: unknown): void => {
      const parsed = menuCommandSchema.safeParse(raw);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(IPC.menuCommand, handler);
    return () => {
      ipcRenderer.removeListener(IPC.menuCommand, handler);
    };
  },
};

contextBridge.exposeInMainWorld('kense', bridge);
