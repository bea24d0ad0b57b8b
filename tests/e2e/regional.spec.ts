import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { generateApplications } from '../../bench/generate';
import { toLocalDate } from '../../shared/calendar';
import { loadCatalogue } from '../../shared/catalogue/load';
import { parseEvent, type EventDoc } from '../../shared/events';
import { DEV_ADMIN } from '../../server/dev/central';
import { putStaffUser } from '../../server/provision';
import { CENTRAL, centralRequest, freshCentral } from './desk';

const OUT = 'artifacts/reports';
mkdirSync(OUT, { recursive: true });
const SERVICES_DIR = 'shared/catalogue/services';
const services = loadCatalogue(
  readdirSync(SERVICES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(`${SERVICES_DIR}/${f}`, 'utf8')) as unknown),
).services;
const OFFICES = ['ALM01', 'KZO01', 'SHY01'] as const;

async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  return (await centralRequest(method, path, body)).json;
}

/**
 * A supervisor of three offices, on a computer with no office set up: signs in for regional
 * reports and sees the offices side by side, read online from the dev central's reports databases
 * (kept by the central reports writer), with no office database on this computer.
 */
test('a supervisor sees three offices side by side through the dev central', async ({ page }) => {
  test.setTimeout(240_000);
  await freshCentral();
  const now = Date.now();
  const expected: Record<string, number> = {};
  for (const [i, office] of OFFICES.entries()) {
    // Offices of different sizes, so the comparison shows something.
    const docs: EventDoc[] = [];
    let registered = 0;
    for (const app of generateApplications({ services, apps: 60 + 50 * i, seed: 10 + i, now, spanDays: 20, office })) {
      if (app.some((e) => !parseEvent(e).ok)) continue;
      docs.push(...app);
      const first = app[0];
      if (
        first?.kind === 'registered' &&
        toLocalDate(Date.parse(first.at)).slice(0, 4) === toLocalDate(now).slice(0, 4)
      )
        registered++;
    }
    expected[office] = registered;
    await call('POST', `office_${office.toLowerCase()}/_bulk_docs`, { docs });
  }
  // The writer keeps up with the offices within seconds: its checkpoint reaches each office's last
  // change, with no day's totals left to make.
  const seq = (s: unknown): number => Number.parseInt(String(s), 10) || 0;
  await expect
    .poll(
      async () =>
        (
          await Promise.all(
            OFFICES.map(async (o) => {
              const office = await call('GET', `office_${o.toLowerCase()}`);
              const cp = await call('GET', `reports_${o.toLowerCase()}/writer:checkpoint`);
              return seq(cp['seq']) >= seq(office['update_seq']) && cp['pending'] === undefined;
            }),
          )
        ).every(Boolean),
      { timeout: 120_000 },
    )
    .toBe(true);
  await putStaffUser(
    { url: CENTRAL, user: DEV_ADMIN.user, password: DEV_ADMIN.password },
    {
      login: 'saule',
      password: 'saule-kense-e2e',
      role: 'supervisor',
      office: OFFICES.join('+'),
      fullName: 'Бекова Сәуле',
    },
  );

  // A computer with nothing set up.
  await page.goto('./');
  await page.evaluate(async () => {
    localStorage.clear();
    sessionStorage.clear();
    for (const db of await indexedDB.databases()) if (db.name) indexedDB.deleteDatabase(db.name);
  });
  await page.goto('./#/reports');
  await page.getByTestId('regional-server').fill(CENTRAL);
  await page.getByTestId('regional-login').fill('saule');
  await page.getByTestId('regional-password').fill('saule-kense-e2e');
  await page.getByTestId('regional-submit').click();
  const report = page.getByTestId('regional-report');
  await expect(report).toBeVisible();
  await expect(page.getByTestId('topbar-user')).toHaveText('Бекова Сәуле');
  // Reports only.
  await expect(page.locator('.sidenav a')).toHaveCount(1);
  const offices = page.getByTestId('report-table-offices');
  await expect(offices.locator('tbody tr')).toHaveCount(4, { timeout: 30_000 });
  for (const o of OFFICES) await expect(offices).toContainText(o);
  await expect(page.getByTestId('chart-offices')).toBeVisible();
  await expect(page.getByTestId('regional-limits')).toContainText('90-процентиль');
  // The year, so every generated application is in it whatever today is: registrations per office.
  await page.getByTestId('report-period-kind').selectOption('year');
  const volumes = page.getByTestId('report-table-officeVolumes');
  for (const [i, o] of OFFICES.entries())
    await expect(volumes.locator('tbody tr').nth(i).locator('td').nth(1)).toHaveText(String(expected[o]), {
      timeout: 30_000,
    });
  await page.screenshot({ path: `${OUT}/regional-kk.png` });
  await page.getByTestId('lang-ru').click();
  await expect(page.getByTestId('regional-limits')).toContainText('90-й процентиль');
  await page.screenshot({ path: `${OUT}/regional-ru.png` });
  await page.getByTestId('regional-offices').screenshot({ path: `${OUT}/regional-ru-offices.png` });
  // Nothing of any office was stored on this computer.
  const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
  expect(dbs.filter((n) => /office|kense_read/i.test(n))).toEqual([]);
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('regional-signin')).toBeVisible();
});
