import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from './fixtures';
import { generateApplications } from '../../bench/generate';
import { toLocalDate } from '../../shared/calendar';
import { periodOf } from '../../shared/reports/period';
import { loadCatalogue } from '../../shared/catalogue/load';
import { parseEvent, type EventDoc } from '../../shared/events';
import { actAs, centralRequest, freshDesk, OFFICE } from './desk';

const OUT = 'artifacts/reports';
mkdirSync(OUT, { recursive: true });
/** The bundled services, read as files (Playwright's loader takes no JSON modules). */
const SERVICES_DIR = 'shared/catalogue/services';
const services = loadCatalogue(
  readdirSync(SERVICES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(`${SERVICES_DIR}/${f}`, 'utf8')) as unknown),
).services;

/**
 * An office with a few hundred applications of the last two months, played through the real
 * workflows (bench/generate.ts), put on the central as its events; the head's desk downloads them.
 */
async function loadOffice(apps: number, now: number): Promise<number> {
  const docs: EventDoc[] = [];
  let kept = 0;
  for (const app of generateApplications({ services, apps, seed: 3, now, spanDays: 50 })) {
    // The generator's few applications that the server's rules would stop midway are left out.
    if (app.some((e) => !parseEvent(e).ok)) continue;
    docs.push(...app);
    kept++;
  }
  const r = await centralRequest('POST', `office_${OFFICE.toLowerCase()}/_bulk_docs`, { docs });
  expect(r.status).toBe(201);
  return kept;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: false });
}

test('a head opens the month’s reports offline from the read model, drills into the late ones, exports XLSX and prints A4', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await freshDesk(page);
  const now = Date.now();
  const kept = await loadOffice(300, now);
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await page.goto('./#/applications');
  await expect(page.getByTestId('applications-count')).toContainText(String(kept), { timeout: 120_000 });

  await page.goto('./#/reports');
  const report = page.getByTestId('office-report');
  await expect(report).toBeVisible();
  // This month, by default.
  const today = toLocalDate(now);
  await expect(page.getByTestId('report-period')).toContainText(`01.${today.slice(5, 7)}.${today.slice(0, 4)}`);
  await expect(page.getByTestId('tile-registered')).not.toContainText(/^\D*0\D*$/);
  await expect(page.getByTestId('chart-sla')).toBeVisible();
  await expect(page.getByTestId('chart-trend')).toBeVisible();
  await expect(page.getByTestId('report-table-sla')).toContainText('Жиыны');
  await shot(page, 'office-kk');
  await page.getByTestId('report-sla').screenshot({ path: `${OUT}/office-kk-sla.png` });
  await page.getByTestId('report-volumes').screenshot({ path: `${OUT}/office-kk-volumes.png` });

  // The quarter, so there are late applications to drill into, whatever the day of the month.
  await page.getByTestId('report-period-kind').selectOption('quarter');
  const quarter = periodOf('quarter', today);
  const dmy = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
  await expect(page.getByTestId('report-period')).toHaveText(`${dmy(quarter.from)} — ${dmy(quarter.to)}`);
  const late = page.getByTestId('tile-late').getByRole('button');
  await expect(late).toBeVisible();
  const lateCount = Number((await late.innerText()).replace(/\D/g, ''));
  expect(lateCount).toBeGreaterThan(0);
  await late.click();
  const list = page.getByTestId('report-drill-list');
  await expect(list).toBeVisible();
  await expect(list.getByTestId('application-row').first()).toBeVisible();
  await expect(page.getByTestId('applications-count')).toContainText(String(lateCount));
  await shot(page, 'drill-late-kk');
  // A row opens the card; back returns to the same list.
  await list.getByTestId('application-row').first().click();
  await expect(page).toHaveURL(/#\/applications\/[A-Z0-9]+$/);
  await page.goBack();
  await expect(page.getByTestId('report-drill-list')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('report-drill-close').click();

  // Workload: one person's open applications, named from the staff directory, open as their list.
  const workload = page.getByTestId('report-table-workload');
  const firstOpen = workload.locator('tbody tr').first().locator('td').nth(1).getByTestId('report-drill');
  const openCount = Number((await firstOpen.innerText()).replace(/\D/g, ''));
  expect(openCount).toBeGreaterThan(0);
  await firstOpen.click();
  await expect(page.getByTestId('report-drill-list')).toBeVisible();
  await expect(page.getByTestId('applications-count')).toContainText(String(openCount));
  await page.getByTestId('report-drill-close').click();

  // A filter: one service; the figures and their lists follow it.
  const serviceFilter = page.getByTestId('report-service');
  const serviceId = await serviceFilter.locator('option').nth(1).getAttribute('value');
  const registered = page.getByTestId('tile-registered').getByRole('button');
  // The generated office has many services: one alone registered fewer than all of them.
  const unfiltered = await registered.innerText();
  await serviceFilter.selectOption(serviceId ?? '');
  await expect(page).toHaveURL(new RegExp(`service=${serviceId}`));
  await expect(registered).not.toHaveText(unfiltered);
  const filteredCount = Number((await registered.innerText()).replace(/\D/g, ''));
  await registered.click();
  await expect(page.getByTestId('applications-count')).toContainText(String(filteredCount));
  await page.getByTestId('report-drill-close').click();
  await serviceFilter.selectOption('');
  // The router applies a filter change in a transition: wait for the whole office's figures again
  // before exporting them (the export once caught the filtered service's figures).
  await expect(page).not.toHaveURL(/service=/);
  await expect(registered).toHaveText(unfiltered);

  // XLSX: one sheet per table, the heading says office, period, when and who.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx').click()]);
  const book = new ExcelJS.Workbook();
  const bytes = readFileSync(await xlsx.path());
  await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const sla = book.worksheets[0];
  expect(sla?.getRow(1).getCell(1).value).toBe(`Мекеме: ${OFFICE}`);
  expect(sla?.getRow(4).getCell(1).text).toContain('Жұмабеков Болат');
  expect(book.worksheets.length).toBeGreaterThanOrEqual(5);
  const totals = sla?.getRow(sla.rowCount);
  expect(totals?.getCell(1).value).toBe('Жиыны');
  // Late, as a number: the figure on screen.
  expect(totals?.getCell(6).value).toBe(lateCount);

  // A4 print in both languages, rendered and looked at.
  await page.getByTestId('report-period-kind').selectOption('month');
  await expect(page.getByTestId('report-period')).toContainText(`01.${today.slice(5, 7)}.${today.slice(0, 4)}`);
  for (const lang of ['kk', 'ru'] as const) {
    if (lang === 'ru') {
      await page.emulateMedia({ media: 'screen' });
      await page.getByTestId('lang-ru').click();
      await expect(page.getByTestId('report-table-sla')).toContainText('Итого');
      await shot(page, 'office-ru');
      await page.getByTestId('report-steps').screenshot({ path: `${OUT}/office-ru-steps.png` });
    }
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(`${OUT}/report-${lang}.pdf`, new Uint8Array(pdf));
    const info = execFileSync('pdfinfo', [`${OUT}/report-${lang}.pdf`], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+841\.92 x 594\.96 pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', `${OUT}/report-${lang}.pdf`, '-'], { encoding: 'utf8' });
    expect(text).toContain(OFFICE);
    expect(text).toContain('Жұмабеков Болат');
    expect(text).toContain(lang === 'kk' ? 'Мерзімдердің сақталуы' : 'Соблюдение сроков');
    expect(text).not.toContain('XLSX');
    execFileSync('pdftoppm', ['-png', '-r', '60', `${OUT}/report-${lang}.pdf`, `${OUT}/report-${lang}`]);
  }
});
