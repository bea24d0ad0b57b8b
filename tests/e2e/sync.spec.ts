import { expect, test, type Page } from './fixtures';
import { actAs, CENTRAL, freshCentral } from './desk';

const SHOTS = 'artifacts/screenshots';

async function deskWindow(newDesk: () => Promise<Page>, desk: string, login: string, name: string): Promise<Page> {
  // A separate browser context: its own IndexedDB and localStorage, as a second computer has.
  const page = await newDesk();
  // Signing in starts the sync with the signed-in person's credentials (in memory only).
  await actAs(page, login, name, 'clerk', desk);
  await expect(page.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 20_000 });
  return page;
}

async function register(page: Page, iin: string, surname: string): Promise<string> {
  await page.goto('./#/reception');
  await page.getByTestId('applicant-id').fill(iin);
  await page.getByTestId('person-surname').fill(surname);
  await page.getByTestId('person-name').fill('Әлия');
  await page.getByTestId('service-search').fill('жумыссыз тирке');
  await page.keyboard.press('Enter');
  await page.getByTestId('all-received').click();
  const consent = page.getByTestId('consent');
  if (await consent.count()) await consent.check();
  await page.getByTestId('register').click();
  const number = (await page.getByTestId('reg-number').textContent()) ?? '';
  expect(number).toMatch(/^ALM01-D0\d-000001$/);
  return number;
}

test.describe('two desks through the dev central (real CouchDB-protocol server, real IndexedDB)', () => {
  test('each desk sees the other desk’s registration; the indicator counts what has not reached the server', async ({
    newDesk,
    request,
  }) => {
    await freshCentral();
    const one = await deskWindow(newDesk, 'D01', 'aigerim', 'Сейітова Айгерім');
    const two = await deskWindow(newDesk, 'D02', 'dana', 'Омарова Дана');

    const first = await register(one, '900101300017', 'Сейітқали');
    const second = await register(two, '850315400025', 'Нұрланова');
    await expect(one.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 20_000 });

    for (const [page, other] of [
      [one, second],
      [two, first],
    ] as const) {
      await page.goto('./#/applications');
      await expect(page.getByTestId('application-list')).toContainText(other, { timeout: 20_000 });
    }
    await two.screenshot({ path: `${SHOTS}/sync-two-desks.png` });

    // The server holds both events, written as the authenticated clerks.
    const all = await request.get(`${CENTRAL}/office_alm01/_all_docs?include_docs=true`, {
      headers: { authorization: 'Basic ' + Buffer.from('admin:kense-dev').toString('base64') },
    });
    const docs = ((await all.json()) as { rows: { doc: { _id: string; actor?: { login: string } } }[] }).rows
      .map((r) => r.doc)
      .filter((d) => d._id.startsWith('evt:'));
    expect(docs.map((d) => d.actor?.login).sort()).toEqual(['aigerim', 'dana']);

    // The indicator opens to the details, with a "sync now" that works.
    await one.getByTestId('sync-indicator').click();
    await expect(one.getByTestId('sync-details')).toContainText('Барлығы орталық серверде');
    await one.getByTestId('sync-now').click();
    await expect(one.getByTestId('sync-indicator')).toContainText('Синхрондалды', { timeout: 20_000 });
  });
});
