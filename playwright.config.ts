import { defineConfig } from '@playwright/test';

/** Debian's Chromium: Playwright's own browser builds cannot be downloaded on our machines. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PORT = Number(process.env['KENSE_E2E_PORT'] ?? 5799);
export const CENTRAL_PORT = Number(process.env['KENSE_E2E_CENTRAL_PORT'] ?? 5798);
/** The Kense central service beside the dev central (staff administration), started with it. */
export const SERVICE_PORT = Number(process.env['KENSE_E2E_SERVICE_PORT'] ?? CENTRAL_PORT + 2);
export const E2E_STAFF =
  'aigerim:kense-e2e-1:clerk:ALM01,dana:kense-e2e-2:clerk:ALM01,bolat:kense-e2e-3:head:ALM01,nurlan:kense-e2e-4:executor:ALM01';

export default defineConfig({
  outputDir: 'test-results/playwright',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env['CI']),
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1366, height: 768 },
    locale: 'kk-KZ',
    timezoneId: 'Asia/Almaty',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-sync',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    },
  },
  projects: [
    { name: 'renderer', testDir: 'tests/e2e' },
    { name: 'electron', testDir: 'tests/electron' },
  ],
  webServer: [
    {
      command: `node scripts/serve-renderer.mjs ${PORT}`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env['CI'],
      timeout: 30_000,
    },
    {
      // The development central server (pouchdb-server), fresh for every run, with the staff of ALM01
      // (and two more offices for a supervisor's regional reports).
      command: `rm -rf test-results/central-e2e && node --import tsx scripts/central.ts --port ${CENTRAL_PORT} --dir test-results/central-e2e --offices ALM01,KZO01,SHY01 --staff ${E2E_STAFF} --service-port ${SERVICE_PORT}`,
      url: `http://127.0.0.1:${CENTRAL_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
