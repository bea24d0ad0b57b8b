import type {
  AppInfo,
  HubStatusReport,
  KenseBridge,
  MenuCommand,
  PdfRequest,
  PdfResult,
  PrinterInfo,
  PrintRequest,
  PrintResult,
  UiLanguage,
} from '@shared/ipc/contract';

const NO_HUB: HubStatusReport = {
  available: false,
  state: 'off',
  url: null,
  uplink: null,
  lastSyncAt: null,
  staff: null,
  health: null,
  error: null,
  config: null,
};

/**
 * The browser-mode host: the same interface as the Electron preload bridge, implemented with
 * what a plain Chromium window offers (window.print, no menu, no hub).
 */
export function createWebBridge(win: Window = window): KenseBridge {
  return {
    platform: 'browser',
    getAppInfo: (): Promise<AppInfo> =>
      Promise.resolve({
        name: 'Kense',
        version: __APP_VERSION__,
        platform: 'browser',
        os: win.navigator.platform,
        electronVersion: null,
        chromeVersion: /Chrome\/([\d.]+)/.exec(win.navigator.userAgent)?.[1] ?? null,
      }),
    setUiLanguage: (_language: UiLanguage): Promise<void> => Promise.resolve(),
    print: (_request: PrintRequest): Promise<PrintResult> => {
      // The browser decides printer, copies and silence itself; the dialog is all there is.
      // The page's CSS @page rule gives the paper size; the request's pageSize is for Electron.
      win.print();
      return Promise.resolve({ ok: true });
    },
    // A page cannot make a PDF of itself; the user can still pick "Save as PDF" in the dialog.
    printToPdf: (_request: PdfRequest): Promise<PdfResult> =>
      Promise.resolve({ ok: false, code: 'print.pdfUnavailable' }),
    // The browser's own dialog lists and chooses printers; a page cannot see them.
    getPrinters: (): Promise<PrinterInfo[]> => Promise.resolve([]),
    // A web page cannot serve the office's LAN: the hub is the desktop app's.
    getHubStatus: (): Promise<HubStatusReport> => Promise.resolve(NO_HUB),
    configureHub: (): Promise<HubStatusReport> => Promise.resolve(NO_HUB),
    onMenuCommand: (_listener: (command: MenuCommand) => void) => () => undefined,
  };
}
