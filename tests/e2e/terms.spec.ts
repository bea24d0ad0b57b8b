import { expect, test } from '@playwright/test';
import { actAs, freshDesk } from './desk';
import { chooseExecutor } from './flow';

/**
 * 004/13: the executor finds the documents insufficient at the document check and records the
 * regulation's longer term (8 → 20 working days): the card's result date follows the engine.
 */
test('the executor extends the term on the regulation’s ground; the card shows the new due date', async ({ page }) => {
  await freshDesk(page);
  await actAs(page, 'aigerim', 'Сейітова Айгерім');
  await page.goto('./#/reception');
  await page.getByTestId('applicant-id').fill('900101300017');
  await page.getByTestId('person-surname').fill('Сейітқали');
  await page.getByTestId('person-name').fill('Әлия');
  await page.getByTestId('service-search').fill('өкілді органдардың');
  await page.keyboard.press('Enter');
  await page.getByTestId('all-received').click();
  await page.getByTestId('register').click();
  const number = (await page.getByTestId('reg-number').textContent()) ?? '';

  const open = async (): Promise<void> => {
    await page.goto('./#/inbox');
    await page.getByTestId('inbox-list').getByText(number).click();
    await expect(page.getByTestId('card-number')).toHaveText(number);
  };
  await actAs(page, 'bolat', 'Жұмабеков Болат', 'head');
  await open();
  // Not the head's to record, and not before the document check.
  await expect(page.getByTestId('extension')).toHaveCount(0);
  await chooseExecutor(page, 'dana', 'Омарова Дана');
  await page.getByTestId('do-resolution').click();
  await expect(page.getByTestId('card-step')).toContainText('Омарова Дана');

  await actAs(page, 'dana', 'Омарова Дана', 'executor');
  await open();
  const before = (await page.getByTestId('card-due').textContent()) ?? '';
  const extension = page.getByTestId('extension');
  await expect(extension.getByTestId('extension-ground').locator('option')).toHaveCount(2);
  await expect(page.getByTestId('do-extend')).toBeDisabled();
  await extension.getByTestId('extension-ground').selectOption('insufficient-documents');
  await extension.getByTestId('extension-reason').fill('Табыс туралы мәлімет мемлекеттік кірістер органынан сұратылды');
  await page.getByTestId('do-extend').click();
  await expect(page.getByTestId('card-extension')).toContainText('Құжаттар жеткіліксіз');
  await expect(page.getByTestId('card-extension')).toContainText('мемлекеттік кірістер органынан');
  await expect(page.getByTestId('card-due')).not.toHaveText(before);
  // The same ground only once; the other ground is still offered.
  await expect(extension.getByTestId('extension-ground').locator('option')).toHaveCount(1);
  await page.getByTestId('card-number').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'artifacts/screenshots/card-extension.png' });
});
