import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinaryPath, projectRoot } from '../../scripts/electron-binary.mjs';

const exe = electronBinaryPath();

test.describe('Electron shell security', () => {
  test.skip(
    exe === null,
    'SKIPPED: the Electron binary is not installed here (it could not be downloaded); these tests run where it is.',
  );

  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    const args = [projectRoot];
    if (process.platform === 'linux' && process.getuid?.() === 0) args.unshift('--no-sandbox');
    app = await electron.launch({ executablePath: exe ?? undefined, args });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
  });

  test('the window runs isolated and sandboxed, with no Node in the renderer', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0]?.webContents;
      // Not in the public typings, but the runtime has it: the preferences the page really got.
      type Prefs = { contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean; webSecurity?: boolean };
      const p = (wc as unknown as { getLastWebPreferences?: () => Prefs } | undefined)?.getLastWebPreferences?.();
      return {
        contextIsolation: p?.contextIsolation,
        sandbox: p?.sandbox,
        nodeIntegration: p?.nodeIntegration,
        webSecurity: p?.webSecurity,
        url: wc?.getURL(),
      };
    });
    expect(prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      url: expect.stringMatching(/^app:\/\/kense\//) as unknown as string,
    });
    const globals = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      bridge: Object.keys(window.kense ?? {}).sort(),
    }));
    expect(globals).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: [
        'configureHub',
        'getAppInfo',
        'getHubStatus',
        'getPrinters',
        'onMenuCommand',
        'platform',
        'print',
        'printToPdf',
        'setUiLanguage',
      ],
    });
  });

  test('navigation away and new windows are blocked', async () => {
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  test('the CSP is sent with the app and inline scripts do not run', async () => {
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
  });

  test('the main process refuses malformed IPC payloads', async () => {
    const result = await page.evaluate(async () => {
      try {
        await window.kense?.setUiLanguage('de' as unknown as 'kk');
        return 'accepted';
      } catch (e) {
        return String(e);
      }
    });
    expect(result).toContain('ipc.invalidPayload');
    const info = await page.evaluate(() => window.kense?.getAppInfo());
    expect(info?.platform).toBe('electron');
  });
});
