import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';

const OUT = 'artifacts/catalogue';
const SHOTS = 'artifacts/screenshots';
mkdirSync(OUT, { recursive: true });
mkdirSync(SHOTS, { recursive: true });

/**
 * The Catalogue section, readable before anyone signs in (the desk's own copy, seeded from the
 * bundle): search in Kazakh or Russian, filters, a service with its versions, steps and process
 * diagram, and the diagram printed on A4 landscape in both languages.
 */
test('the catalogue is browsed in Kazakh and Russian, and a variant’s diagram prints on A4', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('./');
  await page.evaluate(async () => {
    localStorage.clear();
    for (const db of await indexedDB.databases()) if (db.name) indexedDB.deleteDatabase(db.name);
  });
  await page.goto('./#/catalogue');
  await expect(page.getByTestId('catalogue-count')).toHaveText('21 қызмет');

  // Search: a Kazakh word, typed with Russian letters (folded), then a Russian one.
  await page.getByTestId('catalogue-search').fill('шетелдик');
  await expect(page.getByTestId('catalogue-list').locator('li')).toHaveCount(4);
  await page.getByTestId('catalogue-search').fill('коляск');
  await expect(page.getByTestId('catalogue-list').locator('li')).toHaveCount(1);
  await page.getByTestId('catalogue-search').fill('');
  // Filters: the Kyzylorda region holds one service; the ministry of internal affairs one.
  await page.getByTestId('filter-region').selectOption('kyzylorda');
  await expect(page.getByTestId('catalogue-list').locator('li')).toHaveCount(1);
  await page.getByTestId('filter-region').selectOption('');
  await page.getByTestId('filter-provider').selectOption('almaty-uzsp');
  await expect(page.getByTestId('catalogue-count')).toHaveText('14 қызмет');
  await page.getByTestId('filter-provider').selectOption('');

  await page.getByTestId('catalogue-item-fl-permit-almaty').click();
  const detail = page.getByTestId('service-detail');
  await expect(detail.getByTestId('version-1')).toBeVisible();
  await expect(detail.getByTestId('version-1.1')).toContainText('Портал');
  await expect(detail.getByTestId('version-1.2')).toContainText('өз қадамдарымен');
  // 1.2 is shown: the portal terms, the refusal limit of the check step, and the refusal's own exit.
  await expect(detail.getByTestId('deadline-employer-issue')).toHaveText('41 жұмыс күні');
  await expect(detail.getByTestId('step-employer-issue-s3')).toContainText('5 жұмыс күні, тіркелген күннен бастап');
  await expect(detail.getByTestId('step-employer-issue-s3')).toContainText('Аудандық бөлімнің қызметкері');
  await expect(detail.getByTestId('step-employer-issue-s3b')).toContainText('5 жұмыс күні, тіркелген күннен бастап');
  await expect(detail.getByTestId('step-employer-issue-s3b')).toContainText('осы қадамнан кейін іс жабылады');
  const diagram = detail.getByTestId('variant-employer-issue').getByTestId('process-diagram');
  await expect(diagram.locator('[data-node="step:s3b"]')).toContainText('3б.');
  await expect(diagram.locator('[data-node="end:refused"]')).toBeVisible();
  await expect(diagram.locator('[data-node="step:s12"]')).toContainText('Шешім');
  await expect(diagram.locator('[data-node="end:not_supplied"]')).toBeVisible();
  await expect(diagram).toContainText('пысықтауға қайтару');
  await detail.getByTestId('service-name').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/catalogue-kk.png` });
  await diagram.screenshot({ path: `${SHOTS}/catalogue-diagram-kk.png` });

  const printed = async (lang: string): Promise<string> => {
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const file = `${OUT}/diagram-${lang}.pdf`;
    writeFileSync(file, new Uint8Array(pdf));
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    // A4 landscape: 842 × 595 pt.
    expect(info).toMatch(/Page size:\s+84[12](\.\d+)? x 59[45](\.\d+)? pts/);
    execFileSync('pdftoppm', ['-png', '-r', '60', file, `${OUT}/diagram-${lang}`]);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  };
  const kk = await printed('kk');
  expect(kk).toContain('Жалпы мерзім: 41 жұмыс күні');
  expect(kk).toContain('12. Шешім');
  expect(kk).toContain('Қабылдаудан бас тартылды');
  expect(kk).not.toContain('Құжаттар тізбесі'); // only the diagram is printed

  await page.getByTestId('lang-ru').click();
  await expect(detail.getByTestId('deadline-employer-issue')).toHaveText('41 рабочий день');
  await expect(diagram.locator('[data-node="step:s12"]')).toContainText('Решение');
  await detail.getByTestId('service-name').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/catalogue-ru.png` });
  await diagram.screenshot({ path: `${SHOTS}/catalogue-diagram-ru.png` });
  const ru = await printed('ru');
  expect(ru).toContain('Общий срок: 41 рабочий день');
  expect(ru).toContain('12. Решение');
  expect(ru).toContain('Отказ в приёме');
});

test('terms that change mid-case and the home visit show in the steps table and on the diagram', async ({ page }) => {
  await page.goto('./#/catalogue/service/almaty-social-assistance-maslikhat');
  const detail = page.getByTestId('service-detail');
  // 004/13: 8 working days, 20 when documents are insufficient (recorded at step 3).
  await expect(detail.getByTestId('deadline-standard')).toHaveText('8 жұмыс күні');
  await expect(detail.getByTestId('extension-standard-insufficient-documents')).toContainText(
    'жалпы мерзім — 20 жұмыс күні; 7-қадам — 20 жұмыс күні, тіркелген күннен бастап',
  );
  const diagram = detail.getByTestId('variant-standard').getByTestId('process-diagram');
  // Two grounds with the same effect: said once.
  await expect(diagram.getByTestId('diagram-extensions')).toHaveText(
    ' · Ұзарту: жалпы мерзім — 20 жұмыс күні; 7-қадам — 20 жұмыс күні, тіркелген күннен бастап',
  );
  await page.getByTestId('lang-ru').click();
  await expect(detail.getByTestId('extension-standard-documents-damaged-or-lost')).toContainText(
    'общий срок — 20 рабочих дней; шаг 7 — 20 рабочих дней, с регистрации',
  );
  // 004/2: one month more for additional checks.
  await page.goto('./#/catalogue/service/almaty-semipalatinsk-victims');
  await expect(detail.getByTestId('extension-registration-certificate-additional-checks')).toContainText(
    'общий срок продлевается на 1 месяц',
  );
  await detail.getByTestId('extension-registration-certificate-additional-checks').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/catalogue-extension-ru.png` });
  // 004/12 (1.1): the home visit within 5 working days is a step of its own, the conclusion 10 from
  // registration.
  await page.goto('./#/catalogue/service/almaty-ssu-home-care');
  await expect(detail.getByTestId('step-provider-s5')).toContainText('5 рабочих дней');
  await expect(detail.getByTestId('step-provider-s5b')).toContainText('10 рабочих дней, с регистрации');
  const visit = detail.getByTestId('variant-provider').getByTestId('process-diagram');
  await expect(visit.locator('[data-node="step:s5"]')).toContainText('≤ 5 раб. дн.');
  await expect(visit.locator('[data-node="step:s5b"]')).toContainText('≤ 10 раб. дн., с рег.');
});
