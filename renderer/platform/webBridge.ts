import type { AppInfo, KenseBridge, MenuCommand, PrintRequest, PrintResult, UiLanguage } from '@shared/ipc/contract';

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
      win.print();
      return Promise.resolve({ ok: true });
    },
    onMenuCommand: (_listener: (command: MenuCommand) => void) => () => undefined,
  };
}
