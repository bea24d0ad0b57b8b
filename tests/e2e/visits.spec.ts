import { expect, test, type Browser, type Page } from '@playwright/test';
import { actAs, CENTRAL, freshDesk } from './desk';
import { appIdOf, openCard, service } from './flow';

/**
 * Home visits (issue 18): a worker's laptop, cut off from central, registers applications at the
 * applicants' homes (channel home_visit, place and consent), photographs a document on each with
 * the camera (Chromium's fake device), and keeps the receipts to hand over. Three days later
 * central comes back: every registration and photo reaches central and a second desk, each once.
 */
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
      '--disable-background-networking',
      '--disable-component-update',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  },
});

const SHOTS = 'artifacts/screenshots';
const VISITS = 4;
const auth = 'Basic ' + Buffer.from('admin:kense-dev').toString('base64');
const unplug = async (page: Page): Promise<void> => {
  await page.route(`${CENTRAL}/**`, (route) => route.abort('internetdisconnected'));
};
const plugIn = (page: Page): Promise<void> => page.unroute(`${CENTRAL}/**`);

/** Registers one application at the applicant's home through the reception form. */
async function registerAtHome(page: Page, iin: string, surname: string, address: string): Promise<string> {
  const s = service('almaty-targeted-social-assistance');
  await page.goto('./#/reception');
  if (await page.getByTestId('next-application').count()) await page.getByTestId('next-application').click();
  await page.getByTestId('applicant-id').fill(iin);
  await page.getByTestId('person-surname').fill(surname);
  await page.getByTestId('person-name').fill('Күләш');
  await page.getByTestId('service-search').fill(`${s.names.kk} ${s.provider.kk}`.replace(/[^\p{L}\p{N}]+/gu, ' '));
  await page.locator(`[id="svc-${s.id}"]`).click();
  await page.getByTestId('channel').selectOption('home_visit');
  await page.getByTestId('all-received').click();
  const consent = page.getByTestId('consent');
  if (await consent.count()) await consent.check();
  await page.getByTestId('home-place').fill(address);
  await page.getByTestId('home-consent').check();
  await page.getByTestId('register').click();
  await expect(page.getByTestId('receipt-waits')).toBeVisible();
  const number = (await page.getByTestId('reg-number').textContent()) ?? '';
  expect(number).toMatch(/^ALM01-D01-\d{6}$/);
  return number;
}

async function secondDesk(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await actAs(page, 'dana', 'Омарова Дана', 'clerk', 'D02');
  return page;
}

test('offline for three days: home visits with photos reach central and a second desk, none lost or duplicated', async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  // Monday 23 November 2026, 09:30 in Almaty; the clock runs on from there.
  await page.clock.install({ time: new Date('2026-11-23T09:30:00+05:00') });
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім', 'clerk');
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 20_000 });

  // In the field: no connection to central.
  await unplug(page);
  const numbers: string[] = [];
  for (let i = 0; i < VISITS; i++) {
    const number = await registerAtHome(
      page,
      ['900101300017', '850315400025', '760512300010', '920830400030'][i] ?? '900101300017',
      `Сейітова-${i + 1}`,
      `Алматы қ., Жетісу-2, ${10 + i}-үй`,
    );
    numbers.push(number);
    // A photo of a document with the camera, added to the file.
    const appId = await appIdOf(page, number);
    await openCard(page, appId, number);
    await page.getByTestId('camera-open').click();
    await expect(page.getByTestId('camera-shoot')).toBeEnabled({ timeout: 15_000 });
    await page.getByTestId('camera-shoot').click();
    await expect(page.getByTestId('attachment')).toHaveCount(1, { timeout: 15_000 });
    await expect(page.getByTestId('camera')).toHaveCount(0);
  }
  expect(new Set(numbers).size).toBe(VISITS);

  // Three days later, still offline: the Visits view lists the receipts to hand over and what
  // has not reached central.
  await page.clock.setSystemTime(new Date('2026-11-26T09:30:00+05:00'));
  await page.goto('./#/visits');
  await expect(page.getByTestId('handover-entry')).toHaveCount(VISITS);
  await expect(page.getByTestId('visits-unsynced')).toContainText('23.11.2026');
  await page.screenshot({ path: `${SHOTS}/visits-offline.png` });
  await page.getByTestId('handover-done').first().click();
  await expect(page.getByTestId('handover-entry')).toHaveCount(VISITS - 1);

  // Back: central reachable again.
  await plugIn(page);
  await page.getByTestId('sync-indicator').click();
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 60_000 });

  // Central holds every registration (with its place) and every photo, each once.
  await expect
    .poll(
      async () => {
        const r = await request.get(`${CENTRAL}/office_alm01/_all_docs?include_docs=true`, {
          headers: { authorization: auth },
        });
        const docs = (
          (await r.json()) as { rows: { doc: { _id: string; kind?: string; payload?: Record<string, unknown> } }[] }
        ).rows
          .map((x) => x.doc)
          .filter((d) => d._id.startsWith('evt:'));
        return {
          registered: docs
            .filter((d) => d.kind === 'registered')
            .map(
              (d) =>
                `${String(d.payload?.['regNumber'])} ${String(d.payload?.['channel'])} ${String(d.payload?.['place'])}`,
            )
            .sort(),
          photos: docs.filter((d) => d.kind === 'attachment_added').length,
        };
      },
      { timeout: 60_000 },
    )
    .toEqual({
      registered: numbers.map((n, i) => `${n} home_visit Алматы қ., Жетісу-2, ${10 + i}-үй`).sort(),
      photos: VISITS,
    });

  // A second desk of the office sees them all, each once, with its photo.
  const two = await secondDesk(browser);
  await two.goto('./#/applications');
  for (const n of numbers) await expect(two.getByTestId('application-list')).toContainText(n, { timeout: 30_000 });
  await expect(two.getByTestId('application-row')).toHaveCount(VISITS);
  const appId = await appIdOf(two, numbers[0] ?? '');
  await openCard(two, appId, numbers[0] ?? '');
  await expect(two.getByTestId('attachment')).toHaveCount(1, { timeout: 30_000 });
  await two.screenshot({ path: `${SHOTS}/visits-second-desk.png` });
  await two.context().close();
});
