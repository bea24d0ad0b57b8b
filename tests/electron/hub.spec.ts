import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { CENTRAL_PORT } from '../../playwright.config';
import { electronBinaryPath, projectRoot } from '../../scripts/electron-binary.mjs';

const exe = electronBinaryPath();
/** One of the hub ports of this suite's range (see tests/e2e/hub.spec.ts). */
const HUB_PORT = Number(process.env['KENSE_E2E_HUB_PORT'] ?? CENTRAL_PORT + 5);

/**
 * The embedded hub inside the desktop app: enabled over the real IPC, its server runs under
 * Electron's own Node with the pure-JavaScript storage, and it answers on the LAN port.
 */
test.describe('embedded office hub in the Electron main process', () => {
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

  test('enabled from the bridge, it serves the office database and reports its uplink', async () => {
    const status = await page.evaluate(
      async ([port, central]) =>
        window.kense?.configureHub?.({
          enabled: true,
          office: 'ALM01',
          host: '127.0.0.1',
          port,
          central: { url: central, user: 'admin', password: 'kense-dev' },
        }),
      [HUB_PORT, `http://127.0.0.1:${CENTRAL_PORT}`] as const,
    );
    expect(status).toMatchObject({ available: true, state: 'running', url: `http://127.0.0.1:${HUB_PORT}` });
    // It serves (from the bundled out/hub/server.cjs), with an admin of its own: the development
    // admin password, public in the sources, opens nothing on a hub that listens on the LAN.
    expect((await fetch(`http://127.0.0.1:${HUB_PORT}/`)).status).toBe(200);
    const r = await fetch(`http://127.0.0.1:${HUB_PORT}/office_alm01`, {
      headers: { authorization: 'Basic ' + Buffer.from('admin:kense-dev').toString('base64') },
    });
    expect(r.status).toBe(401);
    const off = await page.evaluate(async () =>
      window.kense?.configureHub?.({
        enabled: false,
        office: 'ALM01',
        host: '127.0.0.1',
        port: 5985,
        central: { url: 'http://127.0.0.1:1', user: 'admin', password: '' },
      }),
    );
    expect(off?.state).toBe('off');
  });
});
