import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from './fixtures';
import type { HubStatusReport } from '../../shared/ipc/contract';

const SHOTS = 'artifacts/screenshots';
mkdirSync(SHOTS, { recursive: true });

/**
 * Settings → Office hub, with a running hub's health on screen (the desktop app's host stands in:
 * the Electron binary cannot run here, and browser mode has no hub). The report is what the hub's
 * status endpoint answers, passed through the main process unchanged (hubService.ts).
 */
const at = Date.parse('2026-03-10T09:42:00Z');
const report: HubStatusReport = {
  available: true,
  state: 'running',
  url: 'http://127.0.0.1:5985',
  uplink: 'offline',
  lastSyncAt: at - 3 * 3600_000,
  staff: { state: 'copied', count: 7, skipped: 0, lastCopyAt: at - 3 * 3600_000 },
  health: {
    service: 'kense-hub',
    office: 'ALM01',
    startedAt: at - 26 * 3600_000,
    serving: { host: '0.0.0.0', port: 5985, addresses: ['192.168.10.20'] },
    desksLastHour: 4,
    central: { reached: false, lastReachedAt: at - 3 * 3600_000 },
    waiting: { events: 137, since: at - 3 * 3600_000 + 60_000 },
    disk: { usedBytes: 1_850 * 1024 * 1024, freeBytes: 212 * 1024 * 1024 * 1024 },
    staff: { state: 'copied', count: 7, skipped: 0, lastCopyAt: at - 3 * 3600_000 },
    lastError: { code: 'centralUnreachable', at: at - 2 * 3600_000 },
  },
  error: null,
  config: {
    enabled: true,
    office: 'ALM01',
    host: '0.0.0.0',
    port: 5985,
    centralUrl: 'https://couch.example.kz',
    user: 'hub-alm01',
    serviceUrl: null,
  },
};

async function withHost(page: Page): Promise<void> {
  await page.addInitScript((r: HubStatusReport) => {
    const host = {
      platform: 'electron',
      getAppInfo: () =>
        Promise.resolve({
          name: 'Kense',
          version: '0.1.0',
          platform: 'electron',
          os: 'linux',
          electronVersion: '45',
          chromeVersion: '140',
        }),
      setUiLanguage: () => Promise.resolve(),
      print: () => Promise.resolve({ ok: true }),
      printToPdf: () => Promise.resolve({ ok: false, code: 'print.failed' }),
      getPrinters: () => Promise.resolve([]),
      getDataKey: () => Promise.resolve({ ok: false, code: 'key.osStoreUnavailable' }),
      getHubStatus: () => Promise.resolve(r),
      configureHub: () => Promise.resolve(r),
      onMenuCommand: () => () => undefined,
    };
    Object.defineProperty(window, 'kense', { value: host, configurable: true });
  }, report);
}

for (const lang of ['kk', 'ru'] as const) {
  test(`the hub's health in Settings, ${lang}, 1366×768`, async ({ page }) => {
    await withHost(page);
    await page.goto('./#/settings');
    await page.getByTestId(`lang-${lang}`).click();
    const panel = page.getByTestId('hub-health');
    await expect(panel).toBeVisible();
    await panel.scrollIntoViewIfNeeded();
    const expected =
      lang === 'kk'
        ? { desks: '4 жұмыс орны', waiting: '137 оқиға, 10.03.2026 11:43 бастап күтуде', serving: '192.168.10.20:5985' }
        : {
            desks: '4 рабочих места',
            waiting: '137 событий, ожидают с 10.03.2026 11:43',
            serving: '192.168.10.20:5985',
          };
    await expect(page.getByTestId('hub-health-desks')).toContainText(expected.desks);
    await expect(page.getByTestId('hub-health-waiting')).toContainText(expected.waiting);
    await expect(page.getByTestId('hub-health-serving')).toContainText(expected.serving);
    // Thousands with a no-break space.
    await expect(page.getByTestId('hub-health-disk')).toContainText('1\u00a0850 МБ');
    await expect(page.getByTestId('hub-health-disk')).toContainText('212 ГБ');
    await expect(page.getByTestId('hub-health-error')).toContainText('12:42');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/hub-health-${lang}-1366x768.png` });
  });
}
