import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from './fixtures';
import { actAs, freshDesk, unlockAfterReload } from './desk';

const SHOTS = 'artifacts/screenshots';
mkdirSync(SHOTS, { recursive: true });

// Synthetic numbers with valid check digits (shared/identity tests).
const IIN = '900101300017';
const BIN = '940140000385';

async function setUpDesk(page: Page): Promise<void> {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім');
  await expect(page.getByTestId('topbar-office')).toHaveText('ALM01');
  await page.goto('./#/reception');
  await expect(page.getByTestId('reception-form')).toBeVisible();
}

/**
 * Counts, in the page, every key that goes down (Ctrl+Enter is two) and every mouse button
 * pressed, from now on: what the clerk really did, not what the test meant to do.
 */
async function countInput(page: Page): Promise<() => Promise<{ keys: number; clicks: number }>> {
  await page.evaluate(() => {
    const w = window as unknown as { __input: { keys: number; clicks: number } };
    w.__input = { keys: 0, clicks: 0 };
    window.addEventListener('keydown', () => w.__input.keys++, true);
    window.addEventListener('mousedown', () => w.__input.clicks++, true);
  });
  return () => page.evaluate(() => (window as unknown as { __input: { keys: number; clicks: number } }).__input);
}

/** In browser mode printing is window.print, which never returns in headless Chromium: recorded instead. */
async function recordPrints(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __printed: string[] };
    w.__printed = [];
    window.print = () => {
      const sheet = document.querySelector('#kense-print-root > .print-slot[data-job] .print-sheet');
      w.__printed.push(sheet?.getAttribute('data-doc') ?? 'screen');
    };
  });
  return () => page.evaluate(() => (window as unknown as { __printed: string[] }).__printed);
}

test.describe('reception desk (browser mode, real IndexedDB)', () => {
  test('validates the IIN while typing, in Kazakh, and explains what is wrong', async ({ page }) => {
    await setUpDesk(page);
    const id = page.getByTestId('applicant-id');
    await id.fill('90010130');
    await expect(page.getByText('Тағы 4 цифр')).toBeVisible();
    await id.fill('900101300018');
    await expect(page.getByTestId('id-error')).toBeVisible();
    await expect(page.getByTestId('id-error')).not.toHaveText('');
    await id.fill(IIN);
    await expect(page.getByTestId('id-ok')).toContainText('ЖСН дұрыс');
    await expect(page.getByTestId('person-surname')).toBeVisible();
  });

  test('registers a new applicant, then the same applicant again in a few keystrokes', async ({ page }) => {
    await setUpDesk(page);
    await page.getByTestId('applicant-id').fill(IIN);
    await page.getByTestId('person-surname').fill('Сейітқали');
    await page.getByTestId('person-name').fill('Әлия');
    await page.getByTestId('service-search').fill('жумыссыз тирке');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('chosen-service')).toContainText('Жұмыссыз');
    await expect(page.getByTestId('result-due')).toContainText('Нәтиженің дайын болатын мерзімі');
    // Registering an incomplete package is refused with the reason, and nothing is written.
    await page.getByTestId('register').click();
    await expect(page.getByTestId('form-errors')).toBeVisible();
    await page.getByTestId('all-received').click();
    const consent = page.getByTestId('consent');
    if (await consent.count()) await consent.check();
    await page.screenshot({ path: `${SHOTS}/reception-filled-kk.png` });
    await page.getByTestId('register').click();
    await expect(page.getByTestId('reg-number')).toHaveText('ALM01-D01-000001');
    await expect(page.getByTestId('done-due')).toHaveText(/^\d\d\.\d\d\.\d{4} \d\d:\d\d$/);
    await page.screenshot({ path: `${SHOTS}/reception-registered-kk.png` });

    // The same applicant comes back: known from the read model, the desk's most used service
    // first. From the IIN on, the keyboard alone: Enter to the service, Enter to take the
    // frequent one, Space for "all received" (the consent is one of the documents), Ctrl+Enter.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('applicant-id')).toBeFocused();
    await page.keyboard.type(IIN);
    await expect(page.getByTestId('person-surname')).toHaveValue('Сейітқали');
    await expect(page.getByTestId('previous-applications')).toContainText('ALM01-D01-000001');
    const input = await countInput(page);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('service-search')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('chosen-service')).toContainText('Жұмыссыз');
    await expect(page.getByTestId('all-received')).toBeFocused();
    await page.keyboard.press('Space');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('reg-number')).toHaveText('ALM01-D01-000002');
    const done = await input();
    expect(done.clicks).toBe(0);
    expect(done.keys).toBeLessThanOrEqual(15);
    expect(done.keys).toBe(5);
  });

  test('refuses an incomplete package with a refusal receipt listing what is missing', async ({ page }) => {
    await setUpDesk(page);
    await page.getByTestId('applicant-id').fill(BIN);
    await page.getByTestId('entity-title').fill('«Құрылыс-Сервис» ЖШС');
    await page.getByTestId('service-search').fill('рұқсат алматы');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('chosen-service')).toBeVisible();
    const printed = await recordPrints(page);
    // A refusal takes a number and prints: the desk asks first, and "cancel" leaves no trace.
    await page.getByTestId('refuse').click();
    await expect(page.getByTestId('refusal-confirmation')).toContainText('тіркеу нөмірі беріледі');
    await expect(page.getByTestId('refuse-cancel')).toBeFocused();
    await page.screenshot({ path: `${SHOTS}/refusal-confirmation-kk.png` });
    await page.getByTestId('refuse-cancel').click();
    await expect(page.getByTestId('refusal-confirmation')).toHaveCount(0);
    await expect(page.getByTestId('intake-done')).toHaveCount(0);
    expect(await printed()).toEqual([]);
    await page.getByTestId('refuse').click();
    await page.getByTestId('refuse-confirm').click();
    await expect(page.getByTestId('intake-done')).toContainText('Құжаттарды қабылдаудан бас тартылды');
    // The number was not used by the cancelled refusal.
    await expect(page.getByTestId('reg-number')).toHaveText('ALM01-D01-000001');
    await expect(page.getByTestId('print-refusal')).toBeVisible();
    await expect.poll(printed).toEqual(['refusal']);
    await page.goto('./#/applications');
    await page.goto('./#/reception');
    await page.getByTestId('applicant-id').fill(BIN);
    await expect(page.getByTestId('previous-applications')).toContainText('Қабылдаудан бас тартылды');
  });

  test('a half-filled form survives closing the window, and a double click registers once', async ({ page }) => {
    await setUpDesk(page);
    await page.getByTestId('applicant-id').fill(IIN);
    await page.getByTestId('person-surname').fill('Нұрланов');
    await page.reload();
    // The desk's keys were in memory only: the same clerk signs in again, and the draft is there.
    await unlockAfterReload(page, 'aigerim');
    await expect(page.getByTestId('applicant-id')).toHaveValue(IIN);
    await expect(page.getByTestId('person-surname')).toHaveValue('Нұрланов');
    await page.getByTestId('person-name').fill('Ерлан');
    await page.getByTestId('service-search').fill('жумыссыз тирке');
    await page.keyboard.press('Enter');
    await page.getByTestId('all-received').click();
    const consent = page.getByTestId('consent');
    if (await consent.count()) await consent.check();
    await page.getByTestId('register').dblclick();
    await expect(page.getByTestId('reg-number')).toHaveText('ALM01-D01-000001');
    await page.getByTestId('next-application').click();
    await page.getByTestId('applicant-id').fill(IIN);
    await expect(page.getByTestId('previous-applications')).toContainText('1');
    await expect(page.getByTestId('previous-applications').locator('li')).toHaveCount(1);
  });

  test('registers an application brought by a representative acting by power of attorney', async ({ page }) => {
    await setUpDesk(page);
    await page.getByTestId('applicant-id').fill(IIN);
    await page.getByTestId('person-surname').fill('Сейітқали');
    await page.getByTestId('person-name').fill('Әлия');
    await page.getByText('Сенімхат бойынша өкіл').click();
    await page.getByLabel('Өкілдің ЖСН-і').fill('850315400025');
    await page.getByLabel('Өкілдің аты-жөні').fill('Нұрланов Ерлан Серікұлы');
    await page.getByLabel('Сенімхаттың нөмірі').fill('2026/145');
    await page.getByLabel('Сенімхаттың күні').fill('02.11.2026');
    await page.getByTestId('service-search').fill('кресло');
    await page.keyboard.press('Enter');
    await page.getByTestId('all-received').click();
    await page.getByTestId('register').click();
    await expect(page.getByTestId('reg-number')).toHaveText('ALM01-D01-000001');
    await page.goto('./#/applications');
    await page.getByTestId('application-row').first().click();
    await expect(page.getByTestId('application-card')).toContainText('Нұрланов Ерлан Серікұлы');
    await expect(page.getByTestId('application-card')).toContainText('2026/145');
  });

  test('fits 1366×768 and works in Russian', async ({ page }) => {
    await setUpDesk(page);
    await page.getByTestId('lang-ru').click();
    await page.getByTestId('applicant-id').fill(IIN);
    // Russian words as a clerk types them, in their dictionary form, find the catalogue's forms.
    const search = page.getByTestId('service-search');
    const options = page.locator('#service-list [role="option"]');
    await search.fill('безработный');
    await expect(options).toHaveCount(2);
    await expect(options.first()).toContainText('безработным');
    await page.screenshot({ path: `${SHOTS}/service-search-ru.png` });
    await search.fill('разрешение');
    await expect(options).toHaveCount(5);
    await search.fill('справка');
    await expect(options.first()).toContainText('справк');
    await search.fill('автомобиль');
    await expect(page.getByTestId('service-none')).toHaveText('Подходящая услуга не найдена');
    await search.fill('пособие');
    await expect(options).toHaveCount(1);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('chosen-service')).toContainText('пособия');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/reception-ru.png` });
  });
});
