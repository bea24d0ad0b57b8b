import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { actAs, freshDesk } from './desk';

const OUT = 'artifacts/journals';
mkdirSync(OUT, { recursive: true });

async function setUp(page: Page): Promise<void> {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім');
}

async function register(page: Page, iin: string, surname: string, refuse = false): Promise<void> {
  await page.goto('./#/reception');
  // The previous registration's panel stays until the clerk moves on to the next application.
  if (await page.getByTestId('next-application').count()) await page.getByTestId('next-application').click();
  await page.getByTestId('applicant-id').fill(iin);
  await page.getByTestId('person-surname').fill(surname);
  await page.getByTestId('person-name').fill('Әлия');
  await page.getByTestId('service-search').fill('кресло');
  await page.keyboard.press('Enter');
  if (refuse) await page.getByTestId('refuse').click();
  else {
    await page.getByTestId('all-received').click();
    await page.getByTestId('register').click();
  }
  await expect(page.getByTestId('reg-number')).toBeVisible();
}

test('the registration journal lists the day’s applications and exports to CSV, XLSX and A4 landscape', async ({
  page,
}) => {
  await setUp(page);
  await register(page, '900101300017', 'Сейітқали');
  await register(page, '850315400025', 'Нұрланова', true);
  await page.goto('./#/journals');
  const table = page.getByTestId('journal-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table).toContainText('ALM01-D01-000001');
  await expect(table).toContainText('Сейітқали Әлия');
  await expect(table).toContainText('Қабылдаудан бас тартылды');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('journal-csv').click()]);
  const csvText = readFileSync(await csv.path(), 'utf8');
  expect(csvText.charCodeAt(0)).toBe(0xfeff);
  expect(csvText).toContain('"ALM01-D01-000002"');
  expect(csvText).toContain('Нұрланова');

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('journal-xlsx').click()]);
  const book = new ExcelJS.Workbook();
  const bytes = readFileSync(await xlsx.path());
  await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const sheet = book.worksheets[0];
  expect(sheet?.getRow(2).getCell(2).value).toBe('Тіркеу нөмірі');
  expect(sheet?.getRow(3).getCell(2).value).toBe('ALM01-D01-000001');
  expect(sheet?.rowCount).toBe(4);

  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(`${OUT}/registration.pdf`, new Uint8Array(pdf));
  const info = execFileSync('pdfinfo', [`${OUT}/registration.pdf`], { encoding: 'utf8' });
  // A4 landscape: 842 × 595 pt.
  expect(info).toMatch(/Page size:\s+84[12](\.\d+)? x 59[45](\.\d+)? pts/);
  const text = execFileSync('pdftotext', ['-layout', `${OUT}/registration.pdf`, '-'], { encoding: 'utf8' });
  expect(text).toContain('ALM01-D01-000001');
  expect(text).toContain('Өтініштерді тіркеу журналы');
  expect(text).not.toContain('Баптаулар'); // the navigation is not printed
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-f',
    '1',
    '-l',
    '1',
    `${OUT}/registration.pdf`,
    `${OUT}/registration`,
  ]);
});
