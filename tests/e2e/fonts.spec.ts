import { expect, test } from './fixtures';

/** The nine Kazakh letters that Russian lacks, upper and lower case: 18 code points. */
const KAZAKH_LETTERS = 'ӘәҒғҚқҢңӨөҰұҮүҺһІі';

test('the bundled font draws all 18 Kazakh letters, loaded from the app itself', async ({ page }) => {
  const fontRequests: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'font') fontRequests.push(r.url());
  });
  await page.goto('./');
  // The app's own chunk renders the shell after the page's load event (renderer/main.tsx).
  await expect(page.locator('#main')).toBeVisible();
  const report = await page.evaluate(async (letters) => {
    const probe = document.createElement('p');
    probe.id = 'kazakh-probe';
    probe.style.fontSize = '40px';
    probe.textContent = letters;
    const main = document.getElementById('main');
    if (!main) throw new Error('the app shell is not rendered');
    main.appendChild(probe);
    await document.fonts.load('40px "Noto Sans"', letters);
    await document.fonts.ready;
    const faces = [...document.fonts].filter(
      (f) => f.family.replace(/"/g, '') === 'Noto Sans' && f.status === 'loaded',
    );
    // U+0492..U+04E9 are in the cyrillic-ext subset; U+0406/U+0456 in cyrillic.
    const covers = (cp: number): boolean =>
      faces.some((f) =>
        f.unicodeRange.split(',').some((r) => {
          const m = /U\+([0-9A-F]+)(?:-([0-9A-F]+))?/i.exec(r.trim());
          if (!m || !m[1]) return false;
          const lo = parseInt(m[1], 16);
          const hi = m[2] ? parseInt(m[2], 16) : lo;
          return cp >= lo && cp <= hi;
        }),
      );
    const uncovered = [...letters].filter((ch) => !covers(ch.codePointAt(0) ?? 0));
    return { check: document.fonts.check('40px "Noto Sans"', letters), loadedFaces: faces.length, uncovered };
  }, KAZAKH_LETTERS);
  expect(report.check).toBe(true);
  expect(report.loadedFaces).toBeGreaterThan(0);
  expect(report.uncovered).toEqual([]);
  expect(fontRequests.length).toBeGreaterThan(0);
  for (const url of fontRequests) expect(url.startsWith('http://127.0.0.1:')).toBe(true);
  await page.locator('#kazakh-probe').screenshot({ path: 'artifacts/screenshots/kazakh-letters.png' });
});
