import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from './fixtures';

const SHOTS = 'artifacts/screenshots';
mkdirSync(SHOTS, { recursive: true });

async function freshStart(page: Page): Promise<void> {
  await page.goto('./');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
}

test.describe('app shell in Chromium (browser mode)', () => {
  test('opens in Kazakh by default and switches to Russian and back', async ({ page }) => {
    await freshStart(page);
    await expect(page).toHaveURL(/#\/reception$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'kk');
    const nav = page.getByRole('navigation');
    await expect(nav.getByRole('link', { name: /Қабылдау/ })).toBeVisible();
    await expect(nav.getByRole('link', { name: /Қызметтер каталогы/ })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Жұмыс орны бапталмаған' })).toBeVisible();
    await expect(page.getByTestId('sync-indicator')).toHaveText('Синхрондау бапталмаған');
    await page.screenshot({ path: `${SHOTS}/shell-kk-1366x768.png` });

    await page.getByTestId('lang-ru').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    await expect(nav.getByRole('link', { name: /Приём/ })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Рабочее место не настроено' })).toBeVisible();
    await expect(page.getByTestId('topbar-user')).toHaveText('Вход не выполнен');
    await page.screenshot({ path: `${SHOTS}/shell-ru-1366x768.png` });

    // The choice survives a restart.
    await page.reload();
    await expect(nav.getByRole('link', { name: /Входящие/ })).toBeVisible();

    await page.getByTestId('lang-kk').click();
    await expect(nav.getByRole('link', { name: /Кіріс/ })).toBeVisible();
    await expect(page.getByTestId('lang-kk')).toHaveAttribute('aria-pressed', 'true');
  });

  test('every section is a route with its own empty state, reachable by mouse and keyboard', async ({ page }) => {
    await freshStart(page);
    const sections: [string, string, string][] = [
      ['reception', 'Қабылдау', 'Жұмыс орны бапталмаған'],
      ['inbox', 'Кіріс', 'Жұмыс орны бапталмаған'],
      ['applications', 'Өтініштер', 'Жұмыс орны бапталмаған'],
      ['journals', 'Журналдар', 'Жұмыс орны бапталмаған'],
      // A desk not set up; a supervisor may still sign in here for regional reports.
      ['reports', 'Есептер', 'Жұмыс орны бапталмаған'],
    ];
    for (const [route, link, empty] of sections) {
      await page
        .getByRole('navigation')
        .getByRole('link', { name: new RegExp(link) })
        .click();
      await expect(page).toHaveURL(new RegExp(`#/${route}$`));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(link);
      await expect(page.getByRole('heading', { level: 2, name: empty })).toBeVisible();
    }
    // The catalogue is never empty: the bundled services are its first-run seed (issue 15).
    await page.getByRole('navigation').getByRole('link', { name: 'Қызметтер каталогы' }).click();
    await expect(page).toHaveURL(/#\/catalogue$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Қызметтер каталогы');
    await expect(page.getByRole('searchbox', { name: 'Қызметті іздеу' })).toBeVisible();
    await page.keyboard.press('Alt+7');
    await expect(page).toHaveURL(/#\/settings$/);
    await expect(page.getByTestId('app-info')).toContainText('Браузер режимі');
    await page.keyboard.press('Alt+2');
    await expect(page).toHaveURL(/#\/inbox$/);
  });

  test('a section opened as the app starts stays open: the start page does not take it back', async ({ page }) => {
    await freshStart(page);
    // The moment the app has first drawn itself (before anything it scheduled after that paint),
    // the person opens Settings — as a click or the menu on a slow start, or a test, can.
    await page.addInitScript(() => {
      const observer = new MutationObserver(() => {
        if (!document.getElementById('root')?.childElementCount) return;
        observer.disconnect();
        location.hash = '#/settings';
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    await page.goto('./');
    await expect(page.getByTestId('setup-office')).toBeVisible();
    await expect(page).toHaveURL(/#\/settings$/);
  });

  test('settings change the language too', async ({ page }) => {
    await freshStart(page);
    await page.goto('./#/settings');
    await page.getByLabel('Русский').check();
    await expect(page.getByRole('heading', { level: 2, name: 'Язык интерфейса' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/settings-ru.png` });
  });

  test('fits 1366×768 without horizontal scrolling', async ({ page }) => {
    await freshStart(page);
    for (const lang of ['kk', 'ru']) {
      await page.getByTestId(`lang-${lang}`).click();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const topbar = await page.locator('.topbar').boundingBox();
      expect(topbar?.height).toBeLessThanOrEqual(56);
    }
  });

  test('the Content-Security-Policy is in force: no inline script, no eval, no remote requests', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await freshStart(page);
    const result = await page.evaluate(async () => {
      const w = window as unknown as { __inlineRan?: boolean };
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      // A string timer is eval run by the page itself (code sent in by the test driver is exempt).
      const x = window as unknown as { __evalRan?: boolean };
      (setTimeout as (code: string, ms: number) => number)('window.__evalRan = true', 0);
      await new Promise((r) => setTimeout(r, 50));
      const evalBlocked = x.__evalRan !== true;
      let fetchBlocked = false;
      try {
        await fetch('http://127.0.0.2:9/x');
      } catch {
        fetchBlocked = true;
      }
      return { inlineRan: w.__inlineRan === true, evalBlocked, fetchBlocked };
    });
    expect(result).toEqual({ inlineRan: false, evalBlocked: true, fetchBlocked: true });
    expect(violations.length).toBeGreaterThan(0);
  });
});
