import { expect, test } from './fixtures';
import { actAs, freshDesk } from './desk';
import { actAsRole, appIdOf, chooseExecutor, openCard, register, STAFF } from './flow';

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

/**
 * 004/17 (version 1.2): an incomplete package refused at the document check leaves by its own
 * steps — the head signs the refusal, the documents go back — each due within five working days of
 * receipt, and the case closes there, on the card and on its diagram.
 */
test('a refused incomplete permit package leaves by its own steps and closes refused', async ({ page }) => {
  test.setTimeout(120_000);
  await freshDesk(page);
  await actAsRole(page, 'clerk');
  const number = await register(page, { serviceId: 'fl-permit-almaty', variantId: 'employer-issue' });
  const appId = await appIdOf(page, number);

  await actAsRole(page, 'head');
  await openCard(page, appId, number);
  await chooseExecutor(page, STAFF.executor.login, STAFF.executor.name);
  await page.getByTestId('do-resolution').click();

  await actAsRole(page, 'executor');
  await openCard(page, appId, number);
  await expect(page.getByTestId('card-step')).toContainText('3. ');
  await page.getByTestId('refusal-ground').fill('Стандарттың 9-тармағы: құжаттар толық емес');
  await page.getByTestId('do-step-refused').click();
  // Not the information, the notice or the commission: the head's signature on the refusal.
  await expect(page.getByTestId('card-step')).toContainText('3а. ');
  await expect(page.getByTestId('card-step-due')).not.toContainText('регламентте көрсетілмеген');

  await actAsRole(page, 'head');
  await openCard(page, appId, number);
  await page.getByTestId('do-signed').click();
  await expect(page.getByTestId('card-step')).toContainText('3б. ');

  await actAsRole(page, 'executor');
  await openCard(page, appId, number);
  await page.getByTestId('issue-mode').selectOption('in_person');
  await page.getByTestId('do-issued').click();
  await expect(page.getByTestId('card-status')).toContainText('Жабылды');
  await expect(page.getByTestId('card-ground')).toContainText('құжаттар толық емес');
  await expect(page.getByTestId('timeline').locator('li')).toHaveCount(5);
  await expect(page.getByTestId('timeline')).toContainText('тіркелгеннен бастап 5 жұмыс күні');
  const path = page.getByTestId('application-path');
  await expect(path.locator('[data-node="end:refused:s3b"]')).toHaveClass(/status-done/);
  await expect(path.locator('[data-node="step:s4"]')).not.toHaveClass(/status-(done|late|current)/);
  await path.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'artifacts/screenshots/card-early-refusal.png' });
});
