import { expect, test, type Locator, type Page, type Route } from './fixtures';
import { DEV_ADMIN } from '../../server/dev/central';
import { actAs, CENTRAL, freshDesk, OFFICE, signIn } from './desk';
import { registerWheelchair } from './flow';

const adminAuth = 'Basic ' + Buffer.from(`${DEV_ADMIN.user}:${DEV_ADMIN.password}`).toString('base64');

/** How many events the central holds for the office. */
async function eventsOnCentral(): Promise<number> {
  const db = `${CENTRAL}/office_${OFFICE.toLowerCase()}`;
  const r = await fetch(`${db}/_all_docs?startkey=%22evt:%22&endkey=%22evt:%EF%BF%B0%22`, {
    headers: { authorization: adminAuth },
  });
  return ((await r.json()) as { rows: unknown[] }).rows.length;
}

const SHOTS = 'artifacts/screenshots';

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${String(locator)} is not on screen`);
  return b;
}

/**
 * The crash: the app is gone, IndexedDB is emptied (a page of the same origin without the app
 * does it, so no open connection blocks the deletion), and the tab's session with it.
 * localStorage survives.
 */
async function crash(page: Page): Promise<void> {
  await page.goto('./no-app.txt');
  await page.evaluate(async () => {
    sessionStorage.clear();
    const names = (await indexedDB.databases()).flatMap((d) => (d.name ? [d.name] : []));
    await Promise.all(
      names.map(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const r = indexedDB.deleteDatabase(name);
            r.onsuccess = () => resolve();
            r.onerror = () => reject(new Error(name));
          }),
      ),
    );
  });
}

/**
 * Chromium wiped the desk's IndexedDB after a crash (the office database, the device document
 * with its counters, the read model); localStorage survived. Until the desk has pulled the
 * office's events back, registering could hand out a number the server already has.
 */
test('a wiped desk holds registration until its first pull has finished, then numbers after the server’s', async ({
  page,
}) => {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім');
  expect(await registerWheelchair(page)).toBe('ALM01-D01-000001');
  await expect.poll(eventsOnCentral, { timeout: 30_000 }).toBeGreaterThan(0);

  await crash(page);
  // The pull is kept from finishing for a while (its feed held, not refused: a refused feed is
  // offline, where the override is offered): the hold must be visible meanwhile.
  let blocked = true;
  const held: Route[] = [];
  await page.route('**/office_alm01/_changes**', (route) => (blocked ? void held.push(route) : route.fallback()));
  await actAs(page, 'aigerim', 'Сейітова Айгерім');
  await page.goto('./#/reception');
  await expect(page.getByTestId('numbers-held')).toBeVisible();
  await expect(page.getByTestId('register')).toBeDisabled();
  // The hold spans the form, the applicant and the service side by side under it: in a cell of its
  // own it pushed the service under the applicant, at the narrower column's width.
  const [form, notice] = [await box(page.getByTestId('reception-form')), await box(page.getByTestId('numbers-held'))];
  const [applicant, service] = [
    await box(page.locator('.reception-applicant')),
    await box(page.locator('.reception-service')),
  ];
  expect(notice.width).toBeCloseTo(form.width, 0);
  expect(applicant.y).toBeGreaterThan(notice.y + notice.height);
  expect(service.y).toBe(applicant.y);
  expect(service.x).toBeGreaterThan(applicant.x + applicant.width);
  await page.screenshot({ path: `${SHOTS}/reception-held-kk.png` });
  // Online (signed in, central reachable): no override offered, the hold lifts by itself.
  await expect(page.getByTestId('held-override')).toHaveCount(0);
  blocked = false;
  // A request the desk gave up meanwhile cannot go on: nothing to do for it.
  for (const r of held.splice(0)) await r.fallback().catch(() => undefined);
  await expect(page.getByTestId('numbers-held')).toHaveCount(0, { timeout: 45_000 });
  expect(await registerWheelchair(page)).toBe('ALM01-D01-000002');
});

test('offline, the clerk may go on after confirming a skip of 100 numbers: a gap, never a repeat', async ({ page }) => {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім');
  expect(await registerWheelchair(page)).toBe('ALM01-D01-000001');
  expect(await registerWheelchair(page)).toBe('ALM01-D01-000002');
  await expect.poll(eventsOnCentral, { timeout: 30_000 }).toBeGreaterThan(1);
  await crash(page);
  // The network cable out: the desk signs its known clerk in offline and cannot re-sync.
  await page.route(`${CENTRAL}/**`, (route) => route.abort('internetdisconnected'));
  await page.goto('./#/sign-in');
  await signIn(page, 'aigerim');
  await expect(page.getByTestId('topbar-offline')).toBeVisible();
  await page.goto('./#/reception');
  const held = page.getByTestId('numbers-held');
  await expect(held).toBeVisible();
  await expect(held).toContainText('Сервер қолжетімсіз');
  await expect(page.getByTestId('register')).toBeDisabled();
  await page.getByTestId('held-override').click();
  await expect(held).toContainText('100 нөмірге алға');
  await page.getByTestId('held-confirm').click();
  await expect(held).toHaveCount(0);
  expect(await registerWheelchair(page)).toBe('ALM01-D01-000103');
});
