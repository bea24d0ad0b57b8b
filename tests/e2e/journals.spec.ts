import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from './fixtures';
import { actAs, freshDesk } from './desk';
import { chooseExecutor } from './flow';

const OUT = 'artifacts/journals';
mkdirSync(OUT, { recursive: true });

/**
 * Browser mode prints with window.print, and in headless Chromium a window.print never finishes
 * (there is no dialog to close): every later Page.printToPDF then fails with "Page is already
 * being printed". The app's own prints (the refusal receipt printed at once) are recorded instead,
 * in every document the page loads.
 */
async function recordPrints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __printed: string[] };
    w.__printed = [];
    window.print = () => {
      const sheet = document.querySelector('#kense-print-root > .print-slot[data-job] .print-sheet');
      const rule = [...document.adoptedStyleSheets].flatMap((x) => [...x.cssRules].map((r) => r.cssText)).join(' ');
      w.__printed.push(`${sheet?.getAttribute('data-doc') ?? 'screen'} ${rule}`);
    };
  });
}

const printed = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { __printed: string[] }).__printed);

async function setUp(page: Page): Promise<void> {
  await recordPrints(page);
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
  if (refuse) {
    await page.getByTestId('refuse').click();
    await page.getByTestId('refuse-confirm').click();
  } else {
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

  // The refusal receipt was printed at once. The PDF below is the journal's only once that job
  // has left the print root: until then printing shows the job's sheet and page, not the screen.
  await expect.poll(() => printed(page)).toEqual([expect.stringMatching(/^refusal /)]);
  await expect(page.locator('#kense-print-root > .print-slot')).toHaveCount(0);
  // The journal's own print button goes through the same print queue, on A4 landscape.
  await page.getByTestId('journal-print').click();
  await expect.poll(() => printed(page)).toHaveLength(2);
  expect((await printed(page))[1]).toMatch(/^screen @page \{ size: a4 landscape; margin: 12mm; \}/i);
  // The title's dates as every date is written: dd.MM.yyyy.
  const from = await page.getByTestId('journal-from').inputValue();
  expect(from).toMatch(/^01\.\d\d\.\d{4}$/);
  await expect(page.locator('.journal-title')).toContainText(`${from} — `);
  await expect(page.locator('.journal-title')).not.toContainText(/\d{4}-\d\d-\d\d/);

  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(`${OUT}/registration.pdf`, new Uint8Array(pdf));
  const info = execFileSync('pdfinfo', [`${OUT}/registration.pdf`], { encoding: 'utf8' });
  // A4 landscape: 842 × 595 pt, and no blank portrait page after it.
  expect(info).toMatch(/Page size:\s+84[12](\.\d+)? x 59[45](\.\d+)? pts/);
  expect(info).toMatch(/Pages:\s+1\n/);
  const text = execFileSync('pdftotext', ['-layout', `${OUT}/registration.pdf`, '-'], { encoding: 'utf8' });
  expect(text).toContain('ALM01-D01-000001');
  expect(text).toContain('Өтініштерді тіркеу журналы');
  expect(text).toContain(from);
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

test('a result leaves under its own outgoing number: the card, the outgoing journal and the printed letters', async ({
  page,
}) => {
  await setUp(page);
  await register(page, '900101300017', 'Сейітқали');
  const regNumber = 'ALM01-D01-000001';
  const open = async (): Promise<void> => {
    await page.goto('./#/inbox');
    await page.getByTestId('inbox-list').getByText(regNumber).click();
    await expect(page.getByTestId('card-number')).toHaveText(regNumber);
  };
  // Head: resolution; executor: prepares; head: signs (no number yet); executor: issues → number.
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await open();
  await chooseExecutor(page, 'dana', 'Омарова Дана');
  await page.getByTestId('do-resolution').click();
  await expect(page.getByTestId('card-step')).toContainText('Омарова Дана');
  await actAs(page, 'dana', 'Омарова Дана', 'executor');
  await open();
  await page.getByTestId('do-step-done').click();
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await open();
  await page.getByTestId('do-signed').click();
  await expect(page.getByTestId('do-signed')).toHaveCount(0);
  await expect(page.getByTestId('card-letters')).toHaveCount(0);
  await actAs(page, 'dana', 'Омарова Дана', 'executor');
  await open();
  await page.getByTestId('do-issued').click();
  await expect(page.getByTestId('card-letters')).toContainText('ALM01-D01/000001');
  await page.screenshot({ path: `${OUT}/card-outgoing.png`, fullPage: true });

  // The notification the card prints carries the outgoing number and refers to the registration
  // number: the job's sheet as browser mode hands it to window.print.
  await page.evaluate(() => {
    const w = window as unknown as { __printed: string[] };
    w.__printed = [];
    window.print = () => {
      const sheet = document.querySelector('#kense-print-root > .print-slot[data-job] .print-sheet');
      w.__printed.push(`${sheet?.getAttribute('data-doc') ?? ''}: ${sheet?.textContent ?? ''}`);
    };
  });
  await page.getByTestId('reprint').getByTestId('print-notification').click();
  await expect(page.getByTestId('reprint')).toContainText('Басып шығаруға жіберілді');
  await page.getByTestId('reprint').getByTestId('print-coverLetter').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __printed: string[] }).__printed.length)).toBe(2);
  const printed = await page.evaluate(() => (window as unknown as { __printed: string[] }).__printed);
  for (const [i, doc] of ['notification', 'coverLetter'].entries()) {
    expect(printed[i]).toMatch(new RegExp(`^${doc}: `));
    expect(printed[i]).toContain('Шығ. № ALM01-D01/000001');
    expect(printed[i]).toContain('Исх. № ALM01-D01/000001');
    expect(printed[i]).toContain(regNumber);
  }

  // The outgoing journal: the letter's number, the registration number as its reference.
  await page.goto('./#/journals');
  await page.getByTestId('journal-outgoing').check();
  const table = page.getByTestId('journal-table');
  await expect(table.locator('thead')).toContainText('Шығыс нөмірі');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  const cells = table.locator('tbody tr').first().locator('td');
  await expect(cells.nth(1)).toHaveText('ALM01-D01/000001');
  await expect(cells.nth(3)).toHaveText(regNumber);
});
