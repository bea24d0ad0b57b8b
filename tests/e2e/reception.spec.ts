import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
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

/** Counts what the clerk does after typing the IIN: key presses and clicks. */
function counter(page: Page): {
  press: (key: string) => Promise<void>;
  click: (testId: string) => Promise<void>;
  count: () => number;
} {
  let n = 0;
  return {
    press: async (key) => {
      n++;
      await page.keyboard.press(key);
    },
    click: async (testId) => {
      n++;
      await page.getByTestId(testId).click();
    },
    count: () => n,
  };
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

    // The same applicant comes back: known from the read model, most used service first.
    await page.getByTestId('next-application').click();
    await expect(page.getByTestId('applicant-id')).toBeFocused();
    await page.keyboard.type(IIN);
    await expect(page.getByTestId('person-surname')).toHaveValue('Сейітқали');
    await expect(page.getByTestId('previous-applications')).toContainText('ALM01-D01-000001');
    const c = counter(page);
    await c.press('Enter');
    await expect(page.getByTestId('service-search')).toBeFocused();
    await c.press('Enter');
    await expect(page.getByTestId('chosen-service')).toContainText('Жұмыссыз');
    await c.click('all-received');
    if (await consent.count()) await c.click('consent');
    await c.press('Control+Enter');
    await expect(page.getByTestId('reg-number')).toHaveText('ALM01-D01-000002');
    expect(c.count()).toBeLessThanOrEqual(15);
  });

  test('refuses an incomplete package with a refusal receipt listing what is missing', async ({ page }) => {
    await setUpDesk(page);
    await page.getByTestId('applicant-id').fill(BIN);
    await page.getByTestId('entity-title').fill('«Құрылыс-Сервис» ЖШС');
    await page.getByTestId('service-search').fill('рұқсат алматы');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('chosen-service')).toBeVisible();
    await page.getByTestId('refuse').click();
    await expect(page.getByTestId('intake-done')).toContainText('Құжаттарды қабылдаудан бас тартылды');
    await expect(page.getByTestId('reg-number')).toHaveText('ALM01-D01-000001');
    await expect(page.getByTestId('print-refusal')).toBeVisible();
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
    await page.getByLabel('Сенімхаттың күні').fill('2026-11-02');
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
    await page.getByTestId('service-search').fill('пособия детей');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('chosen-service')).toContainText('пособия');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/reception-ru.png` });
  });
});
